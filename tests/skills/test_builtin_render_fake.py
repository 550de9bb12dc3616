"""Every built-in skill over the in-memory FakeAts, no database: the report and message skills
render the checked-in output (tests/skills/golden/fake/*.txt, read by a person when first
written; SKILLTICK_UPDATE_GOLDEN=1 rewrites them for review in the diff); the workflow and
sequence skills plan the actions their params and the data call for."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from models.errors import SkillError
from models.store.sequences import DueStep
from skills.actions import ActionResult
from skills.base import OwnerInfo, SkillContext, SkillOutput
from skills.builtin import default_registry
from skills.stores import HolidayCalendar, SequenceSteps
from tests.fakes.ats import FakeAts
from tests.fakes.ats_data import DANA, sample_ats
from tests.fakes.stores import FakeHolidays, FakeSequenceSteps

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # Monday 9:00 in New York
GOLDEN = Path(__file__).parent / "golden" / "fake"


def run_skill(
    name: str,
    trigger: dict[str, Any] | None = None,
    *,
    ats: FakeAts | None = None,
    holidays: HolidayCalendar | None = None,
    sequences: SequenceSteps | None = None,
    footer: str | None = None,
    **params: Any,
) -> SkillOutput:
    ctx = SkillContext(
        org_id=1,
        owner=OwnerInfo(DANA, "dana@sample.test", "Dana Recruiter", "America/Los_Angeles"),
        params=params,
        now=NOW,
        tz="America/New_York",
        triggered_by="test",
        last_success_at=None,
        trigger_data=trigger or {},
        ats=ats or FakeAts(sample_ats(NOW)),
        holidays=holidays or FakeHolidays(),
        sequences=sequences,
        org_timezone="America/New_York",
        footer=footer,
    )
    return default_registry().get(name).run(ctx)


CASES: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    ("pipeline_report", "pipeline-report", {}, {"scope": "organization", "period": "weekly"}),
    ("pipeline_report_mine", "pipeline-report", {}, {"stale_days": 3}),
    ("sourcing_recap", "sourcing-recap", {}, {"scope": "organization"}),
    ("new_candidate_alert", "new-candidate-alert", {}, {"since_hours": 24 * 40}),
    (
        "new_candidate_alert_filtered",
        "new-candidate-alert",
        {},
        {"since_hours": 24 * 40, "keywords": ["python"], "location": "Remote"},
    ),
    ("new_candidate_alert_event", "new-candidate-alert", {"application_id": 3}, {}),
    ("stale_candidate_sla", "stale-candidate-sla", {}, {"scope": "organization"}),
    ("followups", "followups", {}, {"scope": "organization"}),
    ("open_roles_report", "open-roles-report", {}, {"group_by": "hiring_manager"}),
    ("hiring_metrics", "hiring-metrics", {}, {"period": "quarter", "group_by": "job"}),
    ("renewal_reminders", "renewal-reminders", {}, {}),
    ("scheduled_report", "scheduled-report", {}, {"report": "followups"}),
    ("interview_prep", "interview-prep", {"candidate_id": 1}, {}),
    ("offer_accepted_alert", "offer-accepted-alert", {"offer_id": 2}, {}),
    ("offer_accepted_alert_candidate", "offer-accepted-alert", {"candidate_id": 6}, {}),
    ("interview_briefing", "interview-briefing", {"interview_id": 1}, {}),
    ("interview_briefing_scheduled", "interview-briefing", {}, {}),
    ("post_interview_followup", "post-interview-followup", {"interview_id": 2}, {}),
    ("post_interview_followup_scheduled", "post-interview-followup", {}, {}),
]


@pytest.mark.parametrize(("golden", "skill", "trigger", "params"), CASES, ids=[c[0] for c in CASES])
def test_each_builtin_skill_renders_the_checked_in_output_over_the_fake_ats(
    golden: str, skill: str, trigger: dict[str, Any], params: dict[str, Any]
) -> None:
    output = run_skill(skill, trigger, **params)
    assert output.skipped_reason is None
    rendered = f"Subject: {output.subject}\n\n{output.text}"
    path = GOLDEN / f"{golden}.txt"
    if os.environ.get("SKILLTICK_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8")
    assert "<" not in output.text.replace("<address>", "")  # the text part is plain text
    flat = repr(output.summary)  # summaries hold counts and ids, never contact details
    assert "@" not in flat and "555-01" not in flat


def test_the_organisations_holidays_are_not_business_days_of_waiting() -> None:
    plain = run_skill("stale-candidate-sla", scope="organization", business_days=2)
    holidays = FakeHolidays(frozenset({date(2026, 11, 19), date(2026, 11, 20)}))
    held = run_skill(
        "stale-candidate-sla", holidays=holidays, scope="organization", business_days=2
    )
    assert "Edsger Dijkstra (Backend Engineer, Applied): 8 business days" in plain.text
    assert "Edsger Dijkstra (Backend Engineer, Applied): 6 business days" in held.text
    assert "Ada Lovelace (Backend Engineer, Interview): 4 business days" in held.text


def test_nothing_to_report_is_skipped_not_sent() -> None:
    empty = FakeAts(sample_ats(NOW))
    empty.data.interviews.clear()
    output = run_skill("interview-briefing", ats=empty)
    assert output.skipped_reason == "nothing_to_report"


def test_an_event_skill_without_its_id_names_what_is_missing() -> None:
    with pytest.raises(
        SkillError, match=r"needs an interview: run it from an interview\.completed"
    ):
        run_skill("post-interview-followup", {"interview_id": "x"})


def test_workflow_plans_each_action_for_the_candidate_of_the_event() -> None:
    actions = [
        {
            "type": "send_email",
            "to": "candidate",
            "subject": "Hi {{ candidate.first_name }}",
            "body": "About {{ job.title }} ({{ stage }})",
        },
        {
            "type": "send_email",
            "to": "hiring_manager",
            "subject": "{{ candidate.name }}",
            "body": "Moved",
        },
        {"type": "update_field", "entity": "application", "field": "priority", "value": "high"},
        {
            "type": "create_task",
            "title": "Call {{ candidate.name }}",
            "due_in_days": 2,
            "assignee": "candidate_owner",
        },
    ]
    output = run_skill("workflow", {"candidate_id": 4, "to_stage": "Offer"}, actions=actions)
    email, manager, update, task = output.actions
    assert (email.to_email, email.subject, email.text) == (
        "katherine@candidates.test",
        "Hi Katherine",
        "About Data Analyst (Offer)",
    )
    assert email.quiet_tz == "America/New_York"  # no zone of her own: the organisation's
    assert (manager.to_email, manager.subject) == ("alex@sample.test", "Katherine Johnson")
    assert (update.entity, update.entity_id, update.field_name, update.value) == (
        "application",
        4,
        "priority",
        "high",
    )
    assert (task.title, task.owner_id, task.due_at) == (
        "Call Katherine Johnson",
        2,
        NOW + timedelta(days=2),
    )
    assert not output.deliver and "katherine" not in repr(output.summary).lower()


def _step(enrolment: int, candidate: int, action: str = "send_email") -> DueStep:
    return DueStep(
        enrolment,
        7,
        "Welcome",
        candidate,
        1,
        action,
        "Hi {{ candidate.first_name }}",
        "Welcome to {{ job.title }}",
        False,
    )


def test_nurture_sequence_sends_due_steps_and_holds_those_outside_working_hours() -> None:
    # 14:00 UTC: working hours in London; 8:00 in Chicago, before they begin
    steps = FakeSequenceSteps([_step(1, 1), _step(2, 5), _step(3, 3, "create_task")])
    output = run_skill("nurture-sequence", sequences=steps)
    sent, task = output.actions
    assert (sent.to_email, sent.subject, sent.text) == (
        "ada@candidates.test",
        "Hi Ada",
        "Welcome to Backend Engineer",
    )
    assert (task.title, task.owner_id) == ("Hi Alan", 2)
    assert steps.released == [2]  # Edsger's email waits for Chicago's morning
    assert output.summary["waiting_for_working_hours"] == 1
    assert output.after_actions is not None
    output.after_actions([ActionResult(sent, "completed"), ActionResult(task, "failed", "x")])
    assert steps.recorded == [(1, 1, True, None), (3, 1, False, "x")]


def test_nurture_sequence_without_a_store_says_so() -> None:
    with pytest.raises(SkillError, match="needs the store"):
        run_skill("nurture-sequence")


def test_a_workflow_finds_its_candidate_from_the_application_or_interview() -> None:
    """An ATS may name only the application or the interview in an event: the workflow acts
    on their candidate, as when the candidate is named."""
    ats = FakeAts(sample_ats(NOW))
    actions = [{"type": "create_task", "title": "Call {{ candidate.name }}", "due_in_days": 1,
                "assignee": "owner"}]  # fmt: skip
    named = run_skill("workflow", {"candidate_id": 4}, ats=ats, actions=actions).actions[0]
    application = ats.applications_of(4)[0]
    by_app = run_skill("workflow", {"application_id": application.id}, ats=ats, actions=actions)
    assert by_app.actions[0].title == named.title == "Call Katherine Johnson"
    (interview,) = ats.interviews_of(4)
    by_interview = run_skill("workflow", {"interview_id": interview.id}, ats=ats, actions=actions)
    assert by_interview.actions[0].title == named.title
    with pytest.raises(SkillError, match="needs a candidate"):
        run_skill("workflow", {"to_stage": "Offer"}, ats=ats, actions=actions)
