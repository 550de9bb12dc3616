"""Words said about the automation in focus that read like a request of their own. "flag people
not contacted for 3 days" right after the pipeline report was shown changes how long it waits
before flagging someone (generated: verbs by who by how it is said by days and weeks, the
expected wait counted independently), never drafts a second report; with a reminder in focus
the same words are a new request. "twice a week" asks on which days and changes nothing (it
was once read as a wait of "a week"); said with its days, it runs on those."""

from __future__ import annotations

import itertools
import random

import pytest
from sqlalchemy.engine import Engine

from bench.kit.conversation.scripts import NOW
from bench.kit.factories import OrgFixture, make_automation, make_org
from models.store.automations import get_automation
from tests.assistant.conversation.member_chat import Chat

VERBS = ("flag", "highlight", "include", "please flag", "just flag", "mark")
WHO = ("people", "candidates", "anyone", "the candidates", "applicants")
WAITED = (
    "not contacted for {}",
    "not contacted in {}",
    "untouched for {}",
    "with no contact for {}",
)
WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 10: "ten"}


def _amount(rng: random.Random) -> tuple[str, int]:
    """An amount of time in words and the days it is."""
    if rng.random() < 0.25:
        weeks = rng.choice((1, 2, 3))
        said = WORDS[weeks] if rng.random() < 0.5 else str(weeks)
        return f"{said} week{'s' if weeks > 1 else ''}", weeks * 7
    days = rng.choice((2, 3, 4, 5, 10, 12, 20))
    said = WORDS[days] if days in WORDS and rng.random() < 0.5 else str(days)
    return f"{said} days", days


@pytest.fixture
def org_and_report(sqlite_engine: Engine) -> tuple[Engine, OrgFixture, int, int]:
    org = make_org(sqlite_engine, NOW, slug="acme")
    report = make_automation(
        sqlite_engine,
        org,
        NOW,
        cron="0 9 * * MON",
        skill="pipeline-report",
        params={"stale_days": 7},
        name="Weekly pipeline report",
    )
    reminder = make_automation(
        sqlite_engine,
        org,
        NOW,
        cron="0 9 * * MON",
        skill="reminder",
        params={"message": "Call Priya"},
        name="Call Priya",
    )
    return sqlite_engine, org, report.id or 0, reminder.id or 0


def test_who_a_report_flags_is_changed_in_focus(
    org_and_report: tuple[Engine, OrgFixture, int, int],
) -> None:
    engine, org, report, reminder = org_and_report
    rng = random.Random(7)
    ways = list(itertools.product(VERBS, WHO, WAITED))
    rng.shuffle(ways)
    chat = Chat(engine, org.member_id, key="report")
    chat.say(f"show #{report}")
    expected = 7
    for verb, who, waited in ways[:24]:
        said, days = _amount(rng)
        request = f"{verb} {who} {waited.format(said)}"
        reply = chat.say(request)
        assert reply.draft_id is None, (request, reply.text)
        stored = get_automation(engine, org.org_id, report)
        if days == expected:
            assert "already" in reply.text, (request, reply.text)
        else:
            assert reply.automation_id == report and reply.kind != "error", (request, reply.text)
        expected = days
        assert stored.params["stale_days"] == days, request
        assert stored.cron_expression == "0 9 * * MON", request
    # a reminder counts no wait: the same words are a request of their own
    other = Chat(engine, org.member_id, key="reminder")
    other.say(f"show #{reminder}")
    reply = other.say("flag people not contacted for 3 days")
    assert reply.automation_id != reminder, reply.text
    assert get_automation(engine, org.org_id, reminder).params == {"message": "Call Priya"}


@pytest.mark.parametrize(
    "rate", ["twice a week", "make it twice a week", "3 times a week", "two times per week"]
)
def test_a_rate_without_days_asks_which_days(
    org_and_report: tuple[Engine, OrgFixture, int, int], rate: str
) -> None:
    engine, org, report, _ = org_and_report
    chat = Chat(engine, org.member_id, key=rate)
    chat.say(f"show #{report}")
    reply = chat.say(rate)
    assert reply.kind == "error" and "which days" in reply.text, reply.text
    assert reply.draft_id is None
    stored = get_automation(engine, org.org_id, report)
    assert (stored.cron_expression, stored.params) == ("0 9 * * MON", {"stale_days": 7})
    said = chat.say("make it twice a week on mondays and thursdays")
    assert said.kind != "error", said.text
    stored = get_automation(engine, org.org_id, report)
    assert stored.cron_expression == "0 9 * * 1,4" and stored.params["stale_days"] == 7


def test_a_new_request_at_a_rate_asks_for_its_days(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW, slug="acme")
    days = {
        "mondays and thursdays": "Monday and Thursday",
        "tuesdays and fridays": "Tuesday and Friday",
    }
    for n, (rate, (said, named)) in enumerate(
        itertools.product(("twice a week", "2 times a week", "twice per week"), days.items())
    ):
        chat = Chat(sqlite_engine, org.member_id, key=f"rate-{n}")
        chat.say("remind me to call Priya")
        asked = chat.say(rate)
        assert asked.kind == "question" and "which days" in asked.text, (rate, asked.text)
        draft = chat.say(f"{said} at 9am")
        assert draft.kind == "draft", (rate, said, draft.text)
        assert f"only on {named}" in draft.text and "“call Priya”" in draft.text, draft.text
        # said at once, the days make the rate
        whole = Chat(sqlite_engine, org.member_id, key=f"whole-{n}").say(
            f"remind me {rate} on {said} at 8am to stretch"
        )
        assert whole.kind == "draft" and f"only on {named}" in whole.text, whole.text
        assert "“stretch”" in whole.text, whole.text
