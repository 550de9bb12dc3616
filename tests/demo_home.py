"""A deployment home seeded with the demo organisation once per test module and copied for each
test: `demo seed` migrates a new SQLite file and writes the organisation (seconds of work), a
copy of the result takes milliseconds and gives each test a home of its own all the same."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest


def seed_home(home: Path, seed: Callable[[], None]) -> Path:
    """Run `seed` with SKILLTICK_HOME=home (no database URL, no SMTP); returns `home`."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SKILLTICK_HOME", str(home))
        env.delenv("SKILLTICK_DATABASE_URL", raising=False)
        env.delenv("SKILLTICK_SMTP_HOST", raising=False)
        seed()
    return home


def copy_home(seeded: Path, home: Path) -> Path:
    """Copy the seeded home's files into `home` (SQLite rebuilds a `-shm` index itself)."""
    for path in seeded.iterdir():
        if path.is_file() and not path.name.endswith("-shm"):
            shutil.copy2(path, home / path.name)
    return home


def use_home(seeded: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the seeded home at `home`, made this test's SKILLTICK_HOME (no database URL,
    no SMTP, as it was seeded); returns `home`."""
    return empty_home(copy_home(seeded, home), monkeypatch)


def empty_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`home` made this test's SKILLTICK_HOME, with no database URL and no SMTP (a database
    file there, or none yet); returns `home`."""
    monkeypatch.setenv("SKILLTICK_HOME", str(home))
    monkeypatch.delenv("SKILLTICK_DATABASE_URL", raising=False)
    monkeypatch.delenv("SKILLTICK_SMTP_HOST", raising=False)
    return home
