"""Run the `skilltick` console script's entry point in the test's own process, with the
environment, stdin, stdout and stderr a process would have, and get what a process run gives
(exit code, stdout, stderr). A new interpreter adds seconds of imports and nothing a test of a
command's words looks at; each command surface keeps a test that starts real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence

from typer.testing import CliRunner

from assistant.cli.root import main


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
