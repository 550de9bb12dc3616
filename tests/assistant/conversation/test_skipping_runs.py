"""Skipping chosen runs in the conversation ("skip the next 3 runs", "skip tomorrow", "skip Mar
10 and 17", "skip everything between Mar 9 and Mar 13"): the runs skipped are exactly a
schedule's fires in what was said, found here by walking the local calendar; the automation
stays active, the reply names them and the run that comes next, and "undo" brings them back.
Then what a recruiter says over the holidays: "which runs are skipped?", "unskip …", "run it on
the 16th after all", and a skip past the cap, refused in one line. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from assistant.conversation import words
from bench.kit.factories import make_automation, make_org
from models.clock import utc
from models.skip_list import MOST_SKIPS, read_skips
from models.store.audit import list_entries
from models.store.automations import get_automation, list_automations
from tests.assistant.conversation.member_chat import MemberChat
from tests.chat_process import chat_home, chat_replies

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


SAID = ["the next run", "the next 3 runs", "tomorrow", "thursday's run", "next week"]
SAID += ["Mar 10 and 17", "everything between Mar 9 and Mar 13"]


def in_window(said: str, all_fires: list[datetime]) -> list[datetime]:
    """The fires `said` names, in the speaker's zone (London: UTC in March)."""
    if said.startswith("the next"):
        count = {"the next run": 1, "the next 3 runs": 3}[said]
        return all_fires[:count]
    zone = ZoneInfo(ZONE)
    local = NOW.astimezone(zone).date()
    days = {
        "tomorrow": [local + timedelta(days=1)],
        "next week": [local + timedelta(days=7 + n) for n in range(7)],
        "thursday's run": [local + timedelta(days=3)],
        "Mar 10 and 17": [local + timedelta(days=8), local + timedelta(days=15)],
        "everything between Mar 9 and Mar 13": [local + timedelta(days=7 + n) for n in range(5)],
    }[said]
    return [t for t in all_fires if t.astimezone(zone).date() in days]


def _skips(engine: Engine, chat: MemberChat, automation_id: int) -> list[datetime]:
    return list(read_skips(get_automation(engine, chat.org.org_id, automation_id).skips))


def test_a_skip_leaves_out_exactly_the_runs_said_and_undo_brings_them_back(
    engine: Engine,
) -> None:
    chat = MemberChat(engine, tz=ZONE)
    for name, (cron, zone, minutes, days) in SCHEDULES.items():
        auto = make_automation(engine, chat.org, NOW, cron=cron, tz=zone, name=name)
        all_fires = fires(zone, minutes, days)
        chat.key = name
        assert chat.say(f"show #{auto.id}").automation_id == auto.id
        for said in SAID:
            wanted = in_window(said, all_fires)
            reply = chat.say(f"skip {said}")
            stored = get_automation(engine, chat.org.org_id, auto.id or 0)
            context = (name, said, reply.text)
            assert stored.enabled and utc(stored.next_run_at or NOW) == all_fires[0], context
            if not wanted:  # a day it has no run on: said in one line, nothing changed
                assert reply.kind == "error" and "\n" not in reply.text, context
                assert stored.skips is None, context
                continue
            kept = next(t for t in all_fires if t not in wanted)
            assert reply.kind == "done", context
            assert sorted(read_skips(stored.skips)) == wanted, context
            assert all(words.when(t, zone) in reply.text for t in wanted), context
            assert f"It runs next on {words.when(kept, zone)}." in reply.text, context
            undone = chat.say("undo")
            assert undone.kind == "done", context
            assert _skips(engine, chat, auto.id or 0) == [], context


