"""The demo organisation: reproducible, idempotent, realistic enough for reports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from assistant.tools.base import Actor
from models.engine import make_engine
from models.migrate import upgrade
from models.store.orgs import find_org, find_user
from models.tables.demo_ats import (
    DEFAULT_STAGES,
    AtsActivity,
    AtsApplication,
    AtsCandidate,
    AtsJob,
    AtsStage,
)
from models.tables.orgs import Organization, User
from skills.ats.seed import seed_demo

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def fresh_engine(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return engine


def candidate_rows(engine: Engine) -> list[tuple[Any, ...]]:
    with Session(engine) as session:
        return list(
            session.execute(
                select(
                    col(AtsCandidate.first_name),
                    col(AtsCandidate.last_name),
                    col(AtsCandidate.email),
                    col(AtsCandidate.phone),
                    col(AtsCandidate.owner_id),
                    col(AtsCandidate.created_at),
                    col(AtsCandidate.last_contacted_at),
                    col(AtsApplication.stage),
                    col(AtsApplication.status),
                    col(AtsApplication.stage_changed_at),
                )
                .join(AtsApplication, col(AtsApplication.candidate_id) == col(AtsCandidate.id))
                .order_by(col(AtsCandidate.id))
            ).tuples()
        )


def test_the_same_arguments_give_the_same_data(tmp_path: Path) -> None:
    first, second = fresh_engine(tmp_path / "a.db"), fresh_engine(tmp_path / "b.db")
    try:
        seed_demo(first, now=NOW, candidates=30, seed=3)
        seed_demo(second, now=NOW, candidates=30, seed=3)
        rows = candidate_rows(first)
        assert len(rows) == 30
        assert rows == candidate_rows(second)
    finally:
        first.dispose()
        second.dispose()


def test_another_seed_gives_other_people(tmp_path: Path) -> None:
    first, second = fresh_engine(tmp_path / "a.db"), fresh_engine(tmp_path / "b.db")
    try:
        seed_demo(first, now=NOW, candidates=30, seed=3)
        seed_demo(second, now=NOW, candidates=30, seed=4)
        assert candidate_rows(first) != candidate_rows(second)
    finally:
        first.dispose()
        second.dispose()


def test_seeding_twice_returns_the_existing_demo_unchanged(sqlite_engine: Engine) -> None:
    demo = seed_demo(sqlite_engine, now=NOW, candidates=20)
    before = candidate_rows(sqlite_engine)
    again = seed_demo(sqlite_engine, now=NOW + timedelta(days=3), candidates=50, seed=99)
    assert again == demo
    assert candidate_rows(sqlite_engine) == before


def test_the_demo_org_has_its_users_stages_and_jobs(sqlite_engine: Engine) -> None:
    demo = seed_demo(sqlite_engine, now=NOW, candidates=20)
    with Session(sqlite_engine) as session:
        org = session.get(Organization, demo.org_id)
        assert org is not None
        assert (org.slug, org.name, org.plan, org.timezone) == (
            "demo",
            "Demo Recruiting",
            "pro",
            "America/New_York",
        )
        users = {
            u.email: u for u in session.scalars(select(User).where(col(User.org_id) == org.id))
        }
        stages = session.scalars(select(AtsStage).order_by(col(AtsStage.position))).all()
        jobs = session.scalars(select(AtsJob)).all()
    assert users["alex.admin@demo.skilltick.local"].role == "admin"
    assert users["alex.admin@demo.skilltick.local"].id == demo.admin_id
    assert users["alex.admin@demo.skilltick.local"].timezone == "America/New_York"
    for email in ("dana.recruiter@demo.skilltick.local", "sam.sourcer@demo.skilltick.local"):
        assert users[email].role == "member"
        assert users[email].timezone == "America/Los_Angeles"
        assert users[email].id in demo.member_ids
    assert tuple(stage.name for stage in stages) == DEFAULT_STAGES
    titles = {job.title: job.department for job in jobs}
    assert titles["Backend Engineer"] == titles["Frontend Engineer"] == "Engineering"
    assert titles["Account Executive"] == "Sales"
    assert len(titles) >= 6


def test_candidates_look_real_and_their_history_is_in_the_past(sqlite_engine: Engine) -> None:
    demo = seed_demo(sqlite_engine, now=NOW, candidates=60)
    assert demo.candidate_count == 60
    with Session(sqlite_engine) as session:
        candidates = session.scalars(select(AtsCandidate)).all()
        applications = session.scalars(select(AtsApplication)).all()
        activities = session.scalars(select(AtsActivity)).all()

    assert all(c.email.endswith("@example.com") for c in candidates)
    assert len({c.email for c in candidates}) == len(candidates)
    assert all(c.phone.startswith("+1-") and "-555-01" in c.phone for c in candidates)
    assert all(c.location and c.source for c in candidates)
    assert {c.owner_id for c in candidates} == set(demo.member_ids)

    assert {a.stage for a in applications} >= {"Applied", "Screen", "Interview"}
    assert {a.status for a in applications} >= {"active", "hired", "rejected"}
    three_weeks_ago = NOW - timedelta(days=21)
    moved = [a for a in applications if a.stage != "Applied"]
    assert all(three_weeks_ago <= a.stage_changed_at < NOW for a in moved)

    assert all(a.occurred_at < NOW for a in activities)
    kinds = {a.kind for a in activities}
    assert kinds >= {"sourced", "email", "call", "stage_change", "note"}
    changes = [a for a in activities if a.kind == "stage_change"]
    assert all(a.from_stage and a.to_stage and a.from_stage != a.to_stage for a in changes)


def test_some_active_candidates_have_waited_6_to_20_days(sqlite_engine: Engine) -> None:
    seed_demo(sqlite_engine, now=NOW, candidates=60)
    with Session(sqlite_engine) as session:
        rows = session.execute(
            select(col(AtsCandidate.created_at), col(AtsCandidate.last_contacted_at))
            .join(AtsApplication, col(AtsApplication.candidate_id) == col(AtsCandidate.id))
            .where(col(AtsApplication.status) == "active")
        ).all()
    waits = [(NOW - (contacted or created)).days for created, contacted in rows]
    stale = [days for days in waits if days >= 5]
    assert stale, "the demo must exercise stale-candidate reports"
    assert all(6 <= days <= 20 for days in stale)
    assert len(stale) < len(waits)


def test_the_seed_runs_on_each_store(engine: Engine) -> None:
    demo = seed_demo(engine, now=NOW, candidates=25)
    assert demo.candidate_count == 25
    assert len(candidate_rows(engine)) == 25
    assert seed_demo(engine, now=NOW) == demo


def test_a_second_start_finds_the_demo_automations_however_they_were_renamed(
    sqlite_engine: Engine,
) -> None:
    from assistant.demo import ensure_service_demo
    from tests.assistant.http.service_harness import make_context

    ctx = make_context(sqlite_engine)
    first = ensure_service_demo(ctx, NOW)
    org_id = find_org(sqlite_engine, first.setup.org_slug).id or 0
    recruiter = Actor.of(find_user(sqlite_engine, org_id, first.setup.member_emails[0]))
    for view in first.automations:
        ctx.tools.update_automation(recruiter, view.id, {"name": f"{view.name} (mine now)"})
    again = ensure_service_demo(ctx, NOW + timedelta(minutes=5))
    assert [v.id for v in again.automations] == [v.id for v in first.automations]
    assert all(v.name.endswith("(mine now)") for v in again.automations)
    assert len(ctx.tools.list_automations(recruiter)) == len(first.automations)


def test_the_demo_start_says_what_the_event_automation_does_as_it_is_now(
    sqlite_engine: Engine,
) -> None:
    from assistant.cli.serve_words import follow_up_words
    from assistant.demo import ensure_service_demo
    from tests.assistant.http.service_harness import make_context

    ctx = make_context(sqlite_engine)

    def follow_up() -> str:
        seeded = ensure_service_demo(ctx, NOW)
        return follow_up_words(next(v for v in seeded.automations if v.trigger_type == "event"))

    said = follow_up()
    assert said.endswith("emails its owner and adds a task.")
    number = int(said.split()[0].lstrip("#"))
    setup = ensure_service_demo(ctx, NOW).setup
    org_id = find_org(sqlite_engine, setup.org_slug).id or 0
    recruiter = Actor.of(find_user(sqlite_engine, org_id, setup.member_emails[0]))
    ctx.tools.pause(recruiter, number)
    said = follow_up()
    assert "is paused, so it does not run on the move" in said and "emails" not in said
    assert f"`skilltick automations resume {number}`" in said
    ctx.tools.resume(recruiter, number)
    only_a_task = [{"type": "create_task", "title": "Call {{ candidate.name }}"}]
    ctx.tools.update_automation(recruiter, number, {"params": {"actions": only_a_task}})
    assert follow_up().endswith("runs on it.")


def test_a_forced_demo_run_says_where_and_when_its_output_lands(
    sqlite_engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.cli.serve_words import force_first_run
    from assistant.demo import ensure_service_demo
    from models.settings import load_settings
    from tests.assistant.http.service_harness import make_context

    ctx = make_context(sqlite_engine, load_settings(smtp_host=None))
    seeded = ensure_service_demo(ctx, NOW)
    force_first_run(ctx, seeded.setup.org_slug, seeded.setup.report)
    assert "its email will be in the outbox within seconds." in capsys.readouterr().out
    force_first_run(ctx, seeded.setup.org_slug, seeded.setup.report, worker=False)
    said = capsys.readouterr().out
    assert "within seconds" not in said and "once a worker runs it (`skilltick worker`" in said
    mailing = make_context(sqlite_engine, load_settings(smtp_host="mail.example.com"))
    force_first_run(mailing, seeded.setup.org_slug, seeded.setup.report)
    said = capsys.readouterr().out
    assert "its email will go to SMTP mail.example.com:" in said and "outbox" not in said
