"""A request waiting for its question's answer, through the real conversation engine, generated:
each kind of pending question (which report, when, how often, 7am or 7pm) meets each message
that changes one of its details (time, days, where it goes); the reply is checked against the
parser's direct reading of the request said that way at once. A whole new request replaces the
pending one, "cancel" drops it, and over random message sequences no question comes back in
the same words three times running."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from assistant.conversation.reply import Reply
from assistant.language.understand import understand
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_org
from models.store.automations import list_automations
from tests.assistant.conversation.member_chat import MemberChat
from tests.chat_process import chat_home, chat_replies

TZ = "UTC"


@dataclass(frozen=True)
class Said:
    """A request by its parts, said as one sentence."""

    days: str = ""
    time: str = ""
    what: str = "a summary of my pipeline"
    output: str = "send me {what}"

    def sentence(self) -> str:
        words = [self.days, self.time, self.output.format(what=self.what)]
        return " ".join(w for w in words if w)


# requests that ask one question, by the question they ask
PENDING = {
    "which report": Said(days="every weekday", time="at 4pm", what="a report"),
    "which report, posted": Said(
        days="every monday", time="at 9am", what="a report", output="post {what} in #hiring"
    ),
    "when": Said(),
    "how often": Said(time="at 8am"),
    "am or pm": Said(days="every weekday", time="at 9pm and 7"),
}
# a message changing one detail, and that detail said in the request itself
CHANGES: list[tuple[str, str, str]] = [
    ("make it 5pm", "time", "at 5pm"),
    ("actually 10am", "time", "at 10am"),
    ("change it to 8:30am please", "time", "at 8:30am"),
    ("actually on fridays", "days", "on fridays"),
    ("make it every weekday", "days", "every weekday"),
    ("every day except weekends instead", "days", "every day except weekends"),
    ("send it to slack", "output", "send me {what} on slack"),
    ("post it in #hiring instead", "output", "post {what} in #hiring"),
    ("DM me instead", "output", "DM me {what}"),
]


def _reading(shown: dict[str, Any]) -> tuple[Any, ...]:
    """What a draft will do: its trigger, skill and params, output."""
    return (shown["schedule"], shown["trigger"], shown["skill"], shown["params"], shown["output"])


def _same(before: Said, after: Said) -> bool:
    """Whether two requests say the same, read whole by the parser: what they leave to ask is
    filled in alike (the pipeline for "a report", 7am for the "7" after 9pm, Mondays for no
    days)."""

    def whole(said: Said) -> str:
        return replace(
            said,
            what="a summary of my pipeline",
            time=said.time.replace("and 7", "and 7am"),
            days=said.days or "every monday",
        ).sentence()

    return _reading(_direct(whole(before))) == _reading(_direct(whole(after)))


def _direct(request: str) -> dict[str, Any]:
    return understand(request, tz=TZ, now=NOW).as_json()


def _check_against_direct(chat: MemberChat, reply: Reply, expected: str, context: object) -> str:
    direct = _direct(expected)
    if direct["status"] == "question":
        assert reply.kind == "question", (context, reply.text)
        assert direct["question"] in reply.text, (context, reply.text, direct["question"])
        assert chat.state()["pending"]["kind"] == "question"
        return "question"
    assert reply.kind == "draft", (context, reply.text)
    assert _reading(chat.draft(reply)) == _reading(direct), context
    assert chat.state()["pending"]["kind"] == "draft"
    return "draft"


@pytest.fixture
def chat(sqlite_engine: Engine) -> MemberChat:
    return MemberChat(sqlite_engine)


def test_a_change_to_a_pending_request_reads_as_the_request_said_that_way(chat: MemberChat) -> None:
    seen = {"question": 0, "draft": 0, "changed": 0, "same": 0}
    for n, ((kind, said), (message, part, words)) in enumerate(
        itertools.product(PENDING.items(), CHANGES)
    ):
        chat.key = f"change-{n}"
        asked = chat.say(said.sentence())
        assert asked.kind == "question", (kind, asked.text)
        amended = replace(said, **{part: words})
        reply = chat.say(message)
        if kind == "am or pm" and part == "time" and reply.kind == "draft":
            # a new hour answers "7am or 7pm?": it stands for the asked 7 beside the 9pm, or
            # for the whole time said
            answer = replace(said, time=f"at 9pm and {words.removeprefix('at ')}")
            if _reading(chat.draft(reply)) == _reading(_direct(answer.sentence())):
                amended = answer
        if _same(said, amended):  # said as it was: nothing changed, asked again
            assert reply.kind == "question" and "“cancel”" in reply.text, (kind, message)
            assert asked.text in reply.text and reply.text != asked.text
            seen["same"] += 1
            continue
        seen[_check_against_direct(chat, reply, amended.sentence(), (kind, message))] += 1
        if getattr(said, part) and not (kind == "am or pm" and part == "time"):
            # a detail said before: what changed is said (a new hour for "7am or 7pm?" is
            # its answer)
            assert reply.text.startswith("Changed “"), (kind, message, reply.text)
            seen["changed"] += 1
    assert seen["question"] >= 10 and seen["draft"] >= 8 and seen["changed"] >= 20, seen
    assert seen["same"] >= 1, seen


def test_the_recruiters_conversation(chat: MemberChat) -> None:
    first = chat.say("every weekday at 4pm send me a report")
    assert first.kind == "question" and first.text.startswith("Which report")
    moved = chat.say("make it 5pm")
    assert moved.kind == "question" and moved.text.startswith("Changed “at 4pm” to “5pm”.")
    assert first.text in moved.text
    again = chat.say("yes")
    assert again.kind == "question" and again.text != first.text and "cancel" in again.text
    answered = chat.say("the summary of my pipeline")
    assert answered.kind == "draft", answered.text
    direct = _direct("every weekday at 5pm send me a summary of my pipeline")
    assert _reading(chat.draft(answered)) == _reading(direct)


NEW_REQUESTS = [
    "every monday at 9am send me a summary of my pipeline",
    "every Friday at 4pm send me a recap of sourcing",
    "when someone applies, email me",
    "daily except fridays at 8am post a summary of my pipeline in #hiring",
]


def test_a_whole_new_request_replaces_the_pending_one(chat: MemberChat) -> None:
    for n, ((kind, said), request) in enumerate(itertools.product(PENDING.items(), NEW_REQUESTS)):
        chat.key = f"new-{n}"
        assert chat.say(said.sentence()).kind == "question"
        reply = chat.say(request)
        assert reply.kind == "draft", (kind, request, reply.text)
        earlier = f"That replaces your earlier request (“{said.sentence()}”)."
        assert reply.text.startswith(earlier), reply.text
        assert _reading(chat.draft(reply)) == _reading(_direct(request)), (kind, request)
        assert chat.state()["pending"] == {"kind": "draft", "draft_id": reply.draft_id}


@pytest.mark.parametrize("word", ["cancel", "never mind", "forget it", "scrap that"])
def test_cancel_drops_the_pending_request(chat: MemberChat, word: str) -> None:
    for n, said in enumerate(PENDING.values()):
        chat.key = f"{word}-{n}"
        assert chat.say(said.sentence()).kind == "question"
        dropped = chat.say(word)
        assert dropped.kind == "done" and "nothing was created" in dropped.text
        assert chat.state()["pending"] is None
        assert chat.say("yes").kind == "error"  # nothing waits any more
        # what is said next is read on its own, not with the dropped request
        alone = chat.say("every weekday at 8am")
        assert alone.kind == "question" and alone.text.startswith("What should it do"), alone.text


# what people type while a question waits: answers, changes, chatter, new requests
MESSAGES = [
    "yes",
    "no",
    "ok",
    "hmm",
    "what?",
    "make it 5pm",
    "make it 5pm",
    "actually on fridays",
    "send it to slack",
    "at 7",
    "the pipeline one",
    "a report",
    "sing me a song",
    "every weekday at 4pm send me a report",
    "send me a summary of my pipeline",
    "list",
    "help",
    "8am",
    "weekdays",
]


def test_no_question_comes_back_in_the_same_words_three_times(chat: MemberChat) -> None:
    rng = random.Random(20261130)
    for run in range(25):
        chat.key = f"random-{run}"
        replies = [chat.say(rng.choice(list(PENDING.values())).sentence())]
        for _ in range(12):
            replies.append(chat.say(rng.choice(MESSAGES)))
            pending = chat.state().get("pending") or {}
            if pending.get("kind") == "question":  # the request kept stays a request
                assert len(pending["request"]) < 200, pending
        texts = [r.text for r in replies]
        questions = [r.text if r.kind == "question" else None for r in replies]
        for a, b in itertools.pairwise(questions):
            assert a is None or a != b, texts


def test_the_recruiters_conversation_through_skilltick_chat(tmp_path: Path) -> None:
    """`skilltick chat` as the recruiter ran it: one process, the messages piped in."""
    env, engine = chat_home(tmp_path)
    org = make_org(engine, NOW, slug="acme")
    said = [
        "every weekday at 4pm send me a report",
        "make it 5pm",
        "yes",
        "yes",
        "yes",
        "every day but not on weekends send me a summary of my pipeline at 8",
        "yes",
    ]
    user = ["--org", "acme", "--user", org.member_email]
    replies = chat_replies(env, NOW, user, said)
    texts = [r["text"] for r in replies]
    assert [r["kind"] for r in replies] == [
        *("question", "question", "question", "question", "info", "draft", "done")
    ], texts
    assert texts[1].startswith("Changed “at 4pm” to “5pm”. Which report")
    assert len({texts[0], *texts[2:4]}) == 3 and "cancel" in texts[2]
    assert texts[5].startswith("Here's what I understood") and "08:00" in texts[5]
    (auto,) = list_automations(engine, org.org_id)
    assert auto.cron_expression == "0 8 * * 1-5" and auto.skill == "pipeline-report"
    engine.dispose()
