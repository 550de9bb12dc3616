"""What a report request says of its params beyond the schedule: the departments it keeps to
("for engineering roles only", "only engineering and sales jobs", "for the design team"), how
its figures are grouped ("by hiring manager", "by job"), how long a role must have been open
("open for more than 30 days"), and the period hiring metrics cover (a quarterly report
covers a quarter). Department names are kept as said; the tool set matches them to the
organisation's departments before anything is made."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from assistant.language.cadence import period_of
from assistant.language.draft import Draft
from assistant.language.object_durations import ObjectDuration
from skills.param_words import SpecsBySkill

#: the report skills a department filter narrows
DEPARTMENT_SKILLS = (
    "open-roles-report",
    "hiring-metrics",
    "pipeline-report",
    "stale-candidate-sla",
    "sourcing-recap",
    "scheduled-report",
)
_NOUN = (
    r"(?:roles?|jobs?|positions?|reqs?|requisitions?|openings?|vacancies|pipeline|team|teams|"
    r"department|departments|dept)"
)
# up to five words, joined by spaces, commas, "and", "or", "&" or "/"
_NAMES = r"(?P<names>[a-z][a-z&-]*(?:(?:\s*[,/&]\s*|\s+)[a-z][a-z&-]*){0,4}?)"
# "for engineering", "for sales and marketing": with no noun after it, a name is taken for a
# department only when it is one of these
_USUAL = (
    r"(?:engineering|sales|marketing|design|product|finance|operations|ops|support|legal|hr"
    r"|customer\s+success|recruiting|talent|security|research)"
)
_SAID = (
    re.compile(
        r"\b(?:only|just)\s+(?:for\s+|in\s+|on\s+)?(?:the\s+|our\s+)?"
        + _NAMES
        + r"\s+"
        + _NOUN
        + r"\b"
    ),
    re.compile(r"\bfor\s+(?:the\s+|our\s+)?" + _NAMES + r"\s+" + _NOUN + r"\s+only\b"),
    re.compile(
        r"\b(?:for|of|in)\s+(?:the\s+|our\s+)?" + _NAMES + r"\s+(?:team|department|dept)s?\b"
    ),
    re.compile(
        r"\bfor\s+(?:the\s+|our\s+)?(?P<names>"
        + _USUAL
        + r"(?:\s*(?:,|\band\b|&|\bor\b)\s*"
        + _USUAL
        + r")*)\b(?!\s+[a-z]+(?:s|ing)\b)"
    ),
)
# words before a department's name that are not part of it
_NOT_NAMES = frozenset(
    "open active live current new all every any the my our their his her your own whole entire "
    "hiring recruiting each both".split()
)
# words a department's name never holds: the request's other parts
_CLAUSE_WORDS = frozenset(
    "send email mail post me us to by per with at on every each day week month quarter year "
    "report list summary metrics stats of in for from".split()
)
_SPLIT = re.compile(r"\s*(?:,|\band\b|&|\bor\b|/|\bplus\b)\s*")


def read_departments(request: str) -> list[str]:
    """The departments a request keeps to, as said ("Engineering", "Sales"); [] for none."""
    low = request.lower()
    for pattern in _SAID:
        for m in pattern.finditer(low):
            if _CLAUSE_WORDS & set(re.findall(r"[a-z]+", m.group("names"))):
                continue  # "of each quarter send me time to hire by department": no name
            names = []
            for part in _SPLIT.split(m.group("names")):
                words = part.split()
                while words and words[0] in _NOT_NAMES:
                    words = words[1:]
                if words:
                    names.append(" ".join(words))
            if names:
                start = m.start("names")
                return [_as_said(request, start, low, name) for name in names]
    return []


def _as_said(request: str, start: int, low: str, name: str) -> str:
    """The name in the request's own capitals."""
    at = low.find(name, start)
    return request[at : at + len(name)] if at >= 0 else name


_EVERY_DEPARTMENT = re.compile(
    r"\b(?:all|every|any)\s+(?:the\s+)?departments?\b|\b(?:all|every)\s+(?:the\s+)?(?:roles|jobs)\b"
)


def departments_change(
    skill: str, params: dict[str, Any], request: str, specs: SpecsBySkill
) -> dict[str, Any] | None:
    """ "only engineering roles", "for every department": the departments a report with a
    `departments` param keeps to, as a change (None when the request names none)."""
    spec = specs.get(skill)
    if spec is None or "departments" not in spec.params:
        return None
    if _EVERY_DEPARTMENT.search(request.lower()):
        return {"params": {**params, "departments": []}}
    if said := read_departments(request):
        return {"params": {**params, "departments": said}}
    return None


def report_params(
    skill: str,
    request: str,
    durations: Sequence[ObjectDuration],
    runs: Sequence[datetime],
) -> dict[str, Any]:
    """The params of a report skill its request's words set (none for other skills)."""
    low = request.lower()
    params: dict[str, Any] = {}
    if skill in DEPARTMENT_SKILLS and (departments := read_departments(request)):
        params["departments"] = departments
    if skill == "open-roles-report":
        days = [d.days for d in durations if d.days is not None and "open" in low]
        if days:
            params["older_than_days"] = round(days[0])
        if re.search(r"\b(?:by|per|for\s+each)\s+hiring\s+managers?\b", low):
            params["group_by"] = "hiring_manager"
    if skill == "hiring-metrics":
        if re.search(r"\b(?:by|per|for\s+each)\s+(?:job|role|position|req)s?\b", low):
            params["group_by"] = "job"
        if len(runs) > 1:
            params["period"] = _metrics_period(list(runs))
    return params


#: what the read-back says of an open-roles list sent to the hiring managers
TO_HIRING_MANAGERS = "each hiring manager gets only the roles they manage"


def recipient_params(skill: str, to: Sequence[str], params: dict[str, Any]) -> str | None:
    """An open-roles list for the hiring managers is grouped by them (unless said otherwise):
    sets that, and returns what the read-back says of who gets what (None for others): each
    hiring manager their own roles, everyone else named the whole list."""
    if skill != "open-roles-report" or "hiring_manager" not in to:
        return None
    params.setdefault("group_by", "hiring_manager")
    others = [t for t in to if t != "hiring_manager"]
    if not others:
        return f"{TO_HIRING_MANAGERS} (a role without one is in no one's list)."
    who = "you get" if others == ["me"] or others == ["owner"] else "the others named get"
    grouped = ", grouped by hiring manager" if params["group_by"] == "hiring_manager" else ""
    return f"{TO_HIRING_MANAGERS}; {who} the whole list{grouped}."


def fit_report(draft: Draft, skill: str, request: str, durations: Sequence[ObjectDuration]) -> None:
    """The params of a report its words set, and what the read-back says of its recipients."""
    draft.params.update(report_params(skill, request, durations, draft.next_runs))
    if said := recipient_params(skill, draft.to, draft.params):
        draft.notes.append(said)


def _metrics_period(runs: list[datetime]) -> str:
    """The period each hiring-metrics run covers: the time since the one before."""
    gaps = [(b - a).days for a, b in itertools.pairwise(runs)]
    if min(gaps) >= 80:
        return "quarter"
    period = period_of(runs)
    if period == "fortnightly":  # neither a week nor a month: each covers its own two weeks
        return "since_last_run"
    return "week" if period in ("daily", "weekly") else "month"
