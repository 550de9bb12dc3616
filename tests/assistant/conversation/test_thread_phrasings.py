"""Follow-ups a recruiter says about the automation spoken about: why a pause ("while I'm on
holiday") is neither which automation nor until when; "change the message to …" is the
reminder's text, not an automation called "the message"; "the scorecards reminder" is the
reminder whose text speaks of scorecards."""

from __future__ import annotations

import itertools

from sqlalchemy.engine import Engine

from assistant.conversation.intents import classify
from tests.assistant.conversation.member_chat import MemberChat

AWAY = ["while I'm on holiday", "while i am away", "while we're hiring", "while I'll be out"]
UNTIL = ["until the 14th", "for two weeks", "until Monday", ""]
REFS = ["it", "the pipeline report", "#3"]


def test_why_a_pause_is_left_out_of_it() -> None:
    for ref, away, until in itertools.product(REFS, AWAY, UNTIL):
        for said in (f"pause {ref} {away} {until}", f"pause {ref} {until} {away}"):
            intent = classify(" ".join(said.split()))
            assert (intent.kind, intent.ref, intent.rest) == ("pause", ref, until), said


def test_the_message_is_the_reminders_text() -> None:
    for verb, part in itertools.product(("change", "update", "set"), ("message", "text")):
        said = f"{verb} the {part} to submit all scorecards"
        intent = classify(said)
        assert (intent.kind, intent.ref, intent.rest) == ("edit", "it", said), said


def test_a_reminder_is_named_by_its_text(sqlite_engine: Engine) -> None:
    chat = MemberChat(sqlite_engine)
    chat.say("remind me every friday at 4pm to submit scorecards")
    reminder = chat.say("yes").automation_id
    chat.say("remind me every monday at 9 to review the pipeline")
    other = chat.say("yes").automation_id
    assert reminder is not None and other is not None
    chat.say(f"pause #{reminder}")
    chat.say(f"show #{other}")  # "it" is now the other one
    reply = chat.say("turn the scorecards reminder back on")
    assert reply.kind == "done" and reply.automation_id == reminder, reply.text


def test_whats_in_it_reads_it_back() -> None:
    for said, ref in (
        ("what's in it?", "it"),
        ("what is in the pipeline report?", "the pipeline report"),
    ):
        intent = classify(said)
        assert (intent.kind, intent.ref) == ("show", ref), said


def test_renaming_a_waiting_draft_keeps_the_name_on_the_automation(sqlite_engine: Engine) -> None:
    chat = MemberChat(sqlite_engine)
    draft = chat.say("send me my pipeline on the 1st of each month")
    assert draft.kind == "draft", draft.text
    for said, name in (
        ("rename it to Monthly pipeline", "Monthly pipeline"),
        ("call it Weekly numbers", "Weekly numbers"),
    ):
        reply = chat.say(said)
        assert reply.kind == "draft" and "replaces" not in reply.text, said
        assert f"- Name: {name}\n" in reply.text, reply.text
        assert chat.draft()["name"] == name
    # a change after the name keeps it
    assert "- Name: Weekly numbers\n" in chat.say("make it at 8am").text
    done = chat.say("yes")
    assert done.automation_id is not None, done.text
    assert chat.tools.get_automation(chat.actor, done.automation_id).name == "Weekly numbers"
