"""A part of the day ("in the afternoon", "at night") belongs to the time it is written with: in
a list of times it moves that one alone, a 24-hour clock ("11:00", "09:15", "17:30") stays as
written, and a part said for the schedule as a whole ("every evening at 7:30") still reads as
that part of the day. A bare hour listed after a time ("at 7pm and 9") is read or asked about,
never dropped. The same words read the same in a new request and in a change."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from assistant.language import understand
from assistant.language.edits import changes_in_words
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_automation, make_org
from bench.kit.language.truth import Spec, truth
from models.errors import InvalidInput
from models.settings import load_settings
from models.store.orgs import get_user
from models.tables.automations import Automation
from tests.examples import examples

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # a Monday
LA = "America/Los_Angeles"

# the hours (0-23) each part of the day can be said of
PART_HOURS = {
    "in the morning": range(5, 12),
    "in the afternoon": range(13, 19),
    "in the evening": range(17, 23),
    "at night": range(21, 24),
}


def _h12(hour: int) -> int:
    return hour % 12 or 12


def with_part(hour: int, minute: int, part: str) -> list[str]:
    """The ways to write hour:minute with its part of the day attached."""
    h12 = _h12(hour)
    forms = [f"{h12}:{minute:02d} {part}"]
    if minute == 0:
        forms += [f"{h12} {part}", f"{h12} o'clock {part}"]
    if minute == 30:
        forms += [f"half past {h12} {part}"]
    if minute == 15:
        forms += [f"quarter past {h12} {part}"]
    if minute == 45:
        forms += [f"quarter to {_h12(hour + 1)} {part}"]
    return forms


def on_its_own(hour: int, minute: int) -> list[str]:
    """The ways to write hour:minute that need no part of the day: a 24-hour clock, am/pm, and
    the bare hours that read as morning or noon."""
    h12, ampm = _h12(hour), "am" if hour < 12 else "pm"
    forms = [f"{hour:02d}:{minute:02d}", f"{h12}:{minute:02d}{ampm}", f"{h12}:{minute:02d} {ampm}"]
    if minute == 0:
        forms += [f"{h12}{ampm}"]
    if 8 <= hour <= 12:
        forms += {
            0: [f"{hour} o'clock"],
            15: [f"quarter past {hour}"],
            30: [f"half past {hour}"],
            45: [f"quarter to {hour + 1}"] if hour < 12 else [],
        }.get(minute, [])
    if (hour, minute) == (12, 0):
        forms += ["noon"]
    return forms


@st.composite
def times_with_one_part(draw: st.DrawFn) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A list of 2-3 times at one minute, one of them with its part of the day: (words, times)."""
    minute = draw(st.sampled_from([0, 15, 30, 45]))
    part = draw(st.sampled_from(sorted(PART_HOURS)))
    part_hour = draw(st.sampled_from(PART_HOURS[part]))
    others = draw(
        st.lists(
            st.integers(0, 23).filter(lambda h: h != part_hour), min_size=1, max_size=2, unique=True
        )
    )
    said = [(part_hour, draw(st.sampled_from(with_part(part_hour, minute, part))))]
    said += [(h, draw(st.sampled_from(on_its_own(h, minute)))) for h in others]
    order = draw(st.permutations(said))
    words = [w for _, w in order]
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return listed, tuple(sorted((h, minute) for h, _ in said))


@settings(max_examples=examples(300), deadline=None, database=None)
@given(times_with_one_part(), st.booleans())
def test_a_part_of_the_day_moves_only_the_time_it_is_written_with(
    said: tuple[str, tuple[tuple[int, int], ...]], schedule_first: bool
) -> None:
    listed, times = said
    request = (
        f"Every day at {listed}, send me my pipeline report"
        if schedule_first
        else f"Send me my pipeline report every day at {listed}"
    )
    draft = understand(request, tz=LA, now=NOW)
    assert draft.ok, f"{request!r}: {draft.question}"
    assert draft.fires(NOW, 5) == truth(Spec("days", times), LA, NOW, 5), (
        f"{request!r} read as {draft.trigger_words()!r}, not {times}"
    )


