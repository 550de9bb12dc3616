"""Requests for the report skills, read without an LLM: the words that choose open-roles-report
and hiring-metrics, the params their words set (how long a role has been open, how figures are
grouped, the period a quarterly report covers), the departments a report keeps to, and the
quarter's end as a schedule. Generated: schedule, object, departments and word order, each
with its known skill, params and first run."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.language import understand
from assistant.language.report_words import read_departments
from skills.builtin import default_registry
from tests.examples import examples

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # a Monday
SPECS = default_registry().specs()
# schedule words, their first run and the period hiring metrics then cover
SCHEDULES = (
    ("every Monday at 9am", datetime(2026, 12, 7, 9, 0, tzinfo=UTC), "week"),
    ("every other Tuesday at 10", datetime(2026, 12, 1, 10, 0, tzinfo=UTC), "since_last_run"),
    ("at the end of each quarter", datetime(2026, 12, 31, 9, 0, tzinfo=UTC), "quarter"),
    ("on the 1st of every month at 8am", datetime(2026, 12, 1, 8, 0, tzinfo=UTC), "month"),
)
# what is asked for: its skill and the params its words set
OBJECTS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    (
        "a list of open roles that have been open for more than 30 days",
        "open-roles-report",
        {"older_than_days": 30},
    ),
    ("the roles still open for over 45 days", "open-roles-report", {"older_than_days": 45}),
    ("our open roles by hiring manager", "open-roles-report", {"group_by": "hiring_manager"}),
    ("time-to-hire by department", "hiring-metrics", {}),
    ("time to fill by job", "hiring-metrics", {"group_by": "job"}),
    ("the offer acceptance rate", "hiring-metrics", {}),
    ("hiring metrics", "hiring-metrics", {}),
    ("pipeline stats", "pipeline-report", {}),
)
DEPARTMENTS: tuple[tuple[str, list[str]], ...] = (
    ("", []),
    ("for engineering roles only", ["engineering"]),
    ("only engineering and sales jobs", ["engineering", "sales"]),
    ("for the design team", ["design"]),
    ("for the Customer Success department", ["Customer Success"]),
    ("for sales and marketing", ["sales", "marketing"]),
)


@settings(max_examples=examples(120), deadline=None, database=None)
@given(
    st.sampled_from(SCHEDULES),
    st.sampled_from(OBJECTS),
    st.sampled_from(DEPARTMENTS),
    st.booleans(),
)
def test_each_report_request_reads_as_its_skill_params_and_schedule(
    schedule: tuple[str, datetime, str],
    thing: tuple[str, str, dict[str, Any]],
    departments: tuple[str, list[str]],
    schedule_first: bool,
) -> None:
    when, first_run, period = schedule
    said, skill, params = thing
    only, names = departments
    what = f"{said} {only}".strip()
    request = f"{when} send me {what}" if schedule_first else f"send me {what} {when}"
    draft = understand(request, tz="UTC", now=NOW, specs=SPECS)
    assert draft.ok, (request, draft.question)
    assert draft.skill == skill, request
    assert draft.next_runs[0] == first_run, request
    assert params.items() <= draft.params.items(), (request, draft.params)
    assert draft.params.get("departments", []) == names, request
    if skill == "hiring-metrics":
        assert draft.params["period"] == period, request
    assert not any("30 days" in note or "45 days" in note for note in draft.notes), request


def test_the_lead_s_requests() -> None:
    quarterly = understand(
        "at the end of each quarter send me time-to-hire by department",
        tz="UTC",
        now=NOW,
        specs=SPECS,
    )
    assert quarterly.ok and quarterly.skill == "hiring-metrics"
    assert quarterly.params == {"period": "quarter"}
    assert [run.month for run in quarterly.next_runs] == [12, 3, 6]
    fortnightly = understand(
        "every other Tuesday at 10 send me pipeline stats for engineering roles only",
        tz="UTC",
        now=NOW,
        specs=SPECS,
    )
    assert fortnightly.ok and fortnightly.params["departments"] == ["engineering"]
    aging = understand(
        "every Monday send me a list of open roles that have been open for more than 30 days",
        tz="UTC",
        now=NOW,
        specs=SPECS,
    )
    assert aging.ok and aging.skill == "open-roles-report"
    assert aging.params["older_than_days"] == 30 and not aging.notes


def test_words_about_other_things_name_no_department() -> None:
    for request in (
        "every friday send the pipeline report to my team",
        "send me the sourcing recap for my team every friday",
        "every monday send me open roles grouped by department",
        "at the end of each quarter send me time to hire by department",
        "send me hiring metrics for the whole team monthly",
        "send the report for it every day",
        "every friday send me a report for people who applied",
    ):
        assert read_departments(request) == [], request
