"""A skill's params said in words, for people reading what an automation will do.

Each param of a SKILL.md may declare how it reads (`words:` in its front matter):
- an integer, string or list param: a sentence part with `{value}` where the value goes
  ("flagging candidates not contacted for {value} day{s}"); a list's items are joined
  "A, B and C" for `{value}`, "A, B or C" for `{any}`; `{s}` is "s" unless the value is 1;
- an enum or boolean param: a part for each choice (`{mine: "covering your candidates"}`,
  `{true: "high-priority applicants only", false: ...}`).
A param without words (or a choice without one) reads by a generic rule: its name with
spaces, then its value in words (lists joined, booleans on/off, no brackets or quotes).

The codes stay in the stored params and in every JSON; only what people read changes.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skills.base import ParamSpec, SkillSpec

#: the placeholders a param's words may use
PLACEHOLDERS = frozenset({"value", "any", "s"})
#: who a workflow's email or task goes to, in words
_ROLE_WORDS = {
    "candidate": "the candidate",
    "owner": "you",
    "hiring_manager": "the job's hiring manager",
    "candidate_owner": "the candidate's owner",
}
# a template expression in an action's subject or title: {{ candidate.first_name }}
_EXPRESSION = re.compile(r"\{\{\s*([a-zA-Z_][\w.]*)\s*(?:\|[^}]*)?\}\}")
_TEMPLATE_TAG = re.compile(r"\{[{%#].*?[}%#]\}", re.S)


class WordsError(ValueError):
    """Words declared for a param that cannot be used; the message says what is wrong."""


def check_words(param: ParamSpec, raw: Any) -> str | dict[str, str]:
    """The declared words of one param, checked: a template for valued params, a part for
    each choice for enum and boolean ones."""
    if param.type in ("enum", "boolean"):
        if not isinstance(raw, dict):
            raise WordsError("must be a mapping of each choice to its words")
        choices = param.choices if param.type == "enum" else ("true", "false")
        words: dict[str, str] = {}
        for key, text in raw.items():
            # YAML reads true/false/on/off keys as booleans
            choice = str(key).lower() if isinstance(key, bool) else str(key)
            if choice not in choices:
                raise WordsError(f"names {choice!r}, not one of " + ", ".join(choices))
            if not isinstance(text, str) or not text.strip():
                raise WordsError(f"for {choice!r} must be a non-empty text")
            words[choice] = text.strip()
        return words
    if not isinstance(raw, str) or not raw.strip():
        raise WordsError("must be a text with {value} where the value goes")
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(raw) if name is not None}
    except ValueError as exc:
        raise WordsError(f"is not a valid template: {exc}") from exc
    if names - PLACEHOLDERS:
        raise WordsError(
            "may only use {value}, {any} and {s}, not {" + sorted(names - PLACEHOLDERS)[0] + "}"
        )
    if not names & {"value", "any"}:
        raise WordsError("must say where the value goes with {value} (or {any} for a list)")
    return raw.strip()


def join_words(items: Sequence[str], last: str = "and") -> str:
    """["A"] -> "A", ["A", "B", "C"] -> "A, B and C" (or "A, B or C")."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def value_in_words(value: Any, last: str = "and") -> str:
    """A param value as people read it: lists joined in words, booleans on/off, codes with
    spaces for underscores, no brackets or quotes."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, Mapping):
        return action_in_words(value)
    if isinstance(value, list | tuple):
        if value and all(isinstance(item, Mapping) for item in value):
            return join_words([action_in_words(item) for item in value], "then")
        return join_words([value_in_words(item) for item in value], last)
    if value is None:
        return "none"
    return str(value)  # text as said: a job title, a stage, a reminder


_MINUTES = "{value} minute{s}"


def duration_in_words(minutes: int) -> str:
    """925 -> "15 hours 25 minutes", 60 -> "1 hour", 30 -> "30 minutes"."""
    hours, rest = divmod(max(0, minutes), 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def param_in_words(name: str, param: ParamSpec | None, value: Any) -> str:
    """One param and its value as a sentence part."""
    words = param.words if param is not None else None
    if isinstance(words, dict):
        choice = str(value).lower() if isinstance(value, bool) else str(value)
        if choice in words:
            return words[choice]
    elif isinstance(words, str):
        if value == 0 and words.endswith("} or more") and "{value}" in words:
            # "waiting 0 business days or more" is everyone: "waiting, however long"
            return words.split(" {value}", 1)[0] + ", however long"
        if _MINUTES in words and isinstance(value, int) and value >= 60:
            # 955 minutes reads as "15 hours 55 minutes"
            words = words.replace(_MINUTES, duration_in_words(value))
        single = len(value) if isinstance(value, list | tuple) else value
        return words.format(
            value=value_in_words(value),
            any=value_in_words(value, "or"),
            s="" if single == 1 else "s",
        )
    said = value_in_words(value)
    if param is not None and param.type == "enum":
        said = said.replace("_", " ")  # a code, not text as said
    return f"{name.replace('_', ' ')} {said}"


#: how each skill's params read, by skill name: the specs of the skills a caller holds
#: (SkillRegistry.specs()), handed to read-backs that must not load skills themselves
SpecsBySkill = Mapping[str, "SkillSpec"]


def params_in_words(spec: SkillSpec | None, params: Mapping[str, Any]) -> list[str]:
    """The sentence parts of an automation's params, in the skill's declared order. A number,
    text or list is said whenever it is set, even at its declared default: it is what the
    automation checks, and the number someone asked for must be read back to them; a choice
    (enum or boolean) at its default goes unsaid, the skill's label saying it already."""
    declared = spec.params if spec is not None else {}
    order = [name for name in declared if name in params]
    order += [name for name in params if name not in declared]
    parts = []
    for name in order:
        param = declared.get(name)
        value = params[name]
        if param is not None and param.type in ("enum", "boolean") and value == param.default:
            continue
        if value is None or value == "" or value == []:
            continue
        parts.append(param_in_words(name, param, value))
    return parts


def action_in_words(action: Mapping[str, Any]) -> str:
    """One workflow action: "email the candidate “Welcome, the candidate's first name”",
    "set the application's priority to high", "a task for you “Call back” due in 2 days"."""
    kind = action.get("type")
    if kind == "send_email":
        to = str(action.get("to") or "candidate")
        return f"email {_ROLE_WORDS.get(to, to)} “{template_in_words(action.get('subject'))}”"
    if kind == "update_field":
        entity = str(action.get("entity") or "application")
        field = str(action.get("field", "")).replace("_", " ")
        return f"set the {entity}'s {field} to {value_in_words(action.get('value'))}"
    if kind == "create_task":
        days = action.get("due_in_days", 1)
        due = "due the same day" if days == 0 else f"due in {days} day" + ("" if days == 1 else "s")
        who = _ROLE_WORDS.get(str(action.get("assignee") or "owner"), "you")
        return f"a task for {who} “{template_in_words(action.get('title'))}” {due}"
    return join_words(
        [f"{str(k).replace('_', ' ')} {value_in_words(v)}" for k, v in action.items()]
    )


def template_in_words(text: Any) -> str:
    """An owner-written template with its expressions said: {{ candidate.first_name }} ->
    "the candidate's first name"; other template tags are left out."""

    def said(match: re.Match[str]) -> str:
        *owners, leaf = match.group(1).split(".")
        leaf = leaf.replace("_", " ")
        return f"the {owners[-1].replace('_', ' ')}'s {leaf}" if owners else f"the {leaf}"

    spoken = _EXPRESSION.sub(said, str(text or ""))
    return " ".join(_TEMPLATE_TAG.sub("", spoken).split())
