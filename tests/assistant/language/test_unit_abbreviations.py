"""A duration written with an abbreviated unit ("24h", "2 hrs", "90 mins", "5d", "2 wks", "5m"),
a fraction ("1.5 hours") or hours and minutes together ("1h30") means what it says wherever a
duration is read: an offset before or after an event, a window looked back on, a repeat, and in
the conversation a shift of the time and a pause. Amounts and spellings are generated; the
minutes each one means are counted from the amount, not read back from the parser."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from assistant.language.understand import understand
from assistant.language.unit_words import spelled_out
from bench.kit.factories import make_automation
from models.settings import load_settings
from models.store.automations import get_automation
from skills.builtin import default_registry
from tests.assistant.conversation.member_chat import MemberChat

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
SPECS = default_registry().specs()
_MINUTES = {"minute": 1, "hour": 60, "day": 1440, "week": 10080}
# how people write each unit: "m" is minutes (months are never "m" in recruiting chat)
SPELLINGS = {
    "minute": ("m", "min", "mins", "minute", "minutes", "MIN"),
    "hour": ("h", "hr", "hrs", "hour", "hours", "H", "Hrs"),
    "day": ("d", "day", "days"),
    "week": ("w", "wk", "wks", "week", "weeks"),
}


def durations(
    seed: int, units: tuple[str, ...], amounts: range, count: int
) -> list[tuple[str, int]]:
    """`count` durations in `units` as someone might write them, each with its minutes."""
    pick = random.Random(seed)
    said: list[tuple[str, int]] = []
    while len(said) < count:
        kind = pick.random()
        if kind < 0.15 and "hour" in units:
            # hours and minutes together: "1h30", "2 hrs 15 mins", "1 hour and 45 minutes"
            hours, minutes = pick.randrange(1, 4), pick.choice((10, 15, 30, 45))
            words = pick.choice(
                ("{h}h{m}", "{h}h {m}m", "{h} hrs {m} mins", "{h} hour and {m} minutes")
            )
            said.append((words.format(h=hours, m=minutes), hours * 60 + minutes))
        elif kind < 0.3 and "hour" in units:
            # a fraction of an hour or a day that comes out in whole minutes
            whole, half = (
                pick.randrange(0 if "minute" in units else 1, 4),
                pick.choice((".5", ".25", ".75")),
            )
            unit = pick.choice(("hour", "day")) if "day" in units else "hour"
            spelling = pick.choice(SPELLINGS[unit][:3])
            minutes = round((whole + float(half)) * _MINUTES[unit])
            said.append((f"{whole}{half}{pick.choice(('', ' '))}{spelling}", minutes))
        else:
            unit = pick.choice(units)
            amount = pick.choice(amounts)
            space = pick.choice(("", " ")) if len(pick.choice(SPELLINGS[unit])) <= 4 else " "
            spelling = pick.choice(SPELLINGS[unit])
            said.append((f"{amount}{space}{spelling}", amount * _MINUTES[unit]))
    return said


def _check(
    said: str, minutes: int, template: str, holds: Callable[[dict[str, object], int], bool]
) -> None:
    request = template.format(d=said)
    draft = understand(request, tz="Europe/London", now=NOW, specs=SPECS)
    assert draft.ok, (request, draft.summary)
    facts = {**draft.params, **(draft.event_filter or {}), "poll": draft.poll_interval_minutes}
    assert holds(facts, minutes), (request, facts, draft.summary)


def test_offsets_before_and_after_an_event() -> None:
    for said, minutes in durations(1, ("minute", "hour", "day"), range(2, 48), 40):
        _check(
            said,
            minutes,
            "send the interview prep pack {d} before each interview",
            lambda f, m: f["offset_minutes"] == -m,
        )
    for said, minutes in durations(2, ("hour", "day", "week"), range(1, 4), 30):
        _check(
            said,
            minutes,
            "send the candidate a thank-you note {d} after they apply",
            lambda f, m: f["offset_minutes"] == m,
        )


def test_windows_looked_back_on_and_repeats() -> None:
    whole_hours = [
        (s, m) for s, m in durations(3, ("hour", "day", "week"), range(1, 5), 60) if m % 60 == 0
    ]
    for said, minutes in whole_hours[:30]:
        _check(
            said,
            minutes,
            "every friday at 4pm send me new applicants from the last {d}",
            lambda f, m: f["since_hours"] == m // 60,
        )
    for said, minutes in durations(4, ("minute", "hour"), range(15, 120, 15), 30):
        if minutes < 60 and minutes % 5:
            continue
        _check(
            said, minutes, "every {d} send me new applicants in slack", lambda f, m: f["poll"] == m
        )


def test_words_that_are_no_duration_are_left_as_said() -> None:
    for words in (
        "post it in #team-24h",
        "email sam24h@example.com",
        "roles with a $5m budget",
        "on the 2nd and 3rd at 10am",
        "remind me “call back in 2h”",
        "every day at 9h",
        "candidates in the last 5 minimum",
    ):
        assert spelled_out(words) == words


def test_the_conversation_reads_abbreviations_in_a_shift_and_a_pause(sqlite_engine: Engine) -> None:
    chat = MemberChat(sqlite_engine, "Europe/London", now=NOW, settings=load_settings())
    auto = make_automation(
        sqlite_engine,
        chat.org,
        NOW,
        cron="30 8 * * 1-5",
        tz="Europe/London",
        skill="pipeline-report",
        channel="email",
    )
    assert chat.say(f"show #{auto.id}").kind == "info"
    reply = chat.say("push it back 1h30")
    assert reply.kind == "done", reply.text
    assert (
        get_automation(sqlite_engine, chat.org.org_id, auto.id or 0).cron_expression
        == "0 10 * * 1-5"
    )
    reply = chat.say("pause it for 36h")
    assert reply.kind == "done", reply.text
    paused = get_automation(sqlite_engine, chat.org.org_id, auto.id or 0).paused_until
    assert paused is not None and paused.replace(tzinfo=UTC) == NOW + timedelta(hours=36)
