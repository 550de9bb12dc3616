"""No filter a request says is silently dropped. For each scheduled list or report, each kind of
filter (a stage, a department, a place, a job), several phrasings and several places in the
sentence, the draft either keeps to what was said (the skill declares that filter) or says in
one line of its read-back that it cannot, naming the words; the ground truth is the generator's
own choice of value and the skill's declared params. A stage said with no other skill ("who's
stuck in Offer", "candidates in the Onsite stage") is the stale-candidate list of that stage."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from assistant.language import Draft, understand
from assistant.language.edits import changes_in_words
from models.errors import InvalidInput
from skills.builtin import default_registry
from tests.assistant.language.param_edit_support import automation

SPECS = default_registry().specs()
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)

# each skill as a request names it
SKILLS = {
    "stale-candidate-sla": "the stale candidates",
    "pipeline-report": "a summary of my pipeline",
    "followups": "the follow-ups that are due",
    "open-roles-report": "a list of open roles",
    "sourcing-recap": "a sourcing recap",
    "hiring-metrics": "the time to hire",
}
# kind: (the param it sets, (value said, value kept), phrasings)
KINDS = {
    "stage": (
        "stage",
        (
            ("Screen", "Screen"),
            ("screening", "Screen"),
            ("Interview", "Interview"),
            ("Offer", "Offer"),
        ),
        ("in {v}", "only those in {v}", "in the {v} stage", "who are in {v}"),
    ),
    "location": (
        "location",
        (("Berlin", "Berlin"), ("London", "London"), ("New York", "New York")),
        (
            "only in {v}",
            "only {v} candidates",
            "for candidates based in {v}",
            "{v} candidates only",
        ),
    ),
    "department": (
        "departments",
        (("engineering", "engineering"), ("sales", "sales"), ("design", "design")),
        ("for {v} roles only", "only {v} jobs", "for the {v} team", "just the {v} department"),
    ),
}
POSITIONS = (
    "every monday at 9am send me {skill} {said}",
    "every monday at 9am send me {skill} {said} by email",
    "every monday at 9am send me {skill}, but {said}",
    "every monday at 9am, {said}, send me {skill}",
)


def _cannot(draft: Draft, kind: str) -> bool:
    return any(f"cannot keep to one {kind}" in note for note in draft.notes)


def test_each_filter_is_kept_or_said_never_dropped() -> None:
    for (skill, named), (kind, (param, values, phrasings)), position in itertools.product(
        SKILLS.items(), KINDS.items(), POSITIONS
    ):
        declared = param in SPECS[skill].params
        for (value, kept), phrasing in itertools.product(values, phrasings):
            said = phrasing.format(v=value)
            request = position.format(skill=named, said=said)
            draft = understand(request, tz="UTC", now=NOW, specs=SPECS)
            assert draft.ok and draft.skill == skill, (request, draft.question)
            got = draft.params.get(param)
            if param == "departments" and declared:
                assert [str(d).lower() for d in got or []] == [kept], request
            elif declared:
                assert got == kept and not _cannot(draft, kind), request
            else:
                assert got is None and _cannot(draft, kind), (request, draft.notes)
                line = next(n for n in draft.notes if f"one {kind}" in n)
                assert "\n" not in line and "Confirm" in line, line


JOBS = ("Backend Engineer", "Account Executive")


def test_a_job_named_is_kept_or_answered() -> None:
    """A job's title said on a list: kept in a filter the draft reads back, or a note."""
    for (skill, named), position, title in itertools.product(SKILLS.items(), POSITIONS, JOBS):
        request = position.format(skill=named, said=f"only for the {title} role")
        draft = understand(request, tz="UTC", now=NOW, specs=SPECS)
        assert draft.ok and draft.skill == skill, request
        assert title.lower() in (draft.summary + " ".join(draft.notes)).lower(), request


STAGES = (
    ("Screen", "Screen"),
    ("phone screen", "Screen"),
    ("Offer", "Offer"),
    ("Onsite", "Onsite"),
)
STUCK = (
    "show me who's {w} in {s}",
    "send me the candidates {w} in {s}",
    "email me anyone {w} in {s}",
)
WAITING = ("stuck", "sitting", "waiting", "parked")
LISTED = ("email me candidates in the {s} stage", "send me the people in the {s} stage")
SCHEDULES = ("every weekday at 8am", "daily at 9", "every friday at 4pm")


@pytest.mark.parametrize("schedule", SCHEDULES)
def test_a_stage_alone_is_the_stale_list_of_that_stage(schedule: str) -> None:
    for (said, stage), template, word in itertools.product(STAGES, STUCK, WAITING):
        for request in (
            f"{schedule} {template.format(w=word, s=said)}",
            f"{template.format(w=word, s=said)} {schedule}",
        ):
            draft = understand(request, tz="UTC", now=NOW, specs=SPECS)
            assert draft.ok and draft.skill == "stale-candidate-sla", (request, draft.question)
            assert draft.params["stage"] == stage and draft.params["measure"] == "stage"
            # no wait was said: the usual one, and the read-back says it is assumed
            assert draft.params["business_days"] == 5
            assert any("as you named no wait" in d for d in draft.defaults), request
    for (said, stage), template in itertools.product(STAGES, LISTED):
        request = f"{schedule} {template.format(s=said)}"
        draft = understand(request, tz="UTC", now=NOW, specs=SPECS)
        assert draft.ok and draft.skill == "stale-candidate-sla", (request, draft.question)
        assert draft.params == {**draft.params, "stage": stage, "business_days": 0}
        assert any(f"everyone in {stage}" in d for d in draft.defaults), request


def test_a_stage_with_a_wait_and_a_place_are_not_stages() -> None:
    """What was read before is read as before: a wait said keeps its days; a place is none."""
    draft = understand(
        "every weekday at 8am send me candidates sitting in Interview for over 2 weeks",
        tz="UTC",
        now=NOW,
        specs=SPECS,
    )
    assert draft.params["business_days"] == 10 and draft.params["stage"] == "Interview"
    berlin = understand(
        "every weekday at 8am send me the stale candidates in Berlin",
        tz="UTC",
        now=NOW,
        specs=SPECS,
    )
    assert "stage" not in berlin.params and _cannot(berlin, "location")


def test_a_stage_said_as_a_change_to_a_list_without_one_is_answered() -> None:
    """ "only those in Interview" on a report that covers every stage: one line naming what
    does keep to a stage, never "I couldn't tell"; on the stale list, the stage is kept."""
    for skill in SKILLS:
        auto = automation(skill)
        for said, stage in (
            ("only those in Interview", "Interview"),
            ("just the offer stage", "Offer"),
        ):
            if "stage" in SPECS[skill].params:
                changed = changes_in_words(auto, said, NOW, specs=SPECS)
                assert changed["params"]["stage"] == stage, (skill, said)
                continue
            with pytest.raises(InvalidInput) as refused:
                changes_in_words(auto, said, NOW, specs=SPECS)
            assert refused.value.message == (
                f"It has no stage filter: {skill} covers every stage. The stale-candidate list "
                f"keeps to one: “every weekday at 9am send me the candidates in {stage}”."
            )
