"""What a newcomer reads is true and well formed: the read-back of a relative schedule, its
automation's name and trigger, a read-back the plan would refuse, and the "why" answers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Engine

from assistant.language.why import explain
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_org
from models.settings import load_settings
from models.store.orgs import get_user
from models.tables.automations import Automation
from models.tables.runs import AutomationRun

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)


def _me(engine: Engine, plan: str = "enterprise") -> tuple[Toolset, Actor]:
    org = make_org(engine, NOW, plan=plan)
    return Toolset(engine, load_settings(), clock=lambda: NOW), Actor.of(
        get_user(engine, org.member_id)
    )


def test_a_relative_schedule_is_named_and_shown_in_words(sqlite_engine: Engine) -> None:
    tools, me = _me(sqlite_engine)
    draft = tools.draft_automation(me, "30 minutes before each interview, brief the interviewer")
    assert draft.id is not None
    view = tools.confirm_draft(me, draft.id)
    assert view.name == "Interview briefing: 30 minutes before each interview starts"
    assert view.trigger == "30 minutes before each interview starts"


def test_a_read_back_the_plan_would_refuse_does_not_offer_to_confirm(
    sqlite_engine: Engine,
) -> None:
    tools, me = _me(sqlite_engine, plan="free")
    refused = tools.understand(me, "every 15 minutes post my pipeline in #hiring")
    assert "Free plan" in refused.summary and "Confirm to activate?" not in refused.summary
    fine = tools.understand(me, "every Monday at 9am send me my pipeline")
    assert fine.summary.endswith("Confirm to activate?")


def test_why_names_a_failure_in_plain_words_and_counts_missed_runs_right() -> None:
    auto = Automation(
        id=7,
        org_id=1,
        owner_id=1,
        name="Pipeline",
        skill="noop",
        cron_expression="* * * * *",
        consecutive_failures=1,
        next_run_at=NOW,
        created_at=NOW,
        updated_at=NOW,
    )

    def run(**fields: Any) -> AutomationRun:
        base: dict[str, Any] = {
            "id": 3,
            "automation_id": 7,
            "org_id": 1,
            "triggered_by": "schedule",
            "scheduled_for": NOW,
            "attempt": 1,
            "created_at": NOW,
        }
        return AutomationRun(**{**base, **fields})

    failed = run(status="failed", error_code="surprise", error_message="webhook answered 500")
    answer = explain(auto, [failed], NOW, "why did it fail?")
    assert "because it failed" not in answer
    assert "failed after 1 attempt: webhook answered 500." in answer
    skipped = run(status="skipped", skipped_reason="missed", missed_count=6)
    assert "6 occurrences were missed" in explain(auto, [skipped], NOW)
    assert "ran late" not in explain(auto, [skipped], NOW)
    late = run(status="completed", missed_count=1)
    assert "1 occurrence was missed" in explain(auto, [late], NOW)


def test_a_daylight_saving_note_gives_the_utc_time_after_the_change(sqlite_engine: Engine) -> None:
    tools, me = _me(sqlite_engine)
    before_the_change = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)  # New York moves on Mar 8
    draft = tools.understand(
        me, "every Monday at 9am send me my pipeline", "America/New_York", before_the_change
    )
    assert (
        "clocks in America/New_York go forward before Mon 09 Mar; it keeps to local time "
        "(09:00 EDT), which is 13:00 UTC from then on." in draft.notes
    )
