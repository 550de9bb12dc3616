"""A listing narrowed to a kind ("what reminders do I have?", "my alerts", "which reports do I
have?", "my workflows"), generated: ways of asking by kind, against automations whose kind is
known from how they were made (a reminder, a workflow, an event alert, a scheduled report).
It lists those and no others, says so in one line when there are none, and counts them in
their own word; a listing that names no kind still lists every one."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy.engine import Engine

from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from tests.assistant.conversation.member_chat import Chat

ASKED = (
    "what {} do I have?",
    "my {}",
    "which {} do I have?",
    "show my {}",
    "list my {}",
    "what are my {}?",
)
KINDS = ("reminders", "alerts", "reports", "workflows")


@pytest.fixture
def kinds_made(sqlite_engine: Engine) -> tuple[Chat, dict[str, set[int]]]:
    org = make_org(sqlite_engine, NOW, slug="acme")
    made: dict[str, set[int]] = {kind: set() for kind in KINDS}

    def add(kind: str, **fields: object) -> None:
        auto = make_automation(sqlite_engine, org, NOW, **fields)  # type: ignore[arg-type]
        made[kind].add(auto.id or 0)

    add("reminders", skill="reminder", params={"message": "Call Priya"}, name="Call Priya")
    add("reminders", skill="reminder", params={"message": "Chase offers"}, name="Chase offers")
    add("reports", skill="pipeline-report", cron="0 9 * * MON", name="Pipeline")
    add("alerts", skill="event-alert", cron=None, trigger_type="event", event_type="x", name="Hey")
    made["workflows"] = set()  # none made: the listing says so
    return Chat(sqlite_engine, org.member_id, key="kinds"), made


def test_a_listing_keeps_to_the_kind_named(kinds_made: tuple[Chat, dict[str, set[int]]]) -> None:
    chat, made = kinds_made
    for asked, kind in itertools.product(ASKED, KINDS):
        reply = chat.say(asked.format(kind))
        listed = {int(v["id"]) for v in reply.data or []}
        assert reply.kind == "list", reply.text
        assert listed == made[kind], (asked, kind, reply.text)
        if not made[kind]:
            assert reply.text == f"You have no {kind}.", reply.text


def test_counted_and_unnarrowed(kinds_made: tuple[Chat, dict[str, set[int]]]) -> None:
    chat, made = kinds_made
    counted = chat.say("how many reminders do I have?")
    assert counted.text.splitlines()[0] == "You have 2 reminders:", counted.text
    every = chat.say("list my automations")
    assert {int(v["id"]) for v in every.data or []} == set().union(*made.values())


# how a listing names the way its automations start, each with the trigger it means
TRIGGER_WORDS = {
    "event": ("event automations", "automations that run on events", "event-driven ones"),
    "scheduled": ("scheduled ones", "automations that run on a schedule", "ones on a schedule"),
    "polling": ("automations that poll", "polling automations", "ones that poll"),
}
TRIGGER_ASKED = ("list my {}", "show my {}", "my {}", "which of my {}?", "what are my {}?")
TRIGGERS = {"event": "event", "scheduled": "cron", "polling": "poll"}


def test_a_listing_keeps_to_how_its_automations_start(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW, slug="acme")
    made = {kind: set[int]() for kind in TRIGGERS}
    for kind, trigger in TRIGGERS.items():
        if kind == "polling":
            continue  # none polls: the listing says so
        fields: dict[str, object] = {"trigger_type": trigger}
        if trigger == "event":
            fields |= {"cron": None, "event_type": "application.created"}
        auto = make_automation(sqlite_engine, org, NOW, name=f"A {kind}", **fields)  # type: ignore[arg-type]
        made[kind].add(auto.id or 0)
    chat = Chat(sqlite_engine, org.member_id, key="triggers")
    for kind, phrases in TRIGGER_WORDS.items():
        for asked, phrase in itertools.product(TRIGGER_ASKED, phrases):
            reply = chat.say(asked.format(phrase))
            assert reply.kind == "list", (asked.format(phrase), reply.text)
            assert {int(v["id"]) for v in reply.data or []} == made[kind], asked.format(phrase)
    assert chat.say("the ones that poll").text == "You have no automations that poll."
    assert chat.say("which automations run on a schedule?").data
    counted = chat.say("how many event automations do I have?")
    assert counted.text.splitlines()[0] == "You have 1 automation that runs on events:"
