"""Workflow actions and nurture sequences through the real tick: each action
its own row, partial runs, sequences advancing by delays across ticks, stopping on hire, reject
and removal, one failing step leaving the other enrolments running, quiet hours deferring."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from models.settings import load_settings
from models.store import sequences as sequences_store
from models.store.automations import add_automation as store_add_automation
from models.store.run_queue import queue_run
from models.tables.automations import Automation
from models.tables.deliveries import OutboxMessage
from models.tables.demo_ats import AtsApplication, AtsCandidate, AtsTask
from models.tables.runs import AutomationRun, RunAction
from models.tables.sequences import Enrolment
from skills.ats.seed import seed_demo
from worker.tick.tick import Worker

NOW = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)  # Monday 13:00 in New York, 10:00 in LA


def add_automation(
    engine: Engine,
    org_id: int,
    owner_id: int,
    skill: str,
    params: dict[str, Any],
    to: list[str] | None = None,
) -> Automation:
    return store_add_automation(
        engine,
        Automation(
            org_id=org_id,
            owner_id=owner_id,
            name=skill,
            skill=skill,
            params=params,
            trigger_type="event",
            event_type="candidate.stage_changed",
            output_channel="email",
            output_config={"to": to or ["me"]},
            created_at=NOW,
            updated_at=NOW,
        ),
    )


def tick_run(
    engine: Engine, auto: Automation, now: datetime, trigger: dict[str, Any] | None = None
) -> AutomationRun:
    run = queue_run(
        engine,
        automation_id=auto.id or 0,
        org_id=auto.org_id,
        triggered_by="event",
        now=now,
        trigger_data=trigger or {},
    )
    worker = Worker(engine, load_settings(smtp_host=None, output_ttl_hours=0))
    worker.tick(now)
    with Session(engine) as session:
        found = session.get(AutomationRun, run.id if hasattr(run, "id") else run)
    assert found is not None
    return found


def actions_of(engine: Engine, run_id: int) -> list[RunAction]:
    with Session(engine) as session:
        return list(
            session.scalars(
                select(RunAction)
                .where(col(RunAction.run_id) == run_id)
                .order_by(col(RunAction.position))
            )
        )


def first_candidate(engine: Engine, stage: str, offset: int = 0) -> int:
    with Session(engine) as session:
        return session.scalars(
            select(col(AtsApplication.candidate_id))
            .where(col(AtsApplication.stage) == stage)
            .order_by(col(AtsApplication.id))
        ).all()[offset]


def test_workflow_runs_each_action_in_order_with_its_own_row_and_is_partial_when_one_fails(
    engine: Engine,
) -> None:
    demo = seed_demo(engine, now=NOW - timedelta(hours=1), candidates=20)
    candidate = first_candidate(engine, "Screen")
    auto = add_automation(
        engine,
        demo.org_id,
        demo.member_ids[0],
        "workflow",
        {
            "actions": [
                {
                    "type": "send_email",
                    "to": "owner",
                    "subject": "{{ candidate.name }} moved",
                    "body": "Now in {{ stage }}.",
                },
                {
                    "type": "update_field",
                    "entity": "application",
                    "field": "priority",
                    "value": "high",
                },
                {
                    "type": "send_email",
                    "to": "hiring_manager",
                    "subject": "Hi",
                    "body": "{{ no_such_thing.x }}",
                },
                {
                    "type": "create_task",
                    "title": "Call {{ candidate.first_name }}",
                    "due_in_days": 2,
                },
            ]
        },
    )
    run = tick_run(engine, auto, NOW, {"candidate_id": candidate})
    assert run.status == "partial"
    rows = actions_of(engine, run.id or 0)
    assert [(r.action_type, r.status) for r in rows] == [
        ("render", "completed"),
        ("send_email", "completed"),
        ("update_field", "completed"),
        ("send_email", "failed"),
        ("create_task", "completed"),
    ]
    assert "Template of action 3" in (rows[3].error or "")
    with Session(engine) as session:
        assert (
            session.scalars(
                select(col(AtsApplication.priority)).where(
                    col(AtsApplication.candidate_id) == candidate
                )
            ).first()
            == "high"
        )
        task = session.scalars(
            select(AtsTask).where(
                col(AtsTask.candidate_id) == candidate, col(AtsTask.source_key).is_not(None)
            )
        ).one()
        assert task.title.startswith("Call ")
        assert session.scalars(select(OutboxMessage)).all()[-1].subject.endswith(" moved")


def test_bad_workflow_actions_are_refused_naming_the_action_and_field(engine: Engine) -> None:
    from models.errors import InvalidInput
    from skills.base import validate_params
    from skills.builtin import default_registry

    spec = default_registry().get("workflow").spec
    for actions, message in (
        ([{"type": "fly"}], "Action 1: 'type'"),
        (
            [{"type": "update_field", "entity": "application", "field": "salary", "value": "1"}],
            "Action 1: 'field'",
        ),
        ([{"type": "create_task", "title": "x", "due_in_days": -1}], "'due_in_days'"),
    ):
        try:
            validate_params(spec, {"actions": actions})
        except InvalidInput as exc:
            assert message in exc.message
        else:
            raise AssertionError(f"{actions} was accepted")


def test_sequences_enrol_on_create_advance_by_delays_and_stop_on_hire_reject_and_removal(
    engine: Engine,
) -> None:
    demo = seed_demo(engine, now=NOW - timedelta(hours=1), candidates=20)
    org = demo.org_id
    sequence = sequences_store.find_sequence(engine, org, "New applicant welcome")
    people = [first_candidate(engine, "Screen", i) for i in range(4)]
    for person in people:
        assert (
            sequences_store.enrol_on_event(
                engine, org, "candidate.created", {"candidate_id": person}, NOW
            )
            == 1
        )
    # one candidate's address is broken: their step fails, the others go on
    with Session(engine) as session, session.begin():
        broken = session.get(AtsCandidate, people[3])
        assert broken is not None
        broken.email = ""
    auto = add_automation(engine, org, demo.admin_id, "nurture-sequence", {})
    run = tick_run(engine, auto, NOW)
    assert run.status == "partial"

    def statuses() -> list[tuple[str, int, str | None]]:
        with Session(engine) as session:
            rows = {e.candidate_id: e for e in session.scalars(select(Enrolment))}
        return [(rows[p].status, rows[p].next_step, rows[p].stop_reason) for p in people]

    assert statuses() == [("pending", 2, None)] * 3 + [("failed", 1, None)]
    # step 2 waits two days: nothing due the next minute
    assert tick_run(engine, auto, NOW + timedelta(minutes=1)).skipped_reason == "nothing_due"
    sequences_store.enrol_on_event(engine, org, "candidate.hired", {"candidate_id": people[0]}, NOW)
    sequences_store.enrol_on_event(
        engine, org, "candidate.rejected", {"candidate_id": people[1]}, NOW
    )
    sequences_store.remove_enrolment(engine, org, sequence.id or 0, people[2], now=NOW)
    assert statuses() == [
        ("stopped", 2, "hired"),
        ("stopped", 2, "rejected"),
        ("stopped", 2, "removed"),
        ("failed", 1, None),
    ]
    stats = sequences_store.analytics(engine, org)[0]
    assert (stats["enrolled"], stats["stopped"], stats["failed"]) == (4, 3, 1)
    assert stats["stopped_by_reason"] == {"hired": 1, "rejected": 1, "removed": 1}
    assert stats["steps"][0] == {
        "position": 1,
        "reached": 4,
        "completed": 3,
        "failed": 1,
        "stopped": 0,
        "completion_rate": 0.75,
        "stop_rate": 0.0,
    }
    # all three who went on were stopped while waiting for step 2
    assert (stats["steps"][1]["reached"], stats["steps"][1]["stopped"]) == (3, 3)
    assert stats["steps"][1]["stop_rate"] == 1.0


def test_a_move_into_hired_ends_the_enrolment_as_hired_not_as_a_stage_left(
    engine: Engine,
) -> None:
    demo = seed_demo(engine, now=NOW - timedelta(hours=1), candidates=20)
    person = first_candidate(engine, "Screen")
    sequence = sequences_store.find_sequence(engine, demo.org_id, "New applicant welcome")
    sequences_store.enrol(engine, demo.org_id, sequence.id or 0, person, now=NOW)
    # the demo ATS's move records the stage change first, then candidate.hired
    for event in ("candidate.stage_changed", "candidate.hired"):
        sequences_store.enrol_on_event(
            engine,
            demo.org_id,
            event,
            {"candidate_id": person, "from_stage": "Screen", "to_stage": "Hired"},
            NOW,
        )
    with Session(engine) as session:
        row = session.scalars(select(Enrolment).where(col(Enrolment.candidate_id) == person)).one()
    assert (row.status, row.stop_reason) == ("stopped", "hired")
    [stats] = sequences_store.analytics(engine, demo.org_id)
    assert stats["stopped_by_reason"] == {"hired": 1}


def test_a_sequence_completes_after_its_last_step_across_ticks(engine: Engine) -> None:
    demo = seed_demo(engine, now=NOW - timedelta(hours=1), candidates=20)
    person = first_candidate(engine, "Applied")
    sequence = sequences_store.find_sequence(engine, demo.org_id, "New applicant welcome")
    sequences_store.enrol(engine, demo.org_id, sequence.id or 0, person, now=NOW)
    auto = add_automation(engine, demo.org_id, demo.admin_id, "nurture-sequence", {})
    # delays: 0, then 2 days, then 3 more days (a task: no quiet hours on a Saturday)
    for day in (0, 2, 5):
        at = NOW + timedelta(days=day, minutes=day)  # the tick's clock moves on as it runs
        assert tick_run(engine, auto, at).status == "completed"
    [stats] = sequences_store.analytics(engine, demo.org_id)
    assert stats["completed"] == 1
    assert [s["completed"] for s in stats["steps"]] == [1, 1, 1]


def test_a_candidate_facing_send_outside_working_hours_waits_without_failing(
    engine: Engine,
) -> None:
    night = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)  # 23:00 in New York
    demo = seed_demo(engine, now=NOW - timedelta(hours=1), candidates=20)
    candidate = first_candidate(engine, "Interview")
    with Session(engine) as session, session.begin():
        row = session.get(AtsCandidate, candidate)
        assert row is not None
        row.timezone = "America/New_York"
    auto = add_automation(
        engine, demo.org_id, demo.member_ids[0], "interview-prep", {}, to=["candidate"]
    )
    run = tick_run(engine, auto, night, {"candidate_id": candidate})
    assert (run.status, run.skipped_reason) == ("skipped", "quiet_hours")
    assert run.metrics["deferred_until"] == "2026-11-24T14:00:00+00:00"  # 9:00 in New York
    with Session(engine) as session:
        retry = session.scalars(
            select(AutomationRun).where(
                col(AutomationRun.automation_id) == auto.id, col(AutomationRun.attempt) == 2
            )
        ).one()
        assert retry.not_before == datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
        automation = session.get(Automation, auto.id)
        assert automation is not None and automation.consecutive_failures == 0
    Worker(engine, load_settings(smtp_host=None)).tick(retry.not_before)
    with Session(engine) as session:
        done = session.get(AutomationRun, retry.id)
        assert done is not None and done.status == "completed"