@settings(max_examples=examples(150), deadline=None, database=None)
@given(times_with_one_part())
def test_a_change_reads_the_times_as_a_new_request_does(
    said: tuple[str, tuple[tuple[int, int], ...]],
) -> None:
    listed, times = said
    auto = Automation(
        org_id=1,
        owner_id=1,
        name="pipeline",
        skill="pipeline-report",
        cron_expression="0 9 * * 1",
        timezone=LA,
        output_channel="email",
        output_config={"to": ["me"]},
        created_at=NOW,
        updated_at=NOW,
    )
    hours = ",".join(str(h) for h, _ in times)
    # (the report's period may follow the new cadence: only the times are checked here)
    assert changes_in_words(auto, f"move it to {listed}", NOW)["cron"] == (
        f"{times[0][1]} {hours} * * 1"
    )


PIPELINE = "send me my pipeline report"


@pytest.mark.parametrize(
    ("request_words", "spec"),
    [
        # the part of the day follows "5": "11:00" keeps its own hour
        (
            "Every day from April through July at 11:00 and 5 in the afternoon, send me a "
            "summary of my pipeline",
            Spec("days", ((11, 0), (17, 0)), months=(4, 5, 6, 7)),
        ),
        (f"every day at 11:30 and 5:30 in the afternoon {PIPELINE}", ((11, 30), (17, 30))),
        (f"every evening at 7:30 {PIPELINE}", ((19, 30),)),
        (f"every day at 7:30 in the evening {PIPELINE}", ((19, 30),)),
        # said for the schedule as a whole, a part of the day is every listed time's
        (
            f"every weekday in the evening, at 7:30 and 9:30, {PIPELINE}",
            Spec("days", ((19, 30), (21, 30)), days=(0, 1, 2, 3, 4)),
        ),
        (f"every morning at 6:45 and 17:45 {PIPELINE}", ((6, 45), (17, 45))),
        (f"every evening at 7 and 9 {PIPELINE}", ((19, 0), (21, 0))),
        (f"every evening at 6, 8 and 10 {PIPELINE}", ((18, 0), (20, 0), (22, 0))),
        (f"every day at 9am and 14 {PIPELINE}", ((9, 0), (14, 0))),
        (f"every day at 12:30 at night {PIPELINE}", ((0, 30),)),
        (f"every day at half past 12 at night {PIPELINE}", ((0, 30),)),
        (f"every evening at 09:30 {PIPELINE}", ((9, 30),)),
    ],
)
def test_worked_examples(request_words: str, spec: Spec | tuple[tuple[int, int], ...]) -> None:
    spec = spec if isinstance(spec, Spec) else Spec("days", spec)
    draft = understand(request_words, tz=LA, now=NOW)
    assert draft.ok, draft.question
    assert draft.fires(NOW, 5) == truth(spec, LA, NOW, 5), draft.trigger_words()


@pytest.mark.parametrize(
    ("request_words", "asked"),
    [
        # a 7 with no part of its own beside an evening time is asked about (the working-day
        # rule would make it morning), not given the other's part
        ("every day at 7 and 9 in the evening send me my pipeline report", "7"),
        ("every day at 7 and 8:30 in the evening send me my pipeline report", "7"),
        ("every day at 5pm and 10 send me my pipeline report", "10"),
        # an hour listed bare after a time has no part of the day of its own either
        ("every day at 7pm and 9 send me my pipeline report", "9"),
        ("every day at 7:30 in the evening and 9 send me my pipeline report", "9"),
    ],
)
def test_a_time_without_its_own_part_of_the_day_is_asked_about(
    request_words: str, asked: str
) -> None:
    draft = understand(request_words, tz=LA, now=NOW)
    assert draft.status == "question"
    assert f"{asked} in the morning or" in (draft.question or "")


