"""Changes to what an automation does, said in words: any param its skill declares, by the words
that set it in a new request or that its read-back says. "make it 3 days" (the one param counted
in days), "stuck in offer for 2 weeks", "only those in interview", "in every stage", "only my
candidates", "for the whole team", "since their last contact" (a choice's declared words).

Which param an amount is for comes from the skill's declared words: "{value} business day{s}"
counts business days, "{value} hour{s}" hours; an amount in another unit of time is converted
(a week is 5 business days, 7 days, 168 hours). When two params take the same unit, the other
words of the change choose ("offers within 10 days"), else the change asks which."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from assistant.language.clock_words import Text
from assistant.language.declared_words import declared_in, range_words
from assistant.language.filter_words import FILTERS, read_filters, says_filter
from assistant.language.stage_words import known_stage, read_stage_condition
from assistant.language.words import NUMBER_RE, number
from models.errors import InvalidInput
from skills.param_words import param_in_words

if TYPE_CHECKING:
    from models.tables.automations import Automation
    from skills.base import ParamSpec, SkillSpec
    from skills.param_words import SpecsBySkill

# the unit a param's words count in: "waiting {value} business day{s}" -> "business day"
_UNIT_OF = re.compile(r"\{value\}\s+((?:business\s+)?[a-z]+?)\{s\}")
# an amount said with its unit; "every 3 days" is a schedule, "3 days later" a shift
# "twice a week", "3 times a day": how often, not an amount of time
_AMOUNT = re.compile(
    rf"(?<!every )(?<!each )(?<!twice )(?<!once )(?<!thrice )(?<!times )\b(?P<n>{NUMBER_RE})\s+(?P<business>business\s+|working\s+)?"
    r"(?P<unit>minutes?|mins?|hours?|hrs?|days?|weeks?|months?|steps?)\b"
    r"(?!\s+(?:later|earlier|sooner|before|after|ago|from now))"
)
# the old value a change names to replace ("3 days instead of 5", "not 5 but 3")
_INSTEAD_OF = re.compile(
    rf"\binstead\s+of\s+(?:the\s+)?{NUMBER_RE}(?:\s+[a-z]+)?|\bnot\s+{NUMBER_RE}\b"
)
# minutes in each unit of time a param may count in; business days count 5 to a week
_MINUTES = {"minute": 1, "hour": 60, "day": 1440, "week": 10080, "month": 43200}
_BUSINESS = {"day": 1, "week": 5, "month": 21}
_UNITS = {"minute": "minute", "min": "minute", "hour": "hour", "hr": "hour", "day": "day"}
_UNITS |= {"week": "week", "month": "month", "step": "step"}
_SCOPE_MINE = re.compile(
    r"\b(?:only|just)\s+(?:for\s+)?(?:my|mine)\b|\bmy\s+own\b|\b(?:only|just)\s+me\b", re.I
)
_SCOPE_ALL = re.compile(
    r"\b(?:whole|entire)\s+(?:team|org|organi[sz]ation|company)\b|\beveryone'?s\b|"
    r"\b(?:all|every)\s+(?:the\s+)?(?:candidates|recruiters)\b",
    re.I,
)
# a stage said as what a check keeps to: "only those in offer", "only the interview stage"
_ONLY_STAGE = re.compile(
    r"\b(?:only|just)\s+(?:(?:those|candidates|people|ones|applicants)\s+)?(?:(?:in|at)\s+)?"
    r"(?:the\s+)?(?P<stage>[a-z][\w-]*(?:\s+[a-z][\w-]*)?)",
    re.I,
)
_EVERY_STAGE = re.compile(r"\b(?:in\s+)?(?:every|all|any)\s+stages?\b|\bwhatever\s+stage\b", re.I)
# words read as other things than a stage in a change ("only new ones" is not Applied)
_NOT_STAGES = {"new", "application", "applications"}
_ALSO = re.compile(
    r"^\s*(?:and\s+)?(?:also|plus|include|add)\b|\b(?:too|as\s+well)\s*[.!]?\s*$", re.I
)


# words a request of its own says: when, what to do, to whom ("remind me in 3 days",
# "list candidates older than 5 days", "email me in 2 hours" are requests, not changes)
_REQUEST_WORDS = re.compile(
    r"\b(?:when|whenever|every|each|daily|weekly|remind|send|e-?mail|tell|notify|post|alert|"
    r"message|ping|list|show|give|check|flag|dm|slack|me|us)\b"
)


def is_what_change(message: str) -> bool:
    """A short message that only makes sense as a change to what an automation does or the
    event it waits for: "3 days instead", "for the whole team", "in every stage", "for all
    roles", "not for offer anymore" (a request of its own says more)."""
    low = message.lower().replace("\u2019", "'").strip().rstrip(".!")
    if len(low.split()) > 7 or _REQUEST_WORDS.search(low):
        return False
    return bool(
        re.match(r"since\s+(?:their|the|they)\b", low)
        or ((amount := _AMOUNT.search(low)) and not low[: amount.start()].endswith("in "))
        or _EVERY_STAGE.search(low)
        or _SCOPE_ALL.search(low)
        or _SCOPE_MINE.search(low)
        or says_filter(message)
        or re.search(r"\b(?:all|every|any)\s+(?:the\s+)?(?:jobs|roles|positions)\b", low)
        or (
            (
                re.match(r"(?:not|no\s+longer|never|except|drop|remove|include|add|plus)\b", low)
                or re.search(r"\b(?:too|as\s+well)$", low)
            )
            and stage_in(low) is not None
        )
    )


