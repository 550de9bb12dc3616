"""The skill interface: what a skill is told (SkillContext), what it returns (SkillOutput), how it
is declared (SkillSpec, ParamSpec), and how its params are checked (validate_params).

A skill only reads the ATS through `ctx.ats`, its own state through the narrow stores of
skills.stores, and the clock through `ctx.now`, so a run is reproducible from its context.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from models.errors import InvalidInput
from skills.actions import parse_action_specs
from skills.stores import HolidayCalendar, NoHolidays, SequenceSteps

if TYPE_CHECKING:
    from skills.actions import ActionResult, PlannedAction
    from skills.ats.reader import AtsReader

SkillMode = Literal["deterministic", "llm", "hybrid"]
SKILL_MODES: tuple[str, ...] = ("deterministic", "llm", "hybrid")
PARAM_TYPES: tuple[str, ...] = ("string", "integer", "boolean", "enum", "list", "actions")

_TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
_FALSE_WORDS = frozenset({"false", "no", "off", "0"})


@dataclass(frozen=True, slots=True)
class OwnerInfo:
    """The automation's owner: whose pipeline "mine" means, and who receives by default."""

    id: int
    email: str
    name: str
    timezone: str


def _no_run_after(after: datetime) -> datetime | None:
    """No scheduled run follows: the context of a run without a schedule."""
    return None


@dataclass(slots=True)
class SkillContext:
    org_id: int
    owner: OwnerInfo
    params: dict[str, Any]
    now: datetime
    tz: str  # IANA zone used for dates shown in the output
    triggered_by: str  # schedule|event|poll|manual|test
    # the automation's previous successful run, for "movement since the last report"
    last_success_at: datetime | None
    trigger_data: dict[str, Any]
    ats: AtsReader
    # the organisation's holidays, for business-day SLAs
    holidays: HolidayCalendar = field(default_factory=NoHolidays)
    # the nurture sequences' steps; None where no store is at hand (rendering tests)
    sequences: SequenceSteps | None = None
    # the organisation's name, for what is signed on its behalf (a note to a candidate)
    org_name: str = ""
    # the organisation's time zone and settings (working hours), for quiet hours
    org_timezone: str = "UTC"
    org_settings: dict[str, Any] = field(default_factory=dict)
    # when the schedule was due for this run; None for a run the schedule did not start
    occurrence: datetime | None = None
    # the automation's first scheduled run after an instant, None when none follows (read on
    # demand from its stored schedule: few skills ask, and a schedule may change between runs)
    next_run_after: Callable[[datetime], datetime | None] = _no_run_after
    # the closing line of what the skill sends (skills.footer: the ways this service offers
    # to pause or change an automation); None: the templates' own, which promises nothing
    footer: str | None = None


@dataclass(frozen=True, slots=True)
class Addressee:
    """Someone a skill's output concerns who can be named in an automation's `to` list by role
    ("candidate", "interviewer", "hiring_manager"). The address is PII: sent to, never stored."""

    role: str
    email: str
    name: str = ""
    user_id: int | None = None  # set when they are a user of the organisation (Slack, in-app)
    timezone: str | None = None  # where known: quiet hours for candidate-facing messages


@dataclass(frozen=True, slots=True)  # slots: a report may flag thousands
class TargetRef:
    """Something a run acted on or flagged; ids only, so it can be stored in run history."""

    target_type: str
    target_ref: str


@dataclass(frozen=True)
class ReportDocument:
    """A report's content as data, for chat apps to lay out in their own format (the Slack app
    builds Block Kit from it): which layout ("pipeline" or "sections") and the template context
    the e-mail renders, so both say the same."""

    layout: str
    context: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class OwnCopy:
    """What one addressee gets instead of the whole output: a report over many jobs sends each
    job's hiring manager their own jobs' part (the owner and addresses named get the whole)."""

    subject: str
    text: str
    html: str
    document: ReportDocument | None = None


@dataclass(slots=True)
class SkillOutput:
    subject: str
    text: str
    html: str
    # PII-free by construction: counts, ids, stage and job names
    summary: dict[str, Any]
    targets: list[TargetRef] = field(default_factory=list)
    skipped_reason: str | None = None  # e.g. "nothing_to_report" when a filter matched nothing
    # people the automation's `to` list may name by role (candidate, interviewer, ...)
    addressees: dict[str, Addressee] = field(default_factory=dict)
    # workflow actions the executor runs in order, each with its own result row
    actions: list[PlannedAction] = field(default_factory=list)
    # called with the actions' results once they ran (sequences advance their enrolments)
    after_actions: Callable[[list[ActionResult]], None] | None = None
    # False for skills whose work is their actions (workflow, sequences): nothing to deliver
    deliver: bool = True
    # the report's content for chat layouts; None: they lay out the text
    document: ReportDocument | None = None
    # how the output was produced: {"mode": "llm"|"deterministic"|"fallback", tokens, ...}
    llm: dict[str, Any] = field(default_factory=dict)
    # by addressee key (as in `addressees`): what that addressee gets instead of the whole
    copies: dict[str, OwnCopy] = field(default_factory=dict)


# an integer param without a declared range still has one: a run can always use it
INTEGER_PARAM_BOUND = 1_000_000_000


