"""docs/configuration.md is written from the settings model: regenerating it changes nothing,
and the command prints the same page."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from assistant.cli.config_docs import CONFIGURATION_PAGE, REGENERATE, configuration_markdown
from assistant.cli.root import app
from models.settings import Settings
from models.settings_env import flat_variables

ROOT = Path(__file__).resolve().parents[3]


def test_the_configuration_page_matches_the_settings_model() -> None:
    page = (ROOT / CONFIGURATION_PAGE).read_text(encoding="utf-8")
    assert page == configuration_markdown(), (
        f"{CONFIGURATION_PAGE} is out of date with models/settings.py; run `{REGENERATE}`"
    )


def test_the_page_names_every_variable() -> None:
    page = configuration_markdown()
    missing = [name for name in flat_variables(Settings) if f"`{name}`" not in page]
    assert missing == []


def test_config_docs_prints_the_page_or_writes_it(tmp_path: Path) -> None:
    printed = CliRunner().invoke(app, ["config-docs"])
    assert printed.exit_code == 0, printed.output
    assert printed.output == configuration_markdown()
    target = tmp_path / "configuration.md"
    written = CliRunner().invoke(app, ["config-docs", "--output", str(target)])
    assert written.exit_code == 0, written.output
    assert target.read_text(encoding="utf-8") == configuration_markdown()
