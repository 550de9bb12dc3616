"""Run the `skilltick` console script's entry point in the test's own process, with the
environment, stdin, stdout and stderr a process would have, and get what a process run gives
(exit code, stdout, stderr). A new interpreter adds seconds of imports and nothing a test of a
command's words looks at; each command surface keeps a test that starts real processes. And a
home's database made once per test process, for commands run in it or started there."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from typer.testing import CliRunner

from assistant.cli.root import main
from models.engine import make_engine
from models.migrate import upgrade


def run_skilltick(
    args: Sequence[str], env: Mapping[str, str], *, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`skilltick ARGS` with exactly `env` as its environment (what it leaves out is unset
    while the command runs) and `input` on stdin."""
    environment: dict[str, str | None] = {name: None for name in os.environ if name not in env}
    environment.update(env)
    with CliRunner().isolation(input=input, env=environment) as (stdout, stderr, _):
        try:
            main(list(args))
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
        sys.stdout.flush()  # what was written straight to the streams, not through Rich
        sys.stderr.flush()
        printed, complained = stdout.getvalue().decode(), stderr.getvalue().decode()
    return subprocess.CompletedProcess(["skilltick", *args], code, printed, complained)


@functools.cache
def _migrated_template() -> Path:
    """A SQLite file migrated once per test process (deleted at exit)."""
    folder = Path(tempfile.mkdtemp(prefix="home-template-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    engine = make_engine(f"sqlite:///{folder / 'skilltick.db'}")
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return folder / "skilltick.db"


def copy_migrated_database(home: Path) -> Path:
    """Put a migrated SQLite database in a SKILLTICK_HOME (the file a command there opens), so
    a command started there finds the schema at head instead of migrating a new file (the
    migrations themselves are tests/models/test_migrations.py's)."""
    database = home / "skilltick.db"
    shutil.copyfile(_migrated_template(), database)
    return database
