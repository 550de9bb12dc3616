"""`skilltick` commands called in the test's own process through typer's runner: the words of an
answer (exit 0), its JSON, and a refusal's words (exit 1) on one line."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from assistant.cli.root import app

runner = CliRunner()


def ok(*args: str) -> str:
    """What `skilltick ARGS` prints, having succeeded."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def ok_json(*args: str) -> Any:
    """The JSON `skilltick ARGS --json` prints, having succeeded."""
    return json.loads(ok(*args, "--json"))


def refused(*args: str) -> str:
    """What `skilltick ARGS` says on stderr refusing (exit 1), its white space folded."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == 1, result.output
    return " ".join(result.stderr.split())
