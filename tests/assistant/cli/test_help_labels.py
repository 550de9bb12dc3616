"""Help screens label what an option takes: a value's type, and nothing for a flag."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from assistant.cli.root import app


@pytest.mark.parametrize(
    "command", [["automations", "list"], ["automations", "create"], ["runs", "list"]]
)
def test_flags_carry_no_bool_label_and_options_keep_their_type(command: list[str]) -> None:
    shown = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "120"})
    assert shown.exit_code == 0, shown.output
    assert "--json" in shown.output
    assert "<bool>" not in shown.output
    assert "<str>" in shown.output  # --org still says it takes text
