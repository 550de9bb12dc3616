"""A question about what runs on an event never drafts anything, generated: each event in the
words the read-backs use for it by the ways of asking. The answer lists the automations made
on that event (known from how they were made), or says none does and gives a request that,
said, drafts one on that very event; a draft waiting meanwhile still waits."""

from __future__ import annotations

import itertools

from sqlalchemy.engine import Engine

from assistant.language.draft import EVENT_WORDS
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from tests.assistant.conversation.member_chat import Chat

ASKED = (
    "what happens when {}?",
    "what runs when {}?",
    "does anything run when {}?",
    "is anything set up for when {}?",
    "what do I have set up for when {}?",
    "which automations fire when {}?",
    "what happens if {}",
)
# events something is made on, for the member; the rest have nothing
MADE_ON = ("candidate.rejected", "application.created", "offer.accepted")


def test_a_question_about_an_event_lists_what_runs_on_it(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW, slug="acme")
    made: dict[str, set[int]] = {event: set() for event in EVENT_WORDS}
    for event in MADE_ON:
        auto = make_automation(
            sqlite_engine, org, NOW, cron=None, trigger_type="event", event_type=event
        )
        made[event].add(auto.id or 0)
    chat = Chat(sqlite_engine, org.member_id, key="events")
    waiting = chat.say("every Monday at 9am send me the pipeline report")
    assert waiting.kind == "draft", waiting.text
    for (event, said), asked in itertools.product(EVENT_WORDS.items(), ASKED):
        reply = chat.say(asked.format(said))
        assert reply.kind == "list", (asked.format(said), reply.text)
        assert {int(v["id"]) for v in reply.data or []} == made[event], asked.format(said)
        if not made[event]:
            assert reply.text.startswith(f"None of your automations runs when {said}; say “")
        assert chat.pending().get("draft_id") == waiting.draft_id, asked.format(said)
    offers = chat.say("is anything set up for offers?")
    assert {int(v["id"]) for v in offers.data or []} == made["offer.accepted"], offers.text
    # an admin is answered about the organisation's
    admin = Chat(sqlite_engine, org.admin_id, key="admin")
    assert admin.say("what happens when a candidate is rejected?").data


def test_the_request_a_none_answer_offers_drafts_on_that_event(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW, slug="acme")
    for event, said in EVENT_WORDS.items():
        chat = Chat(sqlite_engine, org.member_id, key=event)
        answer = chat.say(f"what happens when {said}?").text
        offered = answer.split("say “", 1)[1].split("”", 1)[0]
        draft = chat.say(offered)
        assert draft.kind == "draft", (offered, draft.text)
        assert chat.draft(draft)["trigger"]["event_type"] == event, offered
