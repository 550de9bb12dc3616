"""Times of day a recruiter types after a draft or of a saved automation, through the real
conversation engine: a new time said in a change reads as a new request reads it, an am-or-pm
question is answered by the next message only, a repeating schedule changes in its own terms,
and a bare number while a draft or question waits is an hour."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from assistant.language.understand import understand
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation
from models.clock import utc
from models.store.automations import get_automation
from models.store.conversations import get_draft
from tests.assistant.conversation.member_chat import NoSlackChat

EDITS = ("move it to {}", "make it {}", "change the time to {}", "at {}", "set it for {}")


def time_words() -> list[str]:
    """Times of day in the forms people type: bare hours across the day (the working-day
    reading), am/pm, clocks, quarter and half hours, names, and lists where that reading would
    put an hour across noon from an evening time (the am/pm question)."""
    bare = [str(h) for h in (1, 6, 7, 8, 9, 11, 12, 13, 17, 23)]
    marked = [f"{h}{half}" for h, half in itertools.product((7, 9, 12), ("am", "pm"))]
    clocks = ["9:30", "07:45", "17:00", "9.15", "6:05"]
    spoken = ["half past 9", "quarter to 10", "noon", "midnight", "9 o'clock", "6 in the evening"]
    across_noon = ["9pm and 7", "5pm and 10", "8pm and 9"]
    return bare + marked + clocks + spoken + across_noon


def expected(words: str) -> tuple[str | None, str | None]:
    """(hour and minute fields, question) for the same time words in a new request."""
    draft = understand(
        f"every weekday at {words} send me a summary of my pipeline", tz="UTC", now=NOW
    )
    if not draft.ok:
        return None, draft.question
    assert draft.schedule is not None and draft.schedule.expression is not None
    minute, hour = draft.schedule.expression.split()[:2]
    return f"{minute} {hour}", None


def _fields(cron: str) -> str:
    return " ".join(cron.split()[:2])


def test_a_new_time_in_a_change_reads_as_a_new_request_reads_it(sqlite_engine: Engine) -> None:
    chat = NoSlackChat(sqlite_engine)
    saved = make_automation(
        sqlite_engine, chat.org, NOW, cron="30 8 * * 1-5", skill="pipeline-report", name="Mine"
    )
    seen = {"question": 0, "moved": 0}
    for n, (edit, words) in enumerate(itertools.product(EDITS, time_words())):
        said = edit.format(words)
        fields, question = expected(words)
        # a pending draft
        chat.key = f"draft-{n}"
        assert chat.say("every weekday at 8:30 send me a summary of my pipeline").kind == "draft"
        reply = chat.say(said)
        draft_id = chat.state()["pending"]["draft_id"]  # still a draft either way
        cron = get_draft(sqlite_engine, chat.org.org_id, draft_id).draft["schedule"]["cron"]
        if question is None:
            assert reply.kind == "draft", (said, reply.text)
            assert _fields(cron) == fields, (said, cron)
        else:
            assert (reply.kind, reply.text) == ("error", question), said
            assert _fields(cron) == "30 8", said
        # a saved automation spoken about
        chat.key = f"saved-{n}"
        assert chat.say(f"show #{saved.id}").kind == "info"
        before = get_automation(sqlite_engine, chat.org.org_id, saved.id or 0).cron_expression
        reply = chat.say(said)
        after = get_automation(sqlite_engine, chat.org.org_id, saved.id or 0).cron_expression
        assert after is not None and before is not None
        if question is None:
            assert reply.kind == "done", (said, reply.text)
            assert _fields(after) == fields and after.split()[2:] == ["*", "*", "1-5"], said
            seen["moved"] += 1
        else:
            assert (reply.kind, reply.text, after) == ("error", question, before), said
            seen["question"] += 1
    assert seen["question"] >= len(EDITS) * 3 and seen["moved"] >= len(EDITS) * 20


def test_am_or_pm_answers_make_the_asked_time_whole_wherever_it_was_asked(
    sqlite_engine: Engine,
) -> None:
    chat = NoSlackChat(sqlite_engine)
    saved = make_automation(
        sqlite_engine, chat.org, NOW, cron="30 8 * * 1-5", skill="pipeline-report", name="Mine"
    )
    parts = ["in the morning", "in the afternoon", "in the evening", "tonight"]
    # an hour the working-day rule reads as morning, listed after an evening time, is asked
    cases = [(t, a) for t in ("7", "9", "11", "3") for a in ("am", "pm", *parts)]
    cases += [("7", "8pm"), ("9", "it's 9am")]
    answered = 0
    for n, (alone, answer) in enumerate(cases):
        said = f"9pm and {alone}"
        whole = answer.removeprefix("it's ") if answer[-2:] in ("am", "pm") else answer
        fields, question = expected(
            f"9pm and {whole}" if whole[0].isdigit() else f"{said} {answer}"
        )
        assert question is None and fields is not None, (said, answer)
        request = f"every weekday at {said} send me a summary of my pipeline"
        if expected(said)[1] is None:
            continue  # "12:30" is no question
        # a new request
        chat.key = f"new-{n}"
        assert chat.say(request).kind == "question"
        reply = chat.say(answer)
        assert reply.kind == "draft", (said, answer, reply.text)
        draft = get_draft(sqlite_engine, chat.org.org_id, reply.draft_id or 0)
        assert _fields(draft.draft["schedule"]["cron"]) == fields, (said, answer)
        # a pending draft
        chat.key = f"draft-{n}"
        assert chat.say("every weekday at 8:30 send me a summary of my pipeline").kind == "draft"
        assert chat.say(f"move it to {said}").kind == "error"
        reply = chat.say(answer)
        assert reply.kind == "draft", (said, answer, reply.text)
        draft = get_draft(sqlite_engine, chat.org.org_id, reply.draft_id or 0)
        assert _fields(draft.draft["schedule"]["cron"]) == fields, (said, answer)
        # a saved automation
        chat.key = f"saved-{n}"
        chat.say(f"show #{saved.id}")
        before = get_automation(sqlite_engine, chat.org.org_id, saved.id or 0).cron_expression
        assert chat.say(f"make it {said}").kind == "error"
        reply = chat.say(answer)
        if before is not None and _fields(before) == fields:  # an earlier case made it so
            assert reply.text == "It does that already; nothing changed.", (said, answer)
        else:
            assert reply.kind == "done", (said, answer, reply.text)
        after = get_automation(sqlite_engine, chat.org.org_id, saved.id or 0).cron_expression
        assert after is not None and _fields(after) == fields, (said, answer)
        answered += 1
    assert answered == len(cases) - 6  # "3" after 9pm is the afternoon: no question
    # the part of the day makes a clock whole in a new request as in an answer
    assert expected("7:30 in the evening") == expected("7:30pm") == ("30 19", None)
    assert expected("12:30 at night") == ("30 0", None)


def test_an_am_or_pm_question_is_answered_only_by_the_next_message(sqlite_engine: Engine) -> None:
    chat = NoSlackChat(sqlite_engine)
    saved = make_automation(sqlite_engine, chat.org, NOW, cron="30 8 * * 1-5", name="Mine")
    chat.say(f"show #{saved.id}")
    assert chat.say("move it to 9pm and 7").kind == "error"
    assert chat.say("list").kind == "list"
    assert chat.say("pm").kind != "done"  # the question was left behind
    assert get_automation(sqlite_engine, chat.org.org_id, saved.id or 0).cron_expression == (
        "30 8 * * 1-5"
    )


@pytest.mark.parametrize(
    ("change", "weekly", "weekdays"),
    [
        ("move it to thursday", "0 9 * * 4", "0 9 * * 4"),
        ("change the day to tuesday", "0 9 * * 2", "0 9 * * 2"),
        ("make it every other week", "MO;", "MO,TU,WE,TH,FR;"),
        ("biweekly", "MO;", "MO,TU,WE,TH,FR;"),
        ("fortnightly instead", "MO;", "MO,TU,WE,TH,FR;"),
        ("every 3 weeks", "INTERVAL=3;BYDAY=MO;", "INTERVAL=3;BYDAY=MO,TU,WE,TH,FR;"),
        ("move it to thursday at 10am", "0 10 * * 4", "0 10 * * 4"),
    ],
)
def test_a_repeating_schedule_changes_in_its_own_terms(
    sqlite_engine: Engine, change: str, weekly: str, weekdays: str
) -> None:
    chat = NoSlackChat(sqlite_engine)
    for cron, wanted in (("0 9 * * 1", weekly), ("0 9 * * 1-5", weekdays)):
        saved = make_automation(sqlite_engine, chat.org, NOW, cron=cron, name=f"Mine {cron}")
        chat.key = f"saved {cron}"
        chat.say(f"show #{saved.id}")
        reply = chat.say(change)
        assert reply.kind == "done", (change, cron, reply.text)
        after = get_automation(sqlite_engine, chat.org.org_id, saved.id or 0)
        if wanted.startswith("0 "):
            assert after.cron_expression == wanted and after.rrule is None, (change, cron)
        else:
            assert after.rrule is not None and wanted in after.rrule, (change, cron, after.rrule)
            assert "FREQ=WEEKLY" in after.rrule and "BYHOUR=9" in after.rrule
            assert ("INTERVAL=3" if "3" in change else "INTERVAL=2") in after.rrule
        days = "Mondays" if cron.endswith("1") else "weekdays"
        chat.key = f"draft {cron}"
        assert chat.say(f"every {days} at 9am send me a summary of my pipeline").kind == "draft"
        reply = chat.say(change)
        assert reply.kind == "draft", (change, cron, reply.text)
        draft = get_draft(sqlite_engine, chat.org.org_id, reply.draft_id or 0).draft["schedule"]
        assert wanted in (draft["cron"] or draft["rrule"]), (change, cron, draft)


def test_a_step_of_weeks_on_a_daily_schedule_asks_which_days(sqlite_engine: Engine) -> None:
    chat = NoSlackChat(sqlite_engine)
    saved = make_automation(sqlite_engine, chat.org, NOW, cron="0 9 * * *", name="Daily")
    chat.say(f"show #{saved.id}")
    reply = chat.say("make it every other week")
    assert (reply.kind, reply.text) == (
        "error",
        "On which days of the week? Say e.g. “every other Monday”.",
    )
    assert get_automation(sqlite_engine, chat.org.org_id, saved.id or 0).cron_expression == (
        "0 9 * * *"
    )
    assert chat.say("make it every other monday").kind == "done"


def test_a_step_of_weeks_counts_from_its_first_run(engine: Engine) -> None:
    chat = NoSlackChat(engine)
    first = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)  # the first Monday 9:00 after NOW
    assert chat.say("every monday at 9am send me a summary of my pipeline").kind == "draft"
    reply = chat.say("make it every other week")
    assert "starting March 9, 2026" in reply.text, reply.text
    done = chat.say("yes")
    made = get_automation(engine, chat.org.org_id, done.automation_id or 0)
    assert made.rrule is not None and "INTERVAL=2" in made.rrule
    assert made.schedule_anchor is not None and utc(made.schedule_anchor) == first
    assert made.next_run_at is not None and utc(made.next_run_at) == first
    saved = make_automation(engine, chat.org, NOW, cron="0 9 * * 1", name="Saved")
    chat.say(f"show #{saved.id}")
    assert chat.say("biweekly").kind == "done"
    after = get_automation(engine, chat.org.org_id, saved.id or 0)
    assert after.schedule_anchor is not None and utc(after.schedule_anchor) == first
    assert after.next_run_at is not None and utc(after.next_run_at) == first


def test_a_bare_number_while_a_draft_or_question_waits_is_an_hour(sqlite_engine: Engine) -> None:
    chat = NoSlackChat(sqlite_engine)
    make_automation(sqlite_engine, chat.org, NOW, name="Morning digest")
    assert chat.say("send me a summary of my pipeline").kind == "question"
    draft = chat.say("mondays")
    assert draft.kind == "draft" and "09:00 AM" in draft.text
    for hour, fields in (("10", "0 10"), ("7", "0 7"), ("25", None), ("17", "0 17")):
        reply = chat.say(hour)
        if fields is None:  # a number that is no hour is refused
            assert reply.kind == "error", (hour, reply.text)
        else:
            assert reply.kind == "draft", (hour, reply.text)
            cron = get_draft(sqlite_engine, chat.org.org_id, reply.draft_id or 0).draft
            assert _fields(cron["schedule"]["cron"]) == fields
        assert chat.state()["pending"]["kind"] == "draft"
    assert chat.say("yes").kind == "done"
    chat.key = "when"
    assert chat.say("send me a summary of my pipeline").kind == "question"
    asked = chat.say("9")  # the hour answers "when?" in part: the days are still missing
    assert asked.kind == "question" and "09:00" in asked.text, asked.text
    draft = chat.say("every monday")
    assert draft.kind == "draft" and "09:00 AM, only on Monday" in draft.text, draft.text
