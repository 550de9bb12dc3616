"""Skipping a run named by its date ("skip the run on March 10", "skip the 10th", "skip Tuesday
the 10th's run", "skip 10 March") or its place ("the run after next"): exactly the runs of that
day are skipped, however far ahead, the automation staying active; a day it has no run on is
said in one line, changing nothing. The runs are found from the local calendar (no schedule
maths). What not to send ("don't send it next week",
"no report on the 14th") is a skip of the same runs; "the week of the 21st" is its Monday to
Sunday."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from assistant.conversation import words
from assistant.conversation.intents import classify
from assistant.language.skip_words import skip_in_words
from bench.kit.factories import make_automation
from models.clock import utc
from models.skip_list import read_skips
from models.store.automations import get_automation
from tests.assistant.conversation.member_chat import MemberChat
from tests.assistant.conversation.test_skipping_runs import NOW, SCHEDULES, ZONE, fires


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _phrasings(day: date) -> list[str]:
    nth = _ordinal(day.day)
    return [
        f"the run on {day:%B} {day.day}",
        f"the {nth}",
        f"{day:%A} the {nth}'s run",
        f"{day.day} {day:%B}",
        f"{day:%b} {nth}",
    ]


def _on(day: date, all_fires: list[datetime]) -> list[datetime]:
    zone = ZoneInfo(ZONE)
    return [t for t in all_fires if t.astimezone(zone).date() == day]


def test_a_run_named_by_its_date_is_skipped_alone_and_a_day_without_one_changes_nothing(
    sqlite_engine: Engine,
) -> None:
    chat = MemberChat(sqlite_engine, tz=ZONE)
    today = NOW.astimezone(ZoneInfo(ZONE)).date()
    seen = {"skipped": 0, "none": 0}
    for name, (cron, zone, minutes, days) in SCHEDULES.items():
        auto = make_automation(sqlite_engine, chat.org, NOW, cron=cron, tz=zone, name=name)
        all_fires = fires(zone, minutes, days)
        chat.key = name
        chat.say(f"show #{auto.id}")
        for n in range(1, 9):  # each day ahead, said each time in another of the ways
            day = today + timedelta(days=n)
            said = _phrasings(day)[n % 5]
            wanted = _on(day, all_fires)
            reply = chat.say(f"skip {said}")
            stored = get_automation(sqlite_engine, chat.org.org_id, auto.id or 0)
            context = (name, said, reply.text)
            assert stored.enabled and utc(stored.next_run_at or NOW) == all_fires[0], context
            if wanted:
                assert reply.kind == "done", context
                assert all(words.when(t, zone) in reply.text for t in wanted), context
                assert sorted(read_skips(stored.skips)) == wanted, context
                assert chat.say("undo").kind == "done", context
                back = get_automation(sqlite_engine, chat.org.org_id, auto.id or 0)
                assert back.skips is None, context
                seen["skipped"] += 1
                continue
            assert reply.kind == "error" and "\n" not in reply.text, context
            assert "has no run" in reply.text and "nothing changed" in reply.text, context
            assert stored.skips is None, context
            seen["none"] += 1
    assert all(seen.values()), seen


def test_the_run_after_next_is_skipped_alone(sqlite_engine: Engine) -> None:
    chat = MemberChat(sqlite_engine, tz=ZONE)
    auto = make_automation(sqlite_engine, chat.org, NOW, cron="0 9 * * *", tz=ZONE)
    reply = chat.say(f"skip the run after next of #{auto.id}")
    assert reply.kind == "done", reply.text
    assert "Wed 04 Mar 2026 09:00" in reply.text and "It runs next on Tue 03 Mar" in reply.text
    stored = get_automation(sqlite_engine, chat.org.org_id, auto.id or 0)
    assert list(read_skips(stored.skips)) == [datetime(2026, 3, 4, 9, 0, tzinfo=UTC)]


def test_a_weekday_that_is_not_the_dates_own_is_asked_about(sqlite_engine: Engine) -> None:
    chat = MemberChat(sqlite_engine, tz=ZONE)
    auto = make_automation(sqlite_engine, chat.org, NOW, cron="0 9 * * *", tz=ZONE)
    reply = chat.say(f"skip #{auto.id} monday the 10th")
    assert reply.kind == "error" and "Tuesday 10 March is not a Monday" in reply.text, reply.text


NOT_SENT = ["don't send it", "do not run it", "no report", "no reminders", "don't post it"]
RUNS = ["next week", "tomorrow", "on the 14th", "the run on March 10", "the week of the 21st"]


def test_what_not_to_send_is_a_skip_of_the_same_runs() -> None:
    for lead, runs in itertools.product(NOT_SENT, RUNS):
        said = classify(f"{lead} {runs} please")
        assert said == classify(f"skip {runs}"), (lead, runs, said)
        assert said.kind == "skip" and said.rest == runs
    named = classify("don't send the pipeline report tomorrow")
    assert (named.kind, named.ref, named.rest) == ("skip", "the pipeline report", "tomorrow")
    for alone in ("don't send it", "don't send the pipeline report", "no emails"):
        assert classify(alone).kind != "skip", alone


def test_the_week_of_a_date_is_its_monday_to_sunday() -> None:
    zone = ZoneInfo(ZONE)
    today = NOW.astimezone(zone).date()
    for ahead in range(1, 40, 3):
        day = today + timedelta(days=ahead)
        wish = skip_in_words(f"the week of {day:%B} {_ordinal(day.day)}", ZONE, NOW)
        monday = day - timedelta(days=day.weekday())
        assert wish.end == datetime.combine(monday + timedelta(days=7), time(0), zone)
        assert wish.start == max(NOW, datetime.combine(monday, time(0), zone)), day
