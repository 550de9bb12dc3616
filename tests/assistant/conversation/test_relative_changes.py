"""Changes said relative to what a draft or an automation does now, through the real
conversation engine: every time moved ("an hour earlier"), days taken out ("drop Friday") or
put in, another output ("DM me instead"), and "undo" on a draft."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from models.settings import load_settings
from models.store.automations import get_automation, list_automations
from tests.assistant.conversation.member_chat import MemberChat
from tests.chat_process import chat_home, chat_replies
from worker.schedule.for_automation import schedule_of
from worker.schedule.parse import next_fires, parse_schedule

NOW = datetime(2026, 6, 1, 6, 0, tzinfo=UTC)  # a Monday; no clock change for months
TZ = "Europe/London"
REQUEST = "every weekday at 8:30 send me a summary of my pipeline"
NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class Chat(MemberChat):
    """A member of a fresh organisation speaking from London, no Slack configured."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine, TZ, now=NOW, settings=load_settings())

    def draft_runs(self, count: int) -> list[datetime]:
        schedule, trigger = self.draft()["schedule"], self.draft()["trigger"]
        anchor = trigger.get("anchor")
        return next_fires(
            parse_schedule(
                cron=schedule["cron"],
                rrule=schedule["rrule"],
                tz=schedule["tz"],
                anchor=datetime.fromisoformat(anchor) if anchor else None,
            ),
            NOW,
            count,
        )

    def saved(self, cron: str) -> int:
        auto = make_automation(
            self.engine, self.org, NOW, cron=cron, tz=TZ, skill="pipeline-report", channel="email"
        )
        assert self.say(f"show #{auto.id}").kind == "info"
        return auto.id or 0

    def runs_of(self, automation_id: int, count: int) -> list[datetime]:
        auto = get_automation(self.engine, self.org.org_id, automation_id)
        schedule = schedule_of(auto)
        assert schedule is not None
        return next_fires(schedule, NOW, count)


def _moved(runs: list[datetime], minutes: int, count: int) -> list[datetime]:
    """Runs moved on the wall clock of TZ, those still to come."""
    zone = ZoneInfo(TZ)
    moved = []
    for at in runs:
        wall = at.astimezone(zone).replace(tzinfo=None) + timedelta(minutes=minutes)
        moved.append(wall.replace(tzinfo=zone).astimezone(UTC))
    return sorted(m for m in moved if m > NOW)[:count]


SHIFTS = [
    ("make it 30 minutes later", 30),
    ("an hour earlier", -60),
    ("push it back 2 hours", 120),
    ("move it forward by 15 minutes", -15),
    ("half an hour later", 30),
    ("15 min earlier", -15),
    ("push it back 16 hours", 16 * 60),  # past midnight: the days move too
    ("9 hours earlier", -9 * 60),  # before midnight
]


def test_every_time_moves_on_a_draft_and_on_a_saved_automation(engine: Engine) -> None:
    chat = Chat(engine)
    base = parse_schedule(cron="30 8 * * 1-5", tz=TZ)
    before = next_fires(base, NOW - timedelta(days=2), 20)
    for n, (said, minutes) in enumerate(SHIFTS):
        chat.key = f"draft-{n}"
        assert chat.say(REQUEST).kind == "draft"
        reply = chat.say(said)
        assert reply.kind == "draft", (said, reply.text)
        assert chat.draft_runs(8) == _moved(before, minutes, 8), said
        chat.key = f"saved-{n}"
        saved = chat.saved("30 8 * * 1-5")
        reply = chat.say(said)
        assert reply.kind == "done" and reply.automation_id == saved, (said, reply.text)
        assert chat.runs_of(saved, 8) == _moved(before, minutes, 8), said
        stored = get_automation(engine, chat.org.org_id, saved)
        assert stored.next_run_at is not None
        assert stored.next_run_at.replace(tzinfo=UTC) == _moved(before, minutes, 1)[0]


