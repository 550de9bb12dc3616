"""Backtest: which of the last week's events would have fired an event automation, and what it
would have sent, rendered from today's data; nothing is run, sent or recorded."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from models.settings import load_settings
from models.store.deliveries import list_outbox
from models.store.orgs import get_user
from models.store.run_history import list_runs
from models.tables.demo_ats import AtsApplication
from skills.ats.seed import seed_demo

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def candidates_in(engine: Engine, org_id: int, stage: str) -> list[int]:
    with Session(engine) as s:
        return list(
            s.exec(
                select(AtsApplication.candidate_id).where(
                    AtsApplication.org_id == org_id,
                    AtsApplication.stage == stage,
                    AtsApplication.status == "active",
                )
            )
        )


def test_backtest_lists_matching_events_with_the_message_each_would_have_sent(
    engine: Engine,
) -> None:
    demo = seed_demo(engine, now=NOW, candidates=12)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    dana = Actor.of(get_user(engine, demo.member_ids[0]))
    admin = Actor.of(get_user(engine, demo.admin_id))
    prep = tools.create_automation(
        dana,
        AutomationSpec(
            name="Interview prep",
            skill="interview-prep",
            trigger_type="event",
            event_type="candidate.stage_changed",
            event_filter={"to_stage": "Interview"},
            output_channel="email",
            to=["candidate"],
            enabled=False,
        ),
    )
    in_screen = candidates_in(engine, demo.org_id, "Screen")
    tools.move_demo_candidate(admin, in_screen[0], "Interview")
    tools.move_demo_candidate(admin, in_screen[1], "Rejected")  # does not match the filter
    runs_before = len(list_runs(engine, demo.org_id, limit=200))

    hits = tools.backtest(dana, prep.id, days=7)

    assert len(hits) == 1
    [hit] = hits
    assert hit.event_type == "candidate.stage_changed"
    assert hit.error is None and hit.skipped_reason is None
    assert hit.subject and hit.preview and "interview" in hit.preview.lower()
    # nothing ran, nothing was sent
    assert len(list_runs(engine, demo.org_id, limit=200)) == runs_before
    assert list_outbox(engine) == []
