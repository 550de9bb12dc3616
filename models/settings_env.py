"""How settings meet the environment: a section of settings, the flat variable of each field
(the names deployments already use: SKILLTICK_SMTP_HOST, ANTHROPIC_API_KEY, ...) and its nested
name (SKILLTICK_SMTP__HOST), and the settings source that reads the flat names."""

from __future__ import annotations

import os
from typing import Any, ClassVar

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

ENV_PREFIX = "SKILLTICK_"
NESTED_DELIMITER = "__"


def flat_name(name: str) -> dict[str, Any]:
    """Field metadata naming a flat variable that does not follow its section's prefix."""
    return {"flat_env": name}


class Section(BaseModel):
    """A group of settings; FLAT_PREFIX + the field's name is its flat variable."""

    FLAT_PREFIX: ClassVar[str] = ENV_PREFIX


def sections(settings: type[BaseSettings]) -> dict[str, type[Section]]:
    """Each section's field name on `settings` and its class, in order."""
    found: dict[str, type[Section]] = {}
    for name, info in settings.model_fields.items():
        kind = info.annotation
        if isinstance(kind, type) and issubclass(kind, Section):
            found[name] = kind
    return found


def flat_variable(section: type[Section], name: str, info: FieldInfo) -> str:
    extra = info.json_schema_extra
    named = extra.get("flat_env") if isinstance(extra, dict) else None
    return str(named) if named else section.FLAT_PREFIX + name.upper()


def nested_variable(section: str, name: str) -> str:
    return f"{ENV_PREFIX}{section.upper()}{NESTED_DELIMITER}{name.upper()}"


def variable_of(settings: type[BaseSettings], where: tuple[Any, ...]) -> str:
    """The variable a setting at `where` (a validation error's location: section and field, or
    a field of its own) was read from: the nested name when that is set, else the flat name."""
    if len(where) >= 2 and str(where[0]) in sections(settings):
        section, name = str(where[0]), str(where[1])
        nested = nested_variable(section, name)
        if nested in {key.upper() for key in os.environ}:
            return nested
        kind = sections(settings)[section]
        info = kind.model_fields.get(name)
        return flat_variable(kind, name, info) if info else nested
    return ENV_PREFIX + str(where[0] if where else "").upper()


def flat_variables(settings: type[BaseSettings]) -> dict[str, tuple[str, str]]:
    """Every flat variable name of `settings`: (section, field)."""
    found: dict[str, tuple[str, str]] = {}
    for section, kind in sections(settings).items():
        for name, info in kind.model_fields.items():
            found[flat_variable(kind, name, info)] = (section, name)
    return found


class FlatEnvSource(PydanticBaseSettingsSource):
    """The flat variable names (SKILLTICK_SMTP_HOST, ANTHROPIC_API_KEY, ...) as sections."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # everything is read in __call__

    def __call__(self) -> dict[str, Any]:
        environ = {key.upper(): value for key, value in os.environ.items()}
        found: dict[str, dict[str, Any]] = {}
        for variable, (section, name) in flat_variables(self.settings_cls).items():
            if variable in environ:
                found.setdefault(section, {})[name] = environ[variable]
        return found
