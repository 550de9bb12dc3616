"""No filter a request says is silently dropped. A stage said with no wait ("who's stuck in
Offer", "candidates in the Onsite stage") is the stale-candidate list of that stage when the
request names no other skill; a filter the chosen skill cannot keep to (a pipeline summary
"only for Berlin candidates") is said in one line of the read-back, which asks whether to make
it without, instead of a draft that quietly covers everyone."""

from __future__ import annotations

import re

from assistant.language.draft import Draft
from assistant.language.filter_words import read_filters
from assistant.language.report_words import read_departments
from assistant.language.stage_filter_words import StageFilter
from assistant.language.what_words import SkillFacts
from assistant.language.words import SKILL_LABELS

STALE = "stale-candidate-sla"
#: the wait a stage's list flags when the words say they are stuck but not for how long
USUAL_WAIT = 5


def stage_skill(
    read: SkillFacts, listed: StageFilter | None, event_type: str | None, asks: bool
) -> bool:
    """Make `read` the stale-candidate list when a stage is all it says of what to list;
    whether it was. `asks`: the request says when or where to send (else "only those in
    Offer" alone is a change to an automation, not a request)."""
    if listed is None or read.skill is not None or read.question or event_type or not asks:
        return False
    read.skill, read.vague = STALE, False
    return True


def fit_listed_stage(draft: Draft, listed: StageFilter | None, chosen: bool) -> None:
    """The stage said with no wait, on a list that keeps to a stage: "stuck in Offer" counts
    the wait from entering it; a list the stage alone asked for lists everyone in it."""
    if listed is None or draft.skill != STALE:
        return
    draft.params["stage"] = listed.stage
    if not (listed.waiting or chosen) or "business_days" in draft.params:
        return  # "the stale candidates in Screen": not contacted for a while, in Screen
    draft.params["measure"] = "stage"
    if listed.waiting:
        draft.params["business_days"] = USUAL_WAIT
        draft.defaults.append(
            f"“{listed.said}” flags those in {listed.stage} {USUAL_WAIT} business days or more, "
            "as you named no wait (say another, e.g. “for over 2 weeks”)"
        )
    else:
        draft.params["business_days"] = 0
        draft.defaults.append(
            f"it lists everyone in {listed.stage}, however long they have been there (say a "
            "wait to list only those there longer, e.g. “for over a week”)"
        )


def unkept_filter_notes(draft: Draft, about: str, listed: StageFilter | None) -> None:
    """One line for each filter the request says that the draft's skill has no setting for."""
    spec = draft.specs.get(draft.skill or "")
    if spec is None:
        return  # what the skill can keep to is not known here
    declared = set(spec.params)
    label = SKILL_LABELS.get(draft.skill or "", draft.skill or "it")
    label = re.sub(r"\s*\([\w-]+\)$", "", label)
    unkept: list[tuple[str, str]] = []
    if listed is not None and "stage" not in declared:
        unkept.append((listed.said, "stage"))
    place = read_filters(about, {"location": "string"})
    if place.params.get("location") and "location" not in declared:
        start, end = place.spans[0]
        unkept.append((about[start:end].strip(), "location"))
    if not declared & {"departments", "jobs"} and (departments := read_departments(about)):
        unkept.append((" and ".join(departments), "department"))
    for said, kind in unkept:
        draft.notes.append(
            f"“{said}”: {label} cannot keep to one {kind}, so it covers every {kind}. Confirm "
            f"to have it so, or tell me what to change."
        )
