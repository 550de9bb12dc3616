"""The params a new request's own words set once its skill is chosen: the filters it names
("only in Berlin", "with python or go in their CV") and any param said in the words the skill
declares for it ("looking back 48 hours on the first run"). The latter are taken out of the
working text before the schedule is read, so their numbers are never read as times."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from assistant.language.clock_words import Text
from assistant.language.declared_words import DeclaredSaid, declared_in, range_words
from assistant.language.draft import Draft
from assistant.language.event_words import read_condition
from assistant.language.filter_words import read_filters
from skills.param_words import param_in_words

if TYPE_CHECKING:  # the light parts load no skill machinery (jinja2)
    from skills.base import SkillSpec


def take_declared(text: Text, specs: Mapping[str, SkillSpec]) -> list[DeclaredSaid]:
    """The params of any skill said in their declared words, taken out of `text` (but for a
    condition, "not contacted for 5 days", which the condition reader reads as well)."""
    found = declared_in(text.raw, specs)
    for said in found:
        if read_condition(Text(said.said))[0] is not None:
            continue
        start, end = said.span
        text.low = text.low[:start] + " " * (end - start) + text.low[end:]
    return found


def fit_said_params(draft: Draft, about: str, declared: list[DeclaredSaid]) -> None:
    """Set the params the request's words say on the draft's skill (one out of range is left
    as it was, and the read-back says so)."""
    spec = draft.specs.get(draft.skill or "")
    if spec is None:
        return
    types = {name: param.type for name, param in spec.params.items()}
    found = read_filters(about, types).params
    draft.params.update(found)
    if found.get("keywords") and re.search(r"\b(?:cvs?|resumes?|résumés?)\b", about, re.I):
        # the words are looked for where the alert looks, never in the CV itself
        draft.notes.append(
            "the keywords are looked for in each applicant's headline, job title and "
            "source; the CV itself is not read."
        )
    ours = {said.span for said in declared if said.skill == draft.skill}
    for said in declared:
        if said.skill == draft.skill and not said.in_range:
            param = spec.params[said.name]
            draft.notes.append(
                f"“{said.said}” is out of range (it takes {range_words(param)}), so it stays "
                f"{param_in_words(said.name, param, draft.params.get(said.name, param.default))}."
            )
        elif said.skill == draft.skill:
            draft.params[said.name] = said.value
        elif said.span not in ours:
            ours.add(said.span)
            draft.notes.append(
                f"“{said.said}” is what a {said.skill} automation does; this one has no such "
                "setting, so it was left out."
            )
