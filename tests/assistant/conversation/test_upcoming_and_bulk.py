"""What runs next, asked in the conversation ("what's coming up?", "what runs tomorrow?"),
what ran or failed ("what failed yesterday?"), and bulk requests with nothing to act on,
through the real conversation engine."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from models.store.automations import list_automations
from models.store.orgs import create_user
from models.tables.runs import AutomationRun
from tests.assistant.conversation.test_questions import Chat, ids
from worker.schedule.parse import next_fire, parse_schedule

# the speaker's day is UTC; NOW is Monday 16:00
WINDOWS: dict[str, tuple[datetime, datetime | None]] = {
    "": (NOW, None),
    "today": (NOW, datetime(2026, 3, 3, tzinfo=NOW.tzinfo)),
    "tomorrow": (datetime(2026, 3, 3, tzinfo=NOW.tzinfo), datetime(2026, 3, 4, tzinfo=NOW.tzinfo)),
    "week": (NOW, NOW + timedelta(days=7)),
}
ASKED = {
    "": ["what's next?", "what's coming up?", "what runs next?", "what is up next?"],
    "today": [
        "what runs today?",
        "what's scheduled for today?",
        "anything running today?",
        "what's due today?",
        "what goes out this evening?",
        "which reports run tonight?",
    ],
    "tomorrow": ["what runs tomorrow?", "what's on tomorrow?", "is anything scheduled tomorrow?"],
    "week": ["what runs this week?", "what's coming up this week?", "any reports due this week?"],
}


def test_what_runs_next_lists_active_schedules_by_their_next_run(engine: Engine) -> None:
    org = make_org(engine, NOW, slug="acme")
    crons = {"Daily digest": "0 9 * * *", "Friday recap": "0 10 * * 5", "Hourly check": "0 * * * *"}
    for name, cron in crons.items():
        make_automation(engine, org, NOW, name=name, cron=cron, skill="pipeline-report")
    make_automation(engine, org, NOW, name="Paused one", cron="0 17 * * *", enabled=False)
    make_automation(engine, org, NOW, name="Admin's", cron="0 17 * * *", owner_id=org.admin_id)
    chat = Chat(engine, org, org.member_id)
    autos = {a.name: a for a in list_automations(engine, org.org_id)}
    for window, questions in ASKED.items():
        start, end = WINDOWS[window]
        due = []
        for name, cron in crons.items():
            fire = next_fire(parse_schedule(cron=cron, tz="UTC"), start - timedelta(seconds=1))
            if fire is not None and (end is None or fire < end):
                due.append((fire, autos[name].id))
        expected = [n for _, n in sorted(due)]
        assert expected or window == "", window
        for asked in questions:
            reply = chat.say(asked)
            assert reply.kind == "list" and ids(reply.data) == expected, (asked, reply.text)
            assert "Paused one" not in reply.text and "Admin's" not in reply.text
            assert chat.state()["listed"] == expected
    picked = chat.say("the second one")
    assert picked.kind == "info" and picked.automation_id == ids(chat.say("what's next?").data)[1]


def test_nothing_to_run_in_the_window_says_so(engine: Engine) -> None:
    org = make_org(engine, NOW, slug="acme")
    make_automation(engine, org, NOW, name="Friday recap", cron="0 10 * * 5")
    chat = Chat(engine, org, org.member_id)
    assert chat.say("what runs tomorrow?").text == "Nothing is scheduled to run tomorrow."
    assert "Friday recap" in chat.say("what runs this week?").text


@pytest.mark.parametrize(
    "role, said, expected",
    [
        ("member", "pause my automations", "You have no active automations to pause."),
        ("member", "turn off all my automations", "You have no active automations to pause."),
        ("admin", "turn off all my automations", "You have no active automations to pause."),
        ("admin", "pause everything", "Nobody has active automations to pause. System job"),
        ("admin", "pause all of Dana's automations", "Dana Recruiter has no active automations"),
        ("member", "resume my automations", "You have no paused automations to resume."),
        ("admin", "resume everything paused today", "has automations paused today to resume"),
        ("admin", "resume all of Dana's automations", "Dana Recruiter has no paused automations"),
    ],
)
def test_bulk_with_nothing_to_act_on_says_so_in_words(
    engine: Engine, role: str, said: str, expected: str
) -> None:
    org = make_org(engine, NOW - timedelta(days=30), slug="acme")
    create_user(engine, org_id=org.org_id, email="dana@acme.test", name="Dana Recruiter", now=NOW)
    chat = Chat(engine, org, org.admin_id if role == "admin" else org.member_id)
    reply = chat.say(said)
    assert reply.kind == "info" and expected in reply.text, reply.text
    assert "(s)" not in reply.text and "0 automation" not in reply.text
    assert chat.state().get("pending") is None


@pytest.mark.parametrize("count", [1, 2, 12])
def test_bulk_counts_in_words_and_names_the_first_ten(engine: Engine, count: int) -> None:
    org = make_org(engine, NOW, slug="acme")
    made = [make_automation(engine, org, NOW, name=f"Report {i}") for i in range(count)]
    chat = Chat(engine, org, org.member_id)
    reply = chat.say("pause my automations")
    noun = "automation" if count == 1 else "automations"
    assert reply.kind == "confirm" and f"would pause {count} {noun}: " in reply.text
    assert "(s)" not in reply.text
    assert all(f"#{a.id} {a.name}" in reply.text for a in made[:10])
    assert (f"and {count - 10} more" in reply.text) == (count > 10)
    done = chat.say("yes")
    assert done.kind == "done" and done.text.startswith(f"Paused {count} {noun}: ")
    assert not any(a.enabled for a in list_automations(engine, org.org_id))


RUN_QUESTIONS = {
    (True, "today"): [
        "what failed today?",
        "did anything fail today?",
        "show me failed runs today",
        "any failures today?",
    ],
    (True, "yesterday"): [
        "what failed yesterday?",
        "which reports failed yesterday?",
        "were there any failed runs yesterday?",
    ],
    (True, "week"): ["show failed runs in the last 7 days"],
    (True, "thisweek"): ["what failed this week?"],  # since Monday: today, a Monday
    (True, ""): ["show me failed runs", "show my recent failed runs", "any failures?"],
    (False, "today"): ["what ran today?", "show my runs today"],
    (False, ""): ["show me my runs", "list all runs"],
}


def test_runs_across_ones_automations_by_outcome_and_day(engine: Engine) -> None:
    org = make_org(engine, NOW, slug="acme")
    mine = [make_automation(engine, org, NOW, name=n) for n in ("Digest", "Recap")]
    theirs = make_automation(engine, org, NOW, name="Admin's", owner_id=org.admin_id)
    made: list[tuple[int, int, str, str, datetime]] = []  # id, automation, status, by, when
    days = {"today": 0, "yesterday": 1, "3 days": 3, "10 days": 10}
    plan = [  # (automation, days ago, hour, status, triggered_by), oldest first
        (mine[0], "10 days", 9, "failed", "schedule"),
        (mine[1], "3 days", 9, "failed", "schedule"),
        (mine[0], "yesterday", 9, "failed", "schedule"),
        (mine[1], "yesterday", 10, "completed", "schedule"),
        (mine[0], "today", 9, "completed", "schedule"),
        (mine[1], "today", 10, "partial", "manual"),
        (mine[1], "today", 11, "failed", "test"),
        (theirs, "today", 11, "failed", "schedule"),
    ]
    with Session(engine) as s:
        for auto, ago, hour, status, by in plan:
            when = NOW.replace(hour=hour) - timedelta(days=days[ago])
            run = AutomationRun(
                org_id=org.org_id,
                automation_id=auto.id or 0,
                triggered_by=by,
                scheduled_for=when,
                not_before=when,
                status=status,
                created_at=when,
            )
            s.add(run)
            s.commit()
            made.append((run.id or 0, auto.id or 0, status, by, when))
    chat = Chat(engine, org, org.member_id)
    mine_ids = {a.id for a in mine}
    for (failed, window), questions in RUN_QUESTIONS.items():
        start, end = {
            "today": (NOW.replace(hour=0), NOW),
            "yesterday": (NOW.replace(hour=0) - timedelta(days=1), NOW.replace(hour=0)),
            "week": (NOW - timedelta(days=7), NOW),
            "thisweek": (NOW.replace(hour=0) - timedelta(days=NOW.weekday()), NOW),
            "": (NOW - timedelta(days=365), NOW),
        }[window]
        expected = [
            run
            for run, auto, status, by, when in reversed(made)
            if auto in mine_ids
            and by != "test"
            and (not failed or status in ("failed", "partial"))
            and start <= when < end
        ]
        assert expected, (failed, window)
        for asked in questions:
            reply = chat.say(asked)
            assert reply.kind == "list" and ids(reply.data) == expected, (asked, reply.text)
            assert all(f"run #{n} " in reply.text for n in expected)
    quiet = make_org(engine, NOW, slug="quiet")
    nobody = Chat(engine, quiet, quiet.member_id)
    assert nobody.say("what failed yesterday?").text == "No failed runs yesterday."
