"""One rule for an hour said without am or pm, across the whole schedule grammar: 1 to 6 is the
afternoon, 7 to 11 the morning (a working day's reading), 12 noon, 0 and 13 to 23 as they are;
the read-back says how 1 to 7 was read and how to say the other. Asked only when the rule would
put a listed hour on the other side of noon from an afternoon time said before it.

Generated: hours x the ways of saying a time (bare, o'clock, minutes, half past, am/pm, parts
of the day) x skills' requests (repeating and once, reminders too); the expected hour is worked
out here from the words alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from assistant.language import understand

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday morning in London
TZ = "Europe/London"
REQUESTS = (
    ("every wednesday {time} send me my pipeline", "pipeline-report"),
    ("every friday {time} send me the sourcing recap", "sourcing-recap"),
    ("every weekday {time} email me the follow-ups that are due", "followups"),
    ("remind me every thursday {time} to submit scorecards", "reminder"),
    ("remind me tomorrow {time} to call Priya", "reminder"),
    ("tomorrow {time} send me my pipeline", "pipeline-report"),
)


def bare(hour: int) -> int:
    """A working day's hour for a number alone."""
    if 1 <= hour <= 6:
        return hour + 12
    return hour


def with_word(word: str) -> Callable[[int], int]:
    afternoon = word in ("pm", "in the afternoon", "in the evening")
    return lambda hour: hour % 12 + (12 if afternoon else 0)


# (how the time is said, the hours it may be said with, the expected (hour, minute), whether
# the read-back must say how it was read)
FORMS: list[tuple[str, range, Callable[[int], tuple[int, int]], Callable[[int], bool]]] = [
    ("at {h}", range(0, 24), lambda h: (bare(h), 0), lambda h: 1 <= h <= 7),
    ("at {h} o'clock", range(1, 13), lambda h: (bare(h), 0), lambda h: 1 <= h <= 7),
    ("at {h}:15", range(1, 13), lambda h: (bare(h), 15), lambda h: 1 <= h <= 7),
    ("at half past {h}", range(1, 13), lambda h: (bare(h), 30), lambda h: 1 <= h <= 7),
    ("at {h}am", range(1, 13), lambda h: (with_word("am")(h), 0), lambda h: False),
    ("at {h}pm", range(1, 13), lambda h: (with_word("pm")(h), 0), lambda h: False),
    ("at {h}:45 pm", range(1, 13), lambda h: (with_word("pm")(h), 45), lambda h: False),
    (
        "at {h} in the morning",
        range(1, 12),
        lambda h: (with_word("in the morning")(h), 0),
        lambda h: False,
    ),
    (
        "at {h} in the afternoon",
        range(1, 12),
        lambda h: (with_word("in the afternoon")(h), 0),
        lambda h: False,
    ),
]


def first_local(draft_runs: list[datetime]) -> datetime:
    return draft_runs[0].astimezone(ZoneInfo(TZ))


def test_every_hour_said_any_way_reads_by_one_rule_for_every_skill() -> None:
    checked = 0
    for form, hours, expected, noted in FORMS:
        for hour in hours:
            time = form.format(h=hour)
            for template, skill in REQUESTS:
                request = template.format(time=time)
                draft = understand(request, tz=TZ, now=NOW)
                assert draft.ok, (request, draft.question)
                assert draft.skill == skill, request
                at = first_local(draft.next_runs)
                assert (at.hour, at.minute) == expected(hour), (request, at)
                if "tomorrow" in template:
                    assert at.date() == (NOW + timedelta(days=1)).date(), request
                said = [d for d in draft.defaults if d.startswith("“")]
                if noted(hour):
                    other = "am" if at.hour >= 12 else "pm"
                    assert len(said) == 1 and other in said[0].split("say")[1], (request, said)
                    assert f"I assumed {said[0]}." in draft.summary
                else:
                    assert said == [], (request, said)
                checked += 1
    assert checked >= 700


def test_a_listed_hour_is_asked_only_across_noon_from_an_afternoon_time() -> None:
    for evening, listed in ((7, 9), (8, 10), (5, 11)):
        draft = understand(
            f"every day at {evening}pm and {listed} send me my pipeline", tz=TZ, now=NOW
        )
        assert draft.status == "question"
        assert f"{listed}am or {listed}pm" in (draft.question or "")
    for first, then, hours in (("9am", 3, [9, 15]), ("2pm", 4, [14, 16]), ("8am", 11, [8, 11])):
        draft = understand(f"every day at {first} and {then} send me my pipeline", tz=TZ, now=NOW)
        assert draft.ok, draft.question
        runs = sorted({t.astimezone(ZoneInfo(TZ)).hour for t in draft.fires(NOW, 4)})
        assert runs == hours


def test_a_reminder_at_a_time_alone_is_the_next_such_time_once() -> None:
    # 10:00 in London: 3pm is still ahead today, 9am has passed (tomorrow)
    for said, day, hour in (("3pm", 0, 15), ("3", 0, 15), ("9am", 1, 9), ("10:30", 0, 10)):
        draft = understand(f"remind me at {said} to call Priya", tz=TZ, now=NOW)
        assert draft.ok, draft.question
        assert draft.schedule is not None and draft.schedule.once_at is not None
        at = draft.schedule.once_at.astimezone(ZoneInfo(TZ))
        assert at.date() == (NOW + timedelta(days=day)).date()
        assert at.hour == hour
        assert len(draft.next_runs) == 1
        word = "today" if day == 0 else "tomorrow"
        assert any(d.startswith(f"it goes once, {word} at") for d in draft.defaults)
    # a report with a time alone still asks how often: it is not a one-off by nature
    draft = understand("send me my pipeline at 3pm", tz=TZ, now=NOW)
    assert draft.status == "question" and "How often" in (draft.question or "")