@dataclass(frozen=True)
class ParamSpec:
    type: str  # one of PARAM_TYPES
    default: Any = None
    description: str = ""
    choices: tuple[str, ...] = ()  # enum only
    required: bool = False
    minimum: int | None = None  # integer only: the declared range, inclusive
    maximum: int | None = None
    # string only: the length range, inclusive, of the value with its outer spaces stripped
    # (a string param with a length range is stored stripped)
    min_length: int | None = None
    max_length: int | None = None
    # how the param reads (skills.param_words): a template with {value}, or a part per choice
    words: str | dict[str, str] | None = None


@dataclass(frozen=True)
class SkillSpec:
    name: str
    description: str
    mode: SkillMode
    params: dict[str, ParamSpec]
    triggers: tuple[str, ...]
    default_output: str
    path: Path | None  # the SKILL.md it was read from; None for skills written in Python
    instructions: str = ""  # SKILL.md's markdown body, for the LLM mode
    # "application": the organisation sends it once per (skill, its `kind` param, application),
    # however often the event comes and however many automations send it
    once_per: str | None = None
    # the people its output can go to by role ("roles" in the front matter): each run names them
    roles: tuple[str, ...] = ()
    # "hidden: true" in the front matter: for benchmarks and tests; runnable by name, never
    # offered to people choosing a skill
    hidden: bool = False


class Skill(Protocol):
    spec: SkillSpec

    def run(self, ctx: SkillContext) -> SkillOutput: ...


@dataclass
class Gathered:
    """What a template skill's Python code hands to its templates.

    `context` may name candidates (the templates need them); `summary` must not.
    """

    subject: str
    context: dict[str, Any]
    summary: dict[str, Any]
    targets: list[TargetRef] = field(default_factory=list)
    skipped_reason: str | None = None
    addressees: dict[str, Addressee] = field(default_factory=dict)
    actions: list[PlannedAction] = field(default_factory=list)
    after_actions: Callable[[list[ActionResult]], None] | None = None
    deliver: bool = True
    # the report's content for chat layouts; None: the shared sections layout when the
    # context has one, else chat channels lay out the text
    document: ReportDocument | None = None
    # by addressee key: the subject and template context of what that addressee gets instead
    # of the whole (SkillOutput.copies)
    copies: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)


# The data-gathering half of a template skill; the registry renders the result.
Gather = Callable[[SkillContext], Gathered]


def validate_params(spec: SkillSpec, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return `params` with defaults applied and values coerced to their declared types (an
    optional parameter without a default is left out when not given).

    Raises InvalidInput naming the parameter for unknown names, wrong types, bad enum values and
    missing required values, so the message can go straight back to the requester.
    """
    given = dict(params or {})
    unknown = sorted(set(given) - set(spec.params))
    if unknown:
        known = ", ".join(sorted(spec.params)) or "(none)"
        raise InvalidInput(
            f"Unknown parameter '{unknown[0]}' for skill {spec.name}. Known: {known}"
        )
    result: dict[str, Any] = {}
    for name, param in spec.params.items():
        if name in given and given[name] is not None:
            result[name] = coerce_param(spec.name, name, param, given[name])
        elif param.required:
            raise InvalidInput(f"Parameter '{name}' for skill {spec.name} is required")
        elif param.default is not None:
            result[name] = param.default
        # an optional parameter without a default stays unset: its absence means something
    return result


def coerce_param(skill: str, name: str, param: ParamSpec, value: Any) -> Any:
    """Coerce one value; strings from chat or the CLI ("5", "yes", "a,b") are accepted."""

    def refuse(expected: str) -> InvalidInput:
        return InvalidInput(
            f"Parameter '{name}' for skill {skill} must be {expected}, got {value!r}"
        )

    if param.type == "string":
        if not isinstance(value, str):
            raise refuse("a string")
        return _sized_string(skill, name, param, value)
    if param.type == "integer":
        # bool is an int subclass; True as a day count is a mistake, not a 1
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and value.strip().lstrip("+-").isdigit():
            number = int(value.strip()[:40])  # longer than any bound: refused below
        else:
            raise refuse("an integer")
        low = param.minimum if param.minimum is not None else -INTEGER_PARAM_BOUND
        high = param.maximum if param.maximum is not None else INTEGER_PARAM_BOUND
        if not low <= number <= high:
            raise refuse(f"between {low} and {high}")
        return number
    if param.type == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE_WORDS | _FALSE_WORDS:
            return value.strip().lower() in _TRUE_WORDS
        raise refuse("true or false")
    if param.type == "enum":
        if isinstance(value, str):
            for choice in param.choices:
                if value.strip().lower() == choice.lower():
                    return choice
        raise refuse("one of " + ", ".join(param.choices))
    if param.type == "list":
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
            return list(value)
        raise refuse("a list of strings")
    if param.type == "actions":
        return parse_action_specs(skill, name, value)
    raise refuse(f"a value of type {param.type}")  # unreachable for specs the registry loaded


def _sized_string(skill: str, name: str, param: ParamSpec, value: str) -> str:
    """A string param's value: stripped and within its length range when it declares one."""
    if param.min_length is None and param.max_length is None:
        return value
    stripped = value.strip()
    if param.min_length and len(stripped) < param.min_length:
        raise InvalidInput(
            f"Parameter '{name}' for skill {skill} cannot be empty"
            if param.min_length == 1
            else f"Parameter '{name}' for skill {skill} needs at least "
            f"{param.min_length} characters"
        )
    if param.max_length is not None and len(stripped) > param.max_length:
        raise InvalidInput(
            f"Parameter '{name}' for skill {skill} can be at most {param.max_length} "
            f"characters (got {len(stripped):,})"
        )
    return stripped
