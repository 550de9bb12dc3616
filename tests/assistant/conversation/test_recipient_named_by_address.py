"""A recipient taken out by the first part of their address ("stop sending it to ada" after
"also send it to ada@partner.example") is that recipient, not a teammate of the same first
name who does not get it; when two who get it go by that name, it asks which one, and a
teammate who gets it is still found by their name. "Send it to me only", "only send it to me"
leave the speaker alone; "send it to me instead" is a change of output, "just fridays" of
days, "just me" of whose candidates a report covers."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from assistant.conversation.intents import classify
from bench.kit.factories import make_automation
from tests.assistant.conversation.member_chat import MemberChat
from tests.assistant.conversation.test_skipping_runs import NOW


def test_a_recipient_is_taken_out_by_the_start_of_their_address(sqlite_engine: Engine) -> None:
    chat = MemberChat(sqlite_engine)
    auto = make_automation(sqlite_engine, chat.org, NOW, cron="0 9 * * 1", tz="UTC")
    chat.say(f"show #{auto.id}")
    added = chat.say("also send it to ada@partner.example")
    assert "ada@partner.example" in added.text, added.text
    # Ada Admin is a teammate called Ada too, who does not get it
    removed = chat.say("stop sending it to ada")
    assert removed.kind == "done" and "ada@partner.example" in removed.text, removed.text
    view = chat.tools.get_automation(chat.actor, auto.id or 0)
    assert "ada@partner.example" not in view.to, view.to
    chat.say("also send it to ada")  # Ada Admin, the teammate, by first name
    chat.say("also send it to ada.lovelace@partner.example")
    both = chat.say("stop sending it to ada")
    assert both.kind == "error" and "admin@acme.test" in both.text, both.text
    assert "ada.lovelace@partner.example" in both.text
    view = chat.tools.get_automation(chat.actor, auto.id or 0)
    assert {"admin@acme.test", "ada.lovelace@partner.example"} <= set(view.to), view.to
    assert chat.say("stop sending it to ada admin").kind == "done"
    view = chat.tools.get_automation(chat.actor, auto.id or 0)
    assert "admin@acme.test" not in view.to and "ada.lovelace@partner.example" in view.to


ONLY_ME = [
    "send it to me only",
    "send it only to me",
    "only send it to me",
    "just send it to me",
]


def test_only_me_leaves_the_speaker_alone(sqlite_engine: Engine) -> None:
    for said in ONLY_ME:
        intent = classify(said)
        assert (intent.kind, intent.rest) == ("recipients", "only me"), (said, intent)
    for other in (
        "send it to me instead",
        "just fridays",
        "only interviews",
        "make it just weekdays",
    ):
        assert classify(other).kind != "recipients", other
    chat = MemberChat(sqlite_engine)
    auto = make_automation(sqlite_engine, chat.org, NOW, cron="0 9 * * 1", tz="UTC")
    chat.say(f"show #{auto.id}")
    chat.say("also send it to lee@partner.example")
    reply = chat.say("send it to me only")
    assert reply.kind == "done", reply.text
    assert chat.tools.get_automation(chat.actor, auto.id or 0).to == ["me"]
