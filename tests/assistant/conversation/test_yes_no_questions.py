"""A yes/no question about an automation ("does it run on Fridays?", "is the pipeline report
weekly?", "did it run last Monday?") never changes it: what it did is answered by its runs,
anything else by reading it back, about the automation the question names."""

from __future__ import annotations

import itertools

from sqlalchemy.engine import Engine

from assistant.conversation.intents import classify
from bench.kit.factories import make_automation
from models.store.automations import get_automation
from tests.assistant.conversation.member_chat import MemberChat
from tests.assistant.conversation.test_skipping_runs import NOW

REFS = ["it", "that one", "#4", "the pipeline report", "my weekly pipeline report"]
# (auxiliary, what is asked of it, whether it asks what it did)
ASKED = [
    ("does", "run on fridays", False),
    ("does", "go out at 9am", False),
    ("does", "still go to slack", False),
    ("is", "weekly", False),
    ("is", "on mondays only", False),
    ("will", "run tomorrow", False),
    ("did", "run last monday", True),
    ("did", "go out on the 14th", True),
    ("was", "sent at 9", True),
    ("has", "run since friday", True),
]


def test_a_yes_no_question_reads_back_or_shows_runs() -> None:
    for ref, (aux, asked, past) in itertools.product(REFS, ASKED):
        for end in ("?", ""):
            said = f"{aux} {ref} {asked}{end}"
            intent = classify(said)
            assert intent.kind not in ("edit", "create", "recipients"), (said, intent)
            assert intent.ref == ref, (said, intent)
            # what it did on a day of the week is counted and answered yes or no
            did = "tally" if asked == "run last monday" else "history"
            assert intent.kind == (did if past else "show"), (said, intent)


def test_a_request_put_as_a_question_is_still_a_request() -> None:
    for said in ("is it possible to move it to 9?", "would it be possible to make it 9am"):
        assert classify(said).kind not in ("show", "history"), said


def test_asking_changes_nothing(sqlite_engine: Engine) -> None:
    chat = MemberChat(sqlite_engine)
    auto = make_automation(sqlite_engine, chat.org, NOW, cron="0 9 * * 1", tz="UTC")
    chat.say(f"show #{auto.id}")
    for said in ("does it run on fridays?", "did it run last monday?", "is it weekly?"):
        reply = chat.say(said)
        assert reply.kind != "error" and reply.automation_id == auto.id, (said, reply.text)
        assert (
            get_automation(sqlite_engine, chat.org.org_id, auto.id or 0).cron_expression
            == "0 9 * * 1"
        )