def test_a_recruiter_skips_holiday_runs_lists_them_and_brings_some_back(engine: Engine) -> None:
    chat = MemberChat(engine, tz=ZONE)
    auto = make_automation(engine, chat.org, NOW, cron="0 9 * * 1", tz=ZONE, name="Pipeline")
    chat.say(f"show #{auto.id}")
    mondays = [datetime(2026, 3, 9 + 7 * n, 9, 0, tzinfo=UTC) for n in range(4)]
    assert chat.say("skip next monday's run").kind == "done"
    three_weeks = chat.say("skip the run on March 23")
    assert three_weeks.kind == "done" and "stays active" in three_weeks.text
    assert chat.say("skip the next run").kind == "done"  # the next one not skipped yet: the 16th
    assert _skips(engine, chat, auto.id or 0) == mondays[:3]
    listed = chat.say("which runs are skipped?")
    assert listed.kind == "info" and "skips 3 runs" in listed.text, listed.text
    assert "It runs next on Mon 30 Mar 2026 09:00 BST." in listed.text, listed.text
    shown = chat.say(f"show #{auto.id}").text
    assert "Mon 09 Mar 2026 09:00 GMT (skipped)" in shown, shown

    back = chat.say("unskip Mar 23")
    assert back.kind == "done" and "after all" in back.text, back.text
    assert _skips(engine, chat, auto.id or 0) == mondays[:2]
    again = chat.say("run it on the 16th after all")
    assert again.kind == "done", again.text
    assert _skips(engine, chat, auto.id or 0) == mondays[:1]
    nothing = chat.say("unskip the 23rd")
    assert nothing.kind == "error" and "nothing changed" in nothing.text, nothing.text
    # a new schedule no longer makes the run skipped: the skip goes with it
    chat.say(f"show #{auto.id}")
    assert chat.say("move it to 10am").kind == "done"
    assert _skips(engine, chat, auto.id or 0) == []
    christmas = chat.say("don't send it on Christmas day")
    assert christmas.kind == "error" and "has no run on Fri 25 Dec" in christmas.text

    daily = make_automation(engine, chat.org, NOW, cron="0 9 * * *", tz=ZONE, name="Daily")
    chat.say(f"show #{daily.id}")
    assert chat.say("don't send it on Christmas day").kind == "done"
    capped = chat.say("skip everything between Mar 3 and Jun 30")
    assert capped.kind == "error" and "\n" not in capped.text, capped.text
    assert f"the {MOST_SKIPS} it may skip" in capped.text, capped.text
    assert _skips(engine, chat, daily.id or 0) == [datetime(2026, 12, 25, 9, 0, tzinfo=UTC)]
    entries = list_entries(engine, chat.org.org_id, automation_id=auto.id)
    assert sorted(e.entry.action for e in entries if e.entry.action in ("skip", "unskip")) == [
        *("skip",) * 3,
        *("unskip",) * 2,
    ]


def test_the_leads_holiday_skips_through_skilltick_chat(tmp_path: Path) -> None:
    """What the lead typed as a recruiter, through `skilltick chat`: each skip leaves out the
    run it names and the automation stays active; "undo" takes the last change back."""
    env, engine = chat_home(tmp_path)
    org = make_org(engine, NOW, slug="acme")
    said = [
        "every monday at 9 send me my pipeline report",
        "yes",
        "skip next monday's run",
        "skip the run on December 14",
        "skip the next run",
        "which runs are skipped?",
        "unskip Dec 14",
        "undo",
        "don't send it on Christmas day",
    ]
    user = ["--org", "acme", "--user", org.member_email, "--tz", "America/New_York"]
    late_november = datetime(2026, 11, 30, 22, 57, tzinfo=UTC)  # a Monday, 17:57 in New York
    replies = chat_replies(env, late_november, user, said)
    texts = [r["text"] for r in replies]
    assert [r["kind"] for r in replies] == [
        *("draft", "done", "done", "done", "done", "info", "done", "done", "error"),
    ], texts
    assert texts[2].startswith("Skipping its run of Mon 07 Dec 2026 09:00 EST"), texts[2]
    assert "It runs next on Mon 14 Dec 2026 09:00 EST." in texts[2]
    assert "It runs next on Mon 21 Dec 2026 09:00 EST." in texts[3]
    assert texts[4].startswith("Skipping its run of Mon 21 Dec 2026 09:00 EST"), texts[4]
    assert "skips 3 runs" in texts[5] and "runs next on Mon 28 Dec 2026" in texts[5]
    assert "Mon 14 Dec 2026 09:00 EST after all" in texts[6]
    assert "has no run on Fri 25 Dec" in texts[8] and "\n" not in texts[8]
    (auto,) = list_automations(engine, org.org_id)
    assert auto.enabled and auto.status != "paused"
    mondays = [datetime(2026, 12, 7, 14, 0, tzinfo=UTC) + timedelta(days=7 * n) for n in range(3)]
    assert list(read_skips(auto.skips)) == mondays
    engine.dispose()