def test_an_every_other_week_draft_keeps_its_weeks_when_moved_past_midnight(
    sqlite_engine: Engine,
) -> None:
    chat = Chat(sqlite_engine)
    assert chat.say("every other monday and thursday at 9am send me my pipeline summary").kind == (
        "draft"
    )
    before = chat.draft_runs(12)
    for said, minutes in (("push it back 16 hours", 16 * 60), ("10 hours earlier", -10 * 60)):
        reply = chat.say(said)
        assert reply.kind == "draft", (said, reply.text)
        assert chat.draft_runs(8) == _moved(before, minutes, 8), said
        before = chat.draft_runs(12)
    done = chat.say("yes")
    made = get_automation(sqlite_engine, chat.org.org_id, done.automation_id or 0)
    assert chat.runs_of(made.id or 0, 8) == before[:8]


def test_two_clocks_that_would_land_on_different_days_are_refused_unchanged(
    sqlite_engine: Engine,
) -> None:
    chat = Chat(sqlite_engine)
    saved = chat.saved("0 9,22 * * 1-5")
    reply = chat.say("push it back 3 hours")
    assert reply.kind == "error" and "cross midnight" in reply.text, reply.text
    assert get_automation(sqlite_engine, chat.org.org_id, saved).cron_expression == "0 9,22 * * 1-5"


def _days_in_words(days: tuple[int, ...], n: int) -> str:
    if set(days) == {5, 6} and n % 2:
        return "weekends"
    words = [NAMES[d] + ("s" if n % 3 else "") for d in days]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def test_days_said_away_leave_the_other_days(sqlite_engine: Engine) -> None:
    """Over day sets x days taken out x phrasings: the days it runs on afterwards are the set
    difference; taking out every day is refused and changes nothing."""
    chat = Chat(sqlite_engine)
    phrasings = ["skip {}", "not on {}", "except {}", "no {}", "drop {}", "without {}"]
    phrasings += ["but not {}", "apart from {}", "not on {} anymore"]
    day_sets = {"weekdays": {0, 1, 2, 3, 4}, "day": set(range(7)), "weekend": {5, 6}}
    taken_out = [(4,), (0, 4), (5, 6), (0, 1, 2, 3, 4)]
    seen = {"changed": 0, "refused": 0}
    for n, ((words, days), taken, phrasing) in enumerate(
        itertools.product(day_sets.items(), taken_out, phrasings)
    ):
        said = phrasing.format(_days_in_words(taken, n))
        left = days - set(taken)
        chat.key = f"draft-{n}"
        first = chat.say(f"every {words} at 8:30 send me a summary of my pipeline")
        assert first.kind == "draft", first.text
        reply = chat.say(said)
        weekdays = {r.astimezone(ZoneInfo(TZ)).weekday() for r in chat.draft_runs(20)}
        if left and days & set(taken):
            assert reply.kind == "draft", (words, said, reply.text)
            assert weekdays == left, (words, said)
            seen["changed"] += 1
        else:
            assert reply.kind == "error", (words, said, reply.text)
            assert weekdays == days and chat.pending()["draft_id"] == first.draft_id, said
            seen["refused"] += 1
    assert seen["changed"] >= 50 and seen["refused"] >= 50, seen


def test_days_said_away_and_added_on_a_saved_automation(engine: Engine) -> None:
    chat = Chat(engine)
    saved = chat.saved("30 8 * * 1-5")
    for said, wanted in (
        ("skip fridays", {0, 1, 2, 3}),
        ("drop monday", {1, 2, 3}),
        ("also on saturdays", {1, 2, 3, 5}),
        ("not on weekends", {1, 2, 3}),
        ("skip tuesdays and wednesdays", {3}),
    ):
        reply = chat.say(said)
        assert reply.kind == "done", (said, reply.text)
        weekdays = {r.astimezone(ZoneInfo(TZ)).weekday() for r in chat.runs_of(saved, 20)}
        assert weekdays == wanted, said
    cron = get_automation(engine, chat.org.org_id, saved).cron_expression
    refused = chat.say("skip thursdays")
    assert refused.kind == "error" and "no day for it to run" in refused.text
    assert get_automation(engine, chat.org.org_id, saved).cron_expression == cron
    assert len(list_automations(engine, chat.org.org_id)) == 1  # "drop monday" deleted nothing