def stage_in(low: str) -> str | None:
    """The first of the usual stages named in `low` ("offer", "the interview stage")."""
    for word in re.findall(r"[a-z]+(?:\s+stage\b)?", low):
        if word not in _NOT_STAGES and (stage := known_stage(word)) is not None:
            return stage
    return None


def unit_of(param: ParamSpec) -> str | None:
    """The unit an integer param counts in, from its declared words ("business day")."""
    if param.type != "integer" or not isinstance(param.words, str):
        return None
    m = _UNIT_OF.search(param.words)
    return m.group(1) if m else None


def param_changes(
    auto: Automation, request: str, specs: SpecsBySkill
) -> tuple[dict[str, Any], str]:
    """The params `request` changes on `auto` (only those it changes), and the request with
    the words that said them blanked (the same length: what is left reads as before).
    InvalidInput when it names a param unclearly."""
    spec = in_use(auto, specs.get(auto.skill))
    if spec is None or not spec.params:
        return {}, request
    before = dict(auto.params or {})
    params = dict(before)
    said = _Said(request)
    _declared(auto.skill, spec, params, said)
    _filters(spec, params, said)
    if not (_stage_condition(spec, params, said) or _amount(spec, params, said)):
        _stage(spec, params, said)
    _scope(spec, params, said)
    _declared_choice(spec, params, said)
    changed = {k: v for k, v in params.items() if k not in before or before[k] != v}
    return changed, said.raw


def in_use(auto: Automation, spec: SkillSpec | None) -> SkillSpec | None:
    """The skill with the params `auto` uses: on an event, those its skill declares for a
    schedule only ("On a schedule, ...") are not what it does."""
    if spec is None or auto.trigger_type != "event":
        return spec
    used = {
        name: param
        for name, param in spec.params.items()
        if not param.description.lower().startswith("on a schedule")
    }
    return replace(spec, params=used)


