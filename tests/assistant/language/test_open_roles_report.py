"""A report about open roles is the open-roles report (each open job, how long it has been open
and its applicants by stage): it is chosen, not asked about; the pipeline of open roles is the
pipeline report. Sent to the hiring managers, each hiring manager gets only the roles they manage
and anyone else named the whole list (the read-back says so); the pipeline report, about no one
job, has no hiring manager to find."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.language.understand import understand
from skills.builtin import default_registry
from tests.examples import examples

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
SPECS = default_registry().specs()


@settings(max_examples=examples(160), deadline=None)
@given(
    what=st.sampled_from(("a summary of", "a report on", "an update on", "a digest of")),
    whose=st.sampled_from(("my", "our", "the", "all")),
    adjective=st.sampled_from(("open", "active", "live", "current")),
    noun=st.sampled_from(("roles", "jobs", "positions", "reqs", "openings", "vacancies")),
    when=st.sampled_from(("every friday", "on mondays at 9am", "every weekday at 8")),
)
def test_a_report_on_open_roles_is_the_open_roles_report(
    what: str, whose: str, adjective: str, noun: str, when: str
) -> None:
    draft = understand(f"{when} send me {what} {whose} {adjective} {noun}", now=NOW, specs=SPECS)
    assert draft.question is None, draft.question
    assert draft.skill == "open-roles-report"
    pipeline = understand(f"{when} send me the pipeline of {whose} {adjective} {noun}", now=NOW)
    assert pipeline.skill == "pipeline-report", pipeline.question


def test_to_the_hiring_managers_each_gets_their_own_roles_and_the_read_back_says_so() -> None:
    draft = understand(
        "every friday send the hiring managers a summary of their open roles", now=NOW, specs=SPECS
    )
    assert draft.ok and draft.skill == "open-roles-report" and draft.to == ["hiring_manager"]
    assert draft.params["group_by"] == "hiring_manager"
    assert draft.notes == [
        "each hiring manager gets only the roles they manage (a role without one is in no "
        "one's list)."
    ]
    also = understand(
        "every friday send me and the hiring managers a summary of the open roles",
        now=NOW,
        specs=SPECS,
    )
    assert sorted(also.to) == ["hiring_manager", "me"]
    assert also.notes == [
        "each hiring manager gets only the roles they manage; you get the whole list, grouped "
        "by hiring manager."
    ]
    pipeline = understand(
        "every friday send the hiring managers a summary of the pipeline", now=NOW, specs=SPECS
    )
    assert pipeline.question is not None and "Which report" not in pipeline.question
    assert "pipeline-report" in pipeline.question and "hiring manager" in pipeline.question