def test_output_changes_on_a_draft(engine: Engine) -> None:
    chat = Chat(engine)  # no Slack here: a change to Slack is noted and the draft kept
    for n, (said, channel) in enumerate(
        (
            ("actually send it to slack", "slack"),
            ("post it in slack instead", "slack"),
            ("DM me instead", "slack"),
            ("send it to my email", "email"),
            ("email it to me instead", "email"),
        )
    ):
        chat.key = f"k{n}"
        start = "every weekday at 8:30 post a summary of my pipeline in #hiring"
        assert chat.say(start if channel == "email" else REQUEST).kind == "draft"
        reply = chat.say(said)
        assert reply.kind == "draft", (said, reply.text)
        assert chat.draft()["output"] == {"channel": channel, "to": ["me"]}, said
        if channel == "slack":
            assert "Slack is not configured" in reply.text, said
            refused = chat.say("yes")
            assert refused.kind == "error" and "The draft is kept" in refused.text
            assert chat.say("email it to me instead").kind == "draft"
        done = chat.say("yes")
        assert done.kind == "done", (said, done.text)
        made = get_automation(engine, chat.org.org_id, done.automation_id or 0)
        assert (made.output_channel, made.output_config["to"]) == ("email", ["me"]), said


def test_undo_takes_back_changes_to_a_draft_one_at_a_time(sqlite_engine: Engine) -> None:
    chat = Chat(sqlite_engine)
    assert chat.say(REQUEST).kind == "draft"
    first = chat.draft()["schedule"]["cron"]
    assert chat.say("an hour later").kind == "draft"
    second = chat.draft()["schedule"]["cron"]
    assert chat.say("skip fridays").kind == "draft"
    assert chat.say("DM me instead").kind == "draft"
    undone = chat.say("undo")
    assert undone.kind == "draft" and undone.text.startswith("Undone"), undone.text
    assert chat.draft()["output"]["channel"] == "email"
    assert chat.say("undo that").kind == "draft"
    assert chat.draft()["schedule"]["cron"] == second
    assert chat.say("undo").kind == "draft"
    assert chat.draft()["schedule"]["cron"] == first == "30 8 * * 1-5"
    nothing = chat.say("undo")
    assert nothing.kind == "error" and "no change to undo" in nothing.text
    done = chat.say("yes")
    made = get_automation(sqlite_engine, chat.org.org_id, done.automation_id or 0)
    assert made.cron_expression == first
    refused = chat.say("undo")  # an activation is taken back by deleting: said, nothing changes
    assert refused.kind == "error" and f"delete #{made.id}" in refused.text
    assert get_automation(sqlite_engine, chat.org.org_id, made.id or 0).cron_expression == first


def test_the_chat_process_changes_a_draft_relatively(tmp_path: Path) -> None:
    env, engine = chat_home(tmp_path)
    org = make_org(engine, NOW, slug="acme")
    said = [REQUEST, "make it 30 minutes later", "skip fridays", "DM me instead", "yes"]
    said += ["email it to me instead", "yes"]
    user = ["--org", "acme", "--user", org.member_email, "--tz", TZ]
    replies = chat_replies(env, NOW, user, said)
    kinds = [r["kind"] for r in replies]
    assert kinds == ["draft", "draft", "draft", "draft", "error", "draft", "done"], kinds
    assert "Slack is not configured" in replies[3]["text"]
    (made,) = list_automations(engine, org.org_id)
    assert (made.cron_expression, made.output_channel) == ("0 9 * * 1-4", "email")
    engine.dispose()
