"""An interview briefing on a schedule, run by the worker over the seeded demo organisation: with
no window said, a run briefs the owner's interviews until the automation's next run, so an
interview just before the next run is in the earlier briefing; changed in words ("move it to
5am", "every Tuesday at 5am"), the automation's runs brief up to its new next run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import OrgFixture, make_automation
from models.settings import load_settings
from models.store.orgs import get_user
from models.tables.automations import Automation
from skills.ats.demo import DemoAts
from skills.ats.records import InterviewInfo
from skills.ats.seed import DemoOrg, seed_demo
from tests.worker.tick.tick_support import new_worker, runs_of

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # a Monday; London is on UTC in November
TZ = "Europe/London"


def upcoming(engine: Engine, demo: DemoOrg) -> list[InterviewInfo]:
    ats = DemoAts(engine, demo.org_id)
    found = ats.interviews_between(NOW, NOW + timedelta(days=7))
    return [i for i in found if i.status == "scheduled"]


def briefing(engine: Engine, demo: DemoOrg, owner: int, cron: str, now: datetime) -> Automation:
    org = OrgFixture(demo.org_id, demo.admin_id, owner, "", "")
    return make_automation(
        engine, org, now, cron=cron, tz=TZ, skill="interview-briefing", owner_id=owner
    )


def briefed(engine: Engine, auto: Automation) -> list[list[int]]:
    """The interview ids each run of `auto` briefed, oldest run first."""
    return [list((r.output_summary or {}).get("interview_ids", [])) for r in runs_of(engine, auto)]


def test_an_interview_just_before_the_next_run_is_briefed_by_the_earlier_run(
    engine: Engine,
) -> None:
    demo = seed_demo(engine, now=NOW, candidates=40)
    target = max(upcoming(engine, demo), key=lambda i: i.starts_at)
    owner = target.interviewer_id or demo.admin_id
    # a daily briefing whose run comes half an hour after the interview starts
    next_run = target.starts_at + timedelta(minutes=30)
    earlier = next_run - timedelta(days=1)
    auto = briefing(
        engine,
        demo,
        owner,
        f"{next_run.minute} {next_run.hour} * * *",
        earlier - timedelta(hours=1),
    )
    worker = new_worker(engine)
    assert worker.tick(now=earlier + timedelta(seconds=20)).statuses == {"completed": 1}
    assert worker.tick(now=next_run + timedelta(seconds=20)).claimed == 1
    first, second = briefed(engine, auto)
    owned = [i for i in upcoming(engine, demo) if i.interviewer_id == owner]
    assert target.id in first
    assert first == [i.id for i in owned if earlier <= i.starts_at < next_run]
    assert target.id not in second


def test_the_window_follows_the_schedule_when_it_is_changed_in_words(engine: Engine) -> None:
    demo = seed_demo(engine, now=NOW, candidates=40)
    interviews = upcoming(engine, demo)
    # the interviewer with the most interviews ahead; the first of them starts at 05:00
    owner = max(
        {i.interviewer_id for i in interviews},
        key=lambda u: sum(i.interviewer_id == u for i in interviews),
    )
    assert owner is not None
    owned = [i for i in interviews if i.interviewer_id == owner]
    user = get_user(engine, owner)
    me = Actor(user.org_id, user.id or 0, user.role, user.email, None)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    daily = briefing(engine, demo, owner, "0 9 * * *", NOW)
    weekly = briefing(engine, demo, owner, "0 9 * * *", NOW)
    assert tools.update_in_words(me, daily.id or 0, "move it to 5am").cron == "0 5 * * *"
    assert tools.update_in_words(me, weekly.id or 0, "every Tuesday at 5am").cron == "0 5 * * 2"

    tuesday = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
    wednesday = tuesday + timedelta(days=1)
    worker = new_worker(engine)
    worker.tick(now=tuesday + timedelta(seconds=30))
    worker.tick(now=wednesday + timedelta(seconds=30))

    def between(start: datetime, end: datetime) -> list[int]:
        return [i.id for i in owned if start <= i.starts_at < end]

    week = between(tuesday, tuesday + timedelta(days=7))
    assert between(wednesday, wednesday + timedelta(days=1)), "the demo data changed"
    assert briefed(engine, daily) == [
        between(tuesday, wednesday),
        between(wednesday, wednesday + timedelta(days=1)),
    ]
    assert briefed(engine, weekly) == [week]
    assert len(week) > len(between(tuesday, wednesday))