class _Said:
    """A change's words as they are read: each reader blanks what it took."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.low = raw.lower()

    def take(self, start: int, end: int) -> None:
        gap = " " * (end - start)
        self.raw = self.raw[:start] + gap + self.raw[end:]
        self.low = self.low[:start] + gap + self.low[end:]


def _declared(skill: str, spec: SkillSpec, params: dict[str, Any], said: _Said) -> None:
    """ "looking back 48 hours on the first run": a param in the words its read-back says."""
    for found in declared_in(said.raw, {skill: spec}):
        if not found.in_range:
            raise InvalidInput(
                f"“{found.said}” is out of range: it takes {range_words(spec.params[found.name])}."
            )
        params[found.name] = found.value
        said.take(*found.span)


def _filters(spec: SkillSpec, params: dict[str, Any], said: _Said) -> None:
    """ "only if they're in Berlin", "any location", "only high-priority ones": the filters
    read as a new request's are; InvalidInput when its skill has none they set."""
    declared = {name: param.type for name, param in spec.params.items()}
    if not set(declared) & set(FILTERS) and read_filters(said.raw, FILTERS).params:
        raise InvalidInput(
            f"It has no filter for that: {spec.name} does not keep to a location, keywords or "
            "high priority (a new-candidate alert does)."
        )
    found = read_filters(said.raw, declared, params)
    params.update(found.params)
    for start, end in found.spans:
        said.take(start, end)


def _stage_condition(spec: SkillSpec, params: dict[str, Any], said: _Said) -> bool:
    """ "stuck in offer for 2 weeks": a stage and a wait, as a new request says them."""
    if "stage" not in spec.params:
        return False
    text = Text(said.raw)
    condition, question = read_stage_condition(text)
    if question:
        raise InvalidInput(question)
    if condition is None:
        return False
    for i, (was, now) in enumerate(zip(said.low, text.low, strict=True)):
        if was != now:
            said.take(i, i + 1)
    params["stage"] = condition.stage
    _measure_stage(spec, params)
    for name, param in spec.params.items():
        unit = unit_of(param)
        if unit is not None and unit.endswith("day"):
            params[name] = condition.business_days if "business" in unit else condition.days
            break
    return True


def _measure_stage(spec: SkillSpec, params: dict[str, Any]) -> None:
    """A check kept to a stage counts the wait from entering it, as a new request makes it."""
    measure = spec.params.get("measure")
    if measure is not None and "stage" in measure.choices:
        params["measure"] = "stage"


def _amount(spec: SkillSpec, params: dict[str, Any], said: _Said) -> bool:
    """ "make it 3 days", "3 days instead of 5": an amount for the param counting in its
    unit."""
    low = _INSTEAD_OF.sub(lambda m: " " * len(m.group(0)), said.low)
    m = _AMOUNT.search(low)
    if m is None:
        return False
    amount = number(m.group("n"))
    if amount is None or amount <= 0:
        raise InvalidInput(f"How many exactly? “{m.group(0)}” is too vague.")
    unit = _UNITS[m.group("unit").rstrip("s")]
    business = bool(m.group("business"))
    fitting = {
        name: value
        for name, param in spec.params.items()
        if (value := _in_unit(amount, unit, business, unit_of(param))) is not None
    }
    if not fitting:
        return False
    name = _chosen(spec, fitting, low[: m.start()] + low[m.end() :], m.group(0))
    param = spec.params[name]
    value = fitting[name]
    least, most = param.minimum or 1, param.maximum
    if value < least or (most is not None and value > most):
        unit = unit_of(param) or ""
        raise InvalidInput(
            f"{m.group(0).capitalize()} is out of range: it takes {least} to {most} {unit}s."
        )
    params[name] = value
    said.take(m.start(), m.end())
    if instead := _INSTEAD_OF.search(said.low):
        said.take(instead.start(), instead.end())
    return True


def _in_unit(amount: int, unit: str, business: bool, counts: str | None) -> int | None:
    """`amount` `unit`s in the unit a param counts in; None when it does not count time of
    that kind (or the amount is not whole in it)."""
    if counts is None:
        return None
    counted = counts.split()[-1]
    if "business" in counts:
        return amount * _BUSINESS[unit] if unit in _BUSINESS else None
    if business:
        return None  # business days are not a length of time a param counts in
    if counted == unit:
        return amount
    if unit in _MINUTES and counted in _MINUTES:
        minutes = amount * _MINUTES[unit]
        return minutes // _MINUTES[counted] if minutes % _MINUTES[counted] == 0 else None
    return None


