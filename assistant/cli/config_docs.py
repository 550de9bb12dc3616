"""`skilltick config-docs`: docs/configuration.md, written from the settings model so the
page lists exactly the variables the code reads, with their types and defaults."""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

import typer
from pydantic import BaseModel, SecretStr
from pydantic.fields import FieldInfo

from assistant.cli.common import friendly, out
from models.settings import PlanLimits, Settings, default_plans
from models.settings_env import (
    ENV_PREFIX,
    NESTED_DELIMITER,
    Section,
    flat_variable,
    nested_variable,
    sections,
)

#: where the page lives in the repository, and the command that rewrites it
CONFIGURATION_PAGE = Path("docs") / "configuration.md"
REGENERATE = f"python -m assistant config-docs --output {CONFIGURATION_PAGE}"

config_commands = typer.Typer()

_INTRO = f"""# Configuration

<!-- Written by `{REGENERATE}` from models/settings.py; edit the settings, not this page. -->

skilltick reads its settings from the environment once, when a command or the service starts.
Every setting has two names:

- its **variable**, the name deployments have always used (`SKILLTICK_DATABASE_URL`,
  `SKILLTICK_SMTP_HOST`, `ANTHROPIC_API_KEY`, ...);
- its **nested name**: `{ENV_PREFIX}`, the section, `{NESTED_DELIMITER}`, the field
  (`SKILLTICK_CORE__DATABASE_URL`, `SKILLTICK_SMTP__HOST`). When both are set, the nested name
  wins.

Nothing is required: without SMTP mail goes to the local outbox, without a Slack token the slack
channel says it is not set up, without an Anthropic key planning and skills run deterministically.
Secrets (the cron secret, the Slack signing secret) refuse placeholder values such as `changeme`.
"""


def _type_name(annotation: Any) -> str:
    args = get_args(annotation)
    if get_origin(annotation) in (typing.Union, types.UnionType):
        named = [_type_name(a) for a in args if a is not type(None)]
        return " or ".join(named) + (" (optional)" if type(None) in args else "")
    if get_origin(annotation) is Annotated:
        return _type_name(args[0])
    if get_origin(annotation) is list:
        return "comma-separated list"
    if get_origin(annotation) is dict:
        return "JSON object"
    names = {str: "text", int: "integer", float: "number", bool: "true/false", Path: "path"}
    if annotation is SecretStr:
        return "secret"
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _default(info: FieldInfo) -> str:
    value = info.get_default(call_default_factory=True)
    if value is None or value == "" or value == []:
        return "unset"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Path):
        home = Path.home()
        shown = f"~/{value.relative_to(home)}" if value.is_relative_to(home) else str(value)
        return f"`{shown}`"
    return f"`{value}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _section(name: str, kind: type[Section]) -> list[str]:
    lines = [
        f"## {name}",
        "",
        _cell(kind.__doc__ or ""),
        "",
        "| Variable | Nested name | Type | Default | Description |",
        "|---|---|---|---|---|",
    ]
    for field, info in kind.model_fields.items():
        row = (
            f"`{flat_variable(kind, field, info)}`",
            f"`{nested_variable(name, field)}`",
            _type_name(info.annotation),
            _default(info),
            _cell(info.description or ""),
        )
        lines.append("| " + " | ".join(row) + " |")
    return [*lines, ""]


def _plans() -> list[str]:
    info = Settings.model_fields["plans"]
    limits = list(PlanLimits.model_fields)
    lines = [
        "## plans",
        "",
        f"`{ENV_PREFIX}PLANS` (JSON object): {_cell(info.description or '')} "
        "A null limit is unlimited. The defaults:",
        "",
        "| Plan | " + " | ".join(f"`{limit}`" for limit in limits) + " |",
        "|---" * (len(limits) + 1) + "|",
    ]
    for plan, values in default_plans().items():
        shown = [_limit(values, limit) for limit in limits]
        lines.append(f"| {plan} | " + " | ".join(shown) + " |")
    return [*lines, ""]


def _limit(values: BaseModel, limit: str) -> str:
    value = getattr(values, limit)
    return "unlimited" if value is None else str(value)


def configuration_markdown() -> str:
    """The configuration page: every section's variables, types, defaults and descriptions."""
    lines = [_INTRO]
    for name, kind in sections(Settings).items():
        lines.extend(_section(name, kind))
    lines.extend(_plans())
    return "\n".join(lines).rstrip("\n") + "\n"


@config_commands.command("config-docs")
@friendly
def config_docs_command(
    output: Annotated[
        Path | None,
        typer.Option("--output", help=f"Write the page here (e.g. {CONFIGURATION_PAGE})."),
    ] = None,
) -> None:
    """Print the configuration reference (every variable, its type and default) as Markdown,
    or write it to --output."""
    page = configuration_markdown()
    if output is None:
        typer.echo(page, nl=False)  # verbatim: no wrapping at the terminal width
        return
    output.write_text(page, encoding="utf-8")
    out.print(f"Wrote {output}.")
