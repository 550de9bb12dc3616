"""A workflow's update_field of a stage is an ATS change like any other: it reaches the inbox as
a canonical event, so one automation can start another, and a loop stops at the chain-depth
limit with the refused run recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from models.settings import TriggerSettings, load_settings
from models.store.orgs import get_user
from models.store.polls import move_demo_candidate
from models.store.run_history import list_runs
from models.tables.demo_ats import AtsApplication
from models.tables.events import EventInbox
from skills.ats.seed import seed_demo
from worker.tick.factory import add_trigger_hooks
from worker.tick.tick import Worker

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def mover(tools: Toolset, who: Actor, when_in: str, move_to: str) -> int:
    return tools.create_automation(
        who,
        AutomationSpec(
            name=f"{when_in} to {move_to}",
            skill="workflow",
            trigger_type="event",
            event_type="candidate.stage_changed",
            event_filter={"to_stage": when_in},
            params={
                "actions": [
                    {
                        "type": "update_field",
                        "entity": "application",
                        "field": "stage",
                        "value": move_to,
                    }
                ]
            },
            output_channel="noop",
        ),
    ).id


def test_automations_chain_through_stage_changes_until_the_depth_limit(engine: Engine) -> None:
    demo = seed_demo(engine, now=NOW - timedelta(hours=1), candidates=20)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    admin = Actor.of(get_user(engine, demo.admin_id))
    forward = mover(tools, admin, "Screen", "Interview")
    back = mover(tools, admin, "Interview", "Screen")
    with Session(engine) as s:
        candidate = s.scalars(
            select(col(AtsApplication.candidate_id))
            .where(
                col(AtsApplication.stage) == "Applied",
                col(AtsApplication.org_id) == demo.org_id,
            )
            .order_by(col(AtsApplication.id))
        ).first()
    assert candidate is not None
    move_demo_candidate(engine, org_id=demo.org_id, candidate_id=candidate, stage="Screen", now=NOW)

    worker = Worker(engine, load_settings(smtp_host=None))
    add_trigger_hooks(worker, TriggerSettings(max_chain_depth=3))
    for second in range(1, 9):
        worker.tick(NOW + timedelta(seconds=second))

    with Session(engine) as s:
        moves = s.execute(
            select(col(EventInbox.chain_depth), col(EventInbox.data))
            .where(
                col(EventInbox.org_id) == demo.org_id,
                col(EventInbox.event_type) == "candidate.stage_changed",
            )
            .order_by(col(EventInbox.id))
        ).all()
        stage = s.scalars(
            select(col(AtsApplication.stage)).where(col(AtsApplication.candidate_id) == candidate)
        ).first()
    # the person's move, then each automation's move one link deeper
    assert [(depth, data["to_stage"]) for depth, data in moves] == [
        (0, "Screen"),
        (1, "Interview"),
        (2, "Screen"),
        (3, "Interview"),
    ]
    assert stage == "Interview"
    forward_runs = list_runs(engine, demo.org_id, automation_id=forward)
    back_runs = list_runs(engine, demo.org_id, automation_id=back)
    assert sorted(r.status for r in forward_runs) == ["completed", "completed"]
    # the fourth link is refused, and the refusal is on record
    assert sorted((r.status, r.skipped_reason) for r in back_runs) == [
        ("completed", None),
        ("skipped", "chain_depth_exceeded"),
    ]
