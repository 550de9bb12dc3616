"""While a request waits (for the answer to its question, or as a draft for "yes"), what the
next message is is decided before anything is amended, through the real conversation engine:
a complete new request from the generated corpus replaces the waiting one exactly as if read
fresh; a command about a stored automation (#N, each verb) acts on #N and leaves the waiting
request as it was; "it" and "the reminder" mean the waiting request when it fits."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from assistant.conversation.reply import Reply
from assistant.conversation.waiting import replaces
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from bench.kit.language.phrases import corpus
from models.store.automations import get_automation, list_automations
from models.store.conversations import get_draft
from tests.assistant.conversation.member_chat import MemberChat
from tests.chat_process import chat_home, chat_replies

TZ = "UTC"

# requests that wait, by what waits: each kind of question, and a draft
WAITING = {
    "which report": "every weekday at 4pm send me a report",
    "when": "send me a summary of my pipeline",
    "how often": "at 8am send me a summary of my pipeline",
    "am or pm": "every weekday at 7 and 9pm send me a summary of my pipeline",
    "what then": "when a candidate moves to onsite, email the hiring manager their resume",
    "reminder am or pm": "remind me every friday at 7 and 9pm to call Priya",
    "draft": "every friday at 4pm send me the sourcing recap",
}


class Chat(MemberChat):
    def wait(self, kind: str, key: str) -> dict[str, Any]:
        """A fresh conversation `key` with WAITING[kind] waiting; its pending state."""
        self.key = key
        first = self.say(WAITING[kind])
        assert first.kind == ("draft" if kind == "draft" else "question"), (kind, first.text)
        pending: dict[str, Any] = self.state()["pending"]
        return pending


@pytest.fixture
def chat(sqlite_engine: Engine) -> Chat:
    return Chat(sqlite_engine)


def _complete(phrases_text: str, chat: Chat, key: str) -> Reply | None:
    """The request read fresh in its own conversation; None when it asks a question."""
    chat.key = key
    fresh = chat.say(phrases_text)
    return fresh if fresh.kind == "draft" else None


def test_a_complete_request_from_the_corpus_replaces_what_waits(chat: Chat) -> None:
    rng = random.Random(8)
    phrases = rng.sample(corpus(8, 1200), 240)
    kinds = list(WAITING)
    checked: dict[str, int] = dict.fromkeys(kinds, 0)
    for n, phrase in enumerate(phrases):
        fresh = _complete(phrase.text, chat, f"fresh-{n}")
        if fresh is None:
            continue
        kind = kinds[n % len(kinds)]
        waiting = chat.wait(kind, f"waiting-{n}")
        reply = chat.say(phrase.text)
        context = (kind, phrase.text, reply.text)
        assert reply.kind == "draft", context
        # the same draft as read fresh, and the reply says which request it set aside
        assert reply.data == fresh.data, context
        assert reply.text == f"{replaces(WAITING[kind])}\n{fresh.text}", context
        assert chat.state()["pending"] == {"kind": "draft", "draft_id": reply.draft_id}
        if kind == "draft":  # the draft set aside can no longer be activated
            set_aside = get_draft(chat.engine, chat.org.org_id, waiting["draft_id"])
            assert set_aside.status == "cancelled", (context, set_aside.status)
        checked[kind] += 1
    assert sum(checked.values()) >= 180 and min(checked.values()) >= 25, checked


# commands about a stored automation (by its number or its name), each acting on it
COMMANDS = [
    "pause the morning noop",
    "resume the morning noop",
    "pause #{n}",
    "resume #{n}",
    "show #{n}",
    "what does #{n} do?",
    "when does #{n} run next?",
    "who gets #{n}?",
    "history of #{n}",
    "why didn't #{n} run?",
    "test #{n}",
    "run #{n} now",
    "move #{n} 30 minutes later",
    "move #{n} to 10am",
    "rename #{n} to Morning check",
    "#{n}",
]


@pytest.mark.parametrize("kind", list(WAITING))
def test_a_command_about_a_stored_automation_leaves_the_waiting_request(
    engine: Engine, kind: str
) -> None:
    chat = Chat(engine)
    stored = make_automation(engine, chat.org, NOW, name="Morning noop")
    number = stored.id or 0
    for i, command in enumerate(COMMANDS):
        before = chat.wait(kind, f"{kind}-{i}")
        reply = chat.say(command.format(n=number))
        context = (kind, command, reply.text)
        assert reply.kind != "error", context
        assert reply.automation_id == number, context
        assert chat.state()["pending"] == before, context
        # the reply ends saying what still waits, in one line
        last = reply.text.splitlines()[-1]
        assert last.startswith(("(Still waiting", "(Your draft")), context
        assert WAITING[kind][:40] in last, context
    after = get_automation(engine, chat.org.org_id, number)
    assert after.enabled and after.name == "Morning check"
    assert after.cron_expression == "0 10 * * *"
    # "delete #N" asks first; its answer leaves the waiting request waiting again
    before = chat.wait(kind, f"{kind}-delete")
    asked = chat.say(f"delete #{number}")
    assert asked.kind == "confirm" and asked.automation_id == number, asked.text
    kept = chat.say("no")
    assert "(Still waiting" in kept.text or "(Your draft" in kept.text, kept.text
    assert chat.state()["pending"] == before
    assert get_automation(engine, chat.org.org_id, number).enabled


def test_it_and_the_reminder_mean_the_waiting_request(chat: Chat) -> None:
    # the organisation has a "Renewal reminders" system job: the waiting reminder comes first
    chat.wait("reminder am or pm", "who")
    who = chat.say("who gets it?")
    assert (
        who.kind == "question" and "remind me every friday at 7 and 9pm to call Priya" in who.text
    )
    assert "7am or 7pm" in who.text
    dropped = chat.say("delete the reminder")
    assert dropped.kind == "done" and "remind me every friday at 7" in dropped.text, dropped.text
    assert chat.state()["pending"] is None
    # nothing waits: "the reminder" is the stored system job, and the refusal names it
    refused = chat.say("delete the reminder")
    assert (
        refused.kind == "error"
        and "“Renewal reminders” is one of the organisation's system jobs" in (refused.text)
    ), refused.text
    # a draft waiting: "it" is the draft, and "delete it" cancels it
    chat.wait("draft", "draft")
    draft_id = chat.state()["pending"]["draft_id"]
    shown = chat.say("who gets it?")
    assert shown.kind == "draft" and shown.draft_id == draft_id and "Output:" in shown.text
    paused = chat.say("pause it")
    assert "isn't active yet" in paused.text and chat.state()["pending"]["draft_id"] == draft_id
    cancelled = chat.say("delete it")
    assert cancelled.kind == "done" and "nothing was created" in cancelled.text
    assert get_draft(chat.engine, chat.org.org_id, draft_id).status == "cancelled"


def test_a_request_the_parser_cannot_read_keeps_the_waiting_one(chat: Chat) -> None:
    before = chat.wait("reminder am or pm", "unread")
    reply = chat.say("when an offer isn't signed within 3 days, remind me")
    assert reply.kind == "question" and reply.text.startswith("I can't check whether an offer")
    assert reply.text.splitlines()[-1].startswith("(Still waiting for your answer about")
    assert chat.state()["pending"] == before
    done = chat.say("7pm")
    assert done.kind == "draft" and "19:00" in done.text, done.text


def test_the_recruiters_conversations_through_skilltick_chat(tmp_path: Path) -> None:
    """`skilltick chat` as the recruiter ran it, the messages piped into one process: a command
    about an active automation (and "who gets it?" about it) and an unreadable request while a
    reminder's question waits,
    then a complete new request while an event's question waits."""
    env, engine = chat_home(tmp_path)
    org = make_org(engine, NOW, slug="acme")
    active = make_automation(engine, org, NOW, name="Morning noop", tz="Europe/London")
    number = active.id or 0
    said = [
        "remind me every friday at 7 and 9pm to call Priya",
        "when an offer isn't signed within 3 days, remind me",
        f"move #{number} 30 minutes later",
        "who gets it?",
        "7pm",
        "cancel",
        "when a candidate moves to onsite, email the hiring manager their resume",
        "every weekday at 8:30 send me my interviews for the day",
        "make it 8:45",
        "who gets it?",
        "yes",
    ]
    user = ["--org", "acme", "--user", org.member_email, "--tz", "Europe/London"]
    replies = chat_replies(env, NOW, user, said)
    texts = [r["text"] for r in replies]
    assert [r["kind"] for r in replies] == [
        *("question", "question", "done", "info", "draft", "done"),
        *("question", "draft", "draft", "draft", "done"),
    ], texts
    waits = (
        "(Still waiting for your answer about “remind me every friday at 7 and 9pm to call Priya”"
    )
    assert texts[1].startswith("I can't check whether an offer") and waits in texts[1]
    assert texts[2].startswith(f"Changed #{number} “Morning noop”") and waits in texts[2]
    assert "09:30" in texts[2] and "move #" not in texts[4]
    # "it" is what was spoken about last: the automation just moved, the question still waits
    assert "Morning noop" in texts[3] and waits in texts[3] and "7am or 7pm" in texts[3]
    assert "19:00" in texts[4] and "call Priya" in texts[4]
    assert texts[7].startswith(
        "That replaces your earlier request (“when a candidate moves to onsite, email the "
        "hiring manager their resume”).\nHere's what I understood"
    )
    assert "hiring manager" not in texts[8] and "08:45" in texts[8]
    assert texts[9] == texts[8]
    autos = {a.id: a for a in list_automations(engine, org.org_id)}
    assert autos[number].cron_expression == "30 9 * * *"
    (created,) = [a for n, a in autos.items() if n != number]
    assert created.skill == "interview-briefing" and created.cron_expression == "45 8 * * 1-5"
    engine.dispose()


def test_who_gets_a_waiting_request_is_noted_and_made_when_it_is_answered(chat: Chat) -> None:
    before = chat.wait("reminder am or pm", "recipients")
    noted = chat.say("also send it to sam@acme.test")
    assert noted.kind == "question", noted.text
    assert noted.text.startswith("Noted: it will also go to sam@acme.test once it's set up.")
    assert "7am or 7pm" in noted.text
    waiting = chat.state()["pending"]
    assert waiting["request"] == before["request"] and waiting["question"] == before["question"]
    answered = chat.say("7pm")
    assert answered.kind == "draft", answered.text
    assert answered.data["output"]["to"] == ["me", "sam@acme.test"], answered.data["output"]
    assert "19:00" in answered.text and "sam@acme.test" in answered.text
