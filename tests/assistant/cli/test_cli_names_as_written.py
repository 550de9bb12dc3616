"""What people name things is printed as written: a name with square brackets ("Pipeline [/b]
weekly", "[bold] hires") is neither styled nor taken for Rich markup, so a rename that was saved
says so, and listings, runs and holidays show it whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_calls import ok
from tests.demo_home import empty_home

NAMES = ("Pipeline [/b] weekly", "[bold] hires [red]", "Q1 [urgent] roles", r"back\[slash]")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return empty_home(tmp_path, monkeypatch)


def test_names_with_square_brackets_are_printed_as_written(home: Path) -> None:
    ok("demo", "seed")
    for name in NAMES:
        assert f"“{name}”" in ok("automations", "update", "1", "--org", "demo", "--name", name)
        assert f"“{name}”" in ok("automations", "pause", "1", "--org", "demo")
        assert f"“{name}”" in ok("automations", "resume", "1", "--org", "demo")
        assert name in ok("automations", "list", "--org", "demo")
        assert name in ok("automations", "show", "1", "--org", "demo")
    ok("automations", "test", "1", "--org", "demo")
    assert "Run #" in ok("runs", "show", "1", "--org", "demo")
    assert "Offsite [office closed]" in ok(
        "holidays", "add", "2027-03-17", "--org", "demo", "--name", "Offsite [office closed]"
    )
    assert "Offsite [office closed]" in ok("holidays", "list", "--org", "demo")