def _chosen(spec: SkillSpec, fitting: Mapping[str, int], rest: str, said: str) -> str:
    """The param an amount is for: the only one counting in its unit, else the one whose
    words the change's other words name."""
    if len(fitting) == 1:
        return next(iter(fitting))
    words = set(re.findall(r"[a-z]{4,}", rest))

    def overlap(name: str) -> int:
        param = spec.params[name]
        own = f"{name.replace('_', ' ')} {param.words or ''} {param.description}".lower()
        return sum(1 for w in words if w.rstrip("s") in own)

    scored = sorted(fitting, key=overlap, reverse=True)
    if overlap(scored[0]) > overlap(scored[1]):
        return scored[0]
    options = " or ".join(f"“{param_in_words(n, spec.params[n], fitting[n])}”" for n in fitting)
    raise InvalidInput(f"Which should be {said}: {options}?")


def _stage(spec: SkillSpec, params: dict[str, Any], said: _Said) -> bool:
    """ "only those in interview", "in every stage": the one stage a check keeps to."""
    param = spec.params.get("stage")
    if param is None and re.match(r"\s*(?:only|just)\b", said.low):
        if (named := _stage_named(said.low)) is not None:
            raise InvalidInput(
                f"It has no stage filter: {spec.name} covers every stage. The stale-candidate "
                f"list keeps to one: “every weekday at 9am send me the candidates in {named}”."
            )
    if param is None or param.type != "string":
        return False
    if every := _EVERY_STAGE.search(said.low):
        params["stage"] = ""
        said.take(every.start(), every.end())
        return True
    named = _stage_named(said.low)
    if named is None:
        return False
    also = _ALSO.search(said.low)
    said.take(0, len(said.raw))  # the whole change is about the stage
    if also and params.get("stage") and params["stage"] != named:
        raise InvalidInput(
            f"It checks one stage, {params['stage']}: say “only those in {named}” to check "
            f"{named} instead, or ask for a second automation for {named}."
        )
    params["stage"] = named
    _measure_stage(spec, params)
    return True


def _stage_named(request: str) -> str | None:
    """The usual stage a change names ("offer", "the interview stage"), if any."""
    if m := _ONLY_STAGE.search(request):
        words = m.group("stage").split()
        for size in (2, 1):
            said = " ".join(words[:size])
            if said not in _NOT_STAGES and (stage := known_stage(said)) is not None:
                return stage
    return stage_in(request.lower()) if _ALSO.search(request) else None


def _scope(spec: SkillSpec, params: dict[str, Any], said: _Said) -> None:
    """ "for the whole team", "only my candidates": whose candidates a report covers."""
    param = spec.params.get("scope")
    if param is None or not {"mine", "organization"} <= set(param.choices):
        return
    for pattern, scope in ((_SCOPE_ALL, "organization"), (_SCOPE_MINE, "mine")):
        if m := pattern.search(said.low):
            params["scope"] = scope
            said.take(m.start(), m.end())
            return


def _declared_choice(spec: SkillSpec, params: dict[str, Any], said: _Said) -> None:
    """A choice named by the words its skill declares for it ("since their last contact")."""
    for name, param in spec.params.items():
        if param.type not in ("enum", "boolean") or not isinstance(param.words, dict):
            continue
        found = [
            (choice, m)
            for choice, words in param.words.items()
            if (m := re.search(r"\s+".join(map(re.escape, words.lower().split())), said.low))
        ]
        if len(found) == 1:
            choice, m = found[0]
            params[name] = choice == "true" if param.type == "boolean" else choice
            said.take(m.start(), m.end())
