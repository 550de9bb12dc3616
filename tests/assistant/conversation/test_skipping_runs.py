"""Skipping runs in the conversation ("skip the next run", "skip tomorrow", "skip next week"):
the runs left out are exactly a schedule's fires in what was said, found here by walking the
clock minute by minute; the reply names them and the run that comes next; "undo" brings them
back; a skip that would leave out a run before the ones asked for is refused. The worker's
tick then resumes the automation by itself and runs the next run kept, not the one skipped.
On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from assistant.conversation import words
from bench.kit.factories import make_automation
from models.clock import utc
from models.settings import load_settings
from models.store.automations import get_automation
from models.tables.runs import AutomationRun, Notice
from tests.assistant.conversation.member_chat import MemberChat
from worker.tick.tick import Worker

# 2026-03-02 is a Monday; the chat's clock reads 16:00 UTC
NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
ZONE = "Europe/London"
# schedules as (cron, zone, the local minutes of the day it fires at, the weekdays it fires on)
SCHEDULES: dict[str, tuple[str, str, Sequence[int], Sequence[int]]] = {
    "daily at 9": ("0 9 * * *", ZONE, (9 * 60,), range(7)),
    "weekdays at 8:30": ("30 8 * * 1-5", ZONE, (8 * 60 + 30,), range(5)),
    "mondays at 9 in LA": ("0 9 * * 1", "America/Los_Angeles", (9 * 60,), (0,)),
    "tue and thu at 7 and 17": ("0 7,17 * * 2,4", ZONE, (7 * 60, 17 * 60), (1, 3)),
}


def fires(cron_zone: str, minutes: Sequence[int], days: Sequence[int]) -> list[datetime]:
    """The fires of the next 4 weeks, from the local calendar (no schedule maths)."""
    zone = ZoneInfo(cron_zone)
    first = NOW.astimezone(zone).date()
    out = []
    for n in range(29):
        day = first + timedelta(days=n)
        if day.weekday() in days:
            for minute in minutes:
                local = datetime.combine(day, time(minute // 60, minute % 60), zone)
                if local > NOW:
                    out.append(local.astimezone(UTC))
    return out


def in_window(said: str, all_fires: list[datetime]) -> list[datetime]:
    """The fires `said` names, in the speaker's zone (London: UTC in March)."""
    if said.startswith("the next"):
        count = {"the next run": 1, "the next 3 runs": 3}[said]
        return all_fires[:count]
    local = NOW.astimezone(ZoneInfo(ZONE)).date()
    start = {
        "tomorrow": local + timedelta(days=1),
        "next week": local + timedelta(days=7),
        "thursday's run": local + timedelta(days=3),
    }[said]
    end = start + timedelta(days=7 if said == "next week" else 1)
    lo = datetime.combine(start, datetime.min.time(), ZoneInfo(ZONE))
    hi = datetime.combine(end, datetime.min.time(), ZoneInfo(ZONE))
    return [t for t in all_fires if lo <= t < hi]


def test_a_skip_leaves_out_exactly_the_runs_said_and_undo_brings_them_back(
    engine: Engine,
) -> None:
    chat = MemberChat(engine, tz=ZONE)
    for name, (cron, zone, minutes, days) in SCHEDULES.items():
        auto = make_automation(engine, chat.org, NOW, cron=cron, tz=zone, name=name)
        all_fires = fires(zone, minutes, days)
        chat.key = name
        assert chat.say(f"show #{auto.id}").automation_id == auto.id
        for said in ("the next run", "the next 3 runs", "tomorrow", "thursday's run", "next week"):
            wanted = in_window(said, all_fires)
            reply = chat.say(f"skip {said}")
            stored = get_automation(engine, chat.org.org_id, auto.id or 0)
            context = (name, said, reply.text)
            if not wanted or wanted[0] != all_fires[0]:
                # nothing in it, or a run kept before it: refused, nothing changed
                assert reply.kind == "error" and "\n" not in reply.text, context
                assert stored.enabled and utc(stored.next_run_at or NOW) == all_fires[0], context
                continue
            kept = all_fires[len(wanted)]
            assert reply.kind == "done", context
            assert words.when(wanted[0], zone) in reply.text, context
            assert f"It runs next on {words.when(kept, zone)}." in reply.text, context
            assert f"{len(wanted)} runs" in reply.text if len(wanted) > 1 else True, context
            assert not stored.enabled and stored.paused_until is not None
            assert wanted[-1] < utc(stored.paused_until or NOW) < kept, context
            assert utc(stored.next_run_at or NOW) == kept, context
            undone = chat.say("undo")
            back = get_automation(engine, chat.org.org_id, auto.id or 0)
            assert undone.kind == "done" and back.enabled and back.paused_until is None, context
            assert utc(back.next_run_at or NOW) == all_fires[0], context


def test_the_tick_resumes_a_skip_by_itself_and_runs_the_next_run_kept(engine: Engine) -> None:
    chat = MemberChat(engine)
    auto = make_automation(engine, chat.org, NOW, cron="0 9 * * *")  # noop, daily 09:00 UTC
    chat.say(f"show #{auto.id}")
    skipped = chat.say("skip tomorrow")
    assert "Tue 03 Mar 2026 09:00 UTC" in skipped.text, skipped.text
    worker = Worker(engine, load_settings(smtp_host=None))
    tuesday = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    worker.tick(tuesday + timedelta(seconds=20))  # the skipped run's time: still paused
    assert not get_automation(engine, chat.org.org_id, auto.id or 0).enabled
    report = worker.tick(tuesday + timedelta(minutes=5))
    assert report.resumed == [auto.id]
    assert get_automation(engine, chat.org.org_id, auto.id or 0).enabled
    worker.tick(tuesday + timedelta(days=1, seconds=20))
    with Session(engine) as s:
        ran = s.exec(
            select(AutomationRun.scheduled_for).where(col(AutomationRun.automation_id) == auto.id)
        ).all()
        (notice,) = s.exec(select(Notice.text).where(col(Notice.automation_id) == auto.id)).all()
    # the missed-run policy owes nothing for the skipped run: only Wednesday's ran, as told
    assert [utc(t) for t in ran] == [tuesday + timedelta(days=1)]
    assert "resumed by itself at Tue 03 Mar 09:01 UTC" in notice, notice
    assert "the runs it skipped are not made up; it runs next at Wed 04 Mar 09:00 UTC" in notice