def test_a_saved_automation_moved_in_words_keeps_the_24_hour_clock(engine: Engine) -> None:
    org = make_org(engine, NOW)
    auto = make_automation(
        engine, org, NOW, cron="0 9 * * 1", tz=LA, skill="pipeline-report", channel="email"
    )
    user = get_user(engine, org.member_id)
    me = Actor(user.org_id, user.id or 0, user.role, user.email, None)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    view = tools.update_in_words(me, auto.id or 0, "move it to 11:00 and 5 in the afternoon")
    assert view.cron == "0 11,17 * * 1"
    with pytest.raises(InvalidInput, match="7 in the morning or"):
        tools.update_in_words(me, auto.id or 0, "move it to 7 and 7:30 in the evening")
    assert tools.get_automation(me, auto.id or 0).cron == "0 11,17 * * 1"


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _ordinal(day: int) -> str:
    return f"{day}{'th' if 10 <= day <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"


def clock_without_part(hour: int, minute: int) -> list[str]:
    """The ways to write hour:minute that need the part of the day said with them."""
    h12 = _h12(hour)
    forms = [f"at {h12}:{minute:02d}"]
    if minute == 0:
        forms += [f"at {h12}", f"at {h12} o'clock"]
    if minute == 30:
        forms += [f"at half past {h12}"]
    if minute == 15:
        forms += [f"at quarter past {h12}"]
    if minute == 45 and hour != 23:
        forms += [f"at quarter to {_h12(hour + 1)}"]
    return forms


@st.composite
def dated_part_before_clock(draw: st.DrawFn) -> tuple[str, datetime]:
    """ "on March 3 in the morning at 7:30, ..." in some order, with the instant it means."""
    month = draw(st.integers(1, 12))
    # days that could be hours are the ones worth drawing most
    day = draw(st.one_of(st.integers(1, 12), st.integers(1, 28)))
    part = draw(st.sampled_from(sorted(PART_HOURS)))
    hour = draw(st.sampled_from(PART_HOURS[part]))
    minute = draw(st.sampled_from([0, 15, 30, 45]))
    name = MONTHS[month - 1]
    date_words = draw(
        st.sampled_from([f"{name} {day}", f"{name} {_ordinal(day)}", f"{day} {name}"])
    )
    clock = draw(st.sampled_from(clock_without_part(hour, minute)))
    when = draw(
        st.sampled_from(
            [
                f"on {date_words} {part} {clock}",
                f"{part} {clock} on {date_words}",
                f"on {date_words}, {part}, {clock}",
            ]
        )
    )
    zone = ZoneInfo(LA)
    today = NOW.astimezone(zone).date()
    year = today.year if (month, day) > (today.month, today.day) else today.year + 1
    local = datetime(year, month, day, hour, minute, tzinfo=zone)
    return f"{when[0].upper()}{when[1:]}, {PIPELINE}", local.astimezone(UTC)


@settings(max_examples=examples(300), deadline=None, database=None)
@given(dated_part_before_clock())
def test_a_part_of_the_day_before_the_clock_belongs_to_it_and_a_date_s_day_is_no_hour(
    said: tuple[str, datetime],
) -> None:
    request, instant = said
    local, today = instant.astimezone(ZoneInfo(LA)), NOW.astimezone(ZoneInfo(LA))
    assume((local.month, local.day) != (today.month, today.day))  # today's: this year or next
    draft = understand(request, tz=LA, now=NOW)
    assert draft.ok, f"{request!r}: {draft.question}"
    assert draft.fires(NOW, 2) == [instant], f"{request!r} read as {draft.trigger_words()!r}"


@pytest.mark.parametrize(
    ("request_words", "spec"),
    [
        (f"every day in the afternoon at 4:30 {PIPELINE}", ((16, 30),)),
        (f"every day at 9 and in the afternoon at 4 {PIPELINE}", ((9, 0), (16, 0))),
        (f"every day in the morning at 7 and 10, {PIPELINE}", ((7, 0), (10, 0))),
    ],
)
def test_a_part_of_the_day_before_a_clock_is_its_own_and_the_listed_after_it(
    request_words: str, spec: tuple[tuple[int, int], ...]
) -> None:
    draft = understand(request_words, tz=LA, now=NOW)
    assert draft.ok, draft.question
    assert draft.fires(NOW, 5) == truth(Spec("days", spec), LA, NOW, 5), draft.trigger_words()
