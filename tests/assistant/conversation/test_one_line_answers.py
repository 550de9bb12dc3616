"""One-line answers and questions in other shapes, through the real engine on both stores:
"when did #1 last run?" / "when did it last fail?" in phrasings built from parts (openers by
subjects by politeness by punctuation by case), each answer checked against the fixture's own
run rows; and an admin's questions about failing or paused automations ("who has failing
automations?", "whose automations are paused?") reach the same listing as "is anything
failing?"."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from assistant.conversation.intents import classify
from assistant.conversation.words import when
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from models.tables.runs import AutomationRun
from tests.assistant.conversation.test_questions import Chat, seeded

LAST = ["when did {a} last run", "when was {a} last run", "when did {a} run last",
        "when did {a} last go out", "when was the last run of {a}"]  # fmt: skip
FAILED = ["when did {a} last fail", "when did {a} fail last", "when was {a} last failed",
          "when did {a} last go wrong", "when was the last failure of {a}"]  # fmt: skip
POLITE = ["", "please tell me ", "hey, ", "so "]
ENDS = ["?", "", " ?", "?!"]
CASES = [str.lower, str.capitalize, str.upper]


def phrasings(templates: list[str], subject: str) -> list[str]:
    said = []
    for template, polite, end, case in itertools.product(templates, POLITE, ENDS, CASES):
        text = template.format(a=subject)
        said.append(case(f"{polite}{text}{end}"))
    return said


@pytest.mark.parametrize("failed", [False, True])
def test_last_run_questions_are_read_as_one_line_answers(failed: bool) -> None:
    for subject in ("it", "#7", "the pipeline report"):
        for said in phrasings(FAILED if failed else LAST, subject):
            if said.lower().startswith("please tell me") and subject != "it":
                continue  # "tell me …" keeps its words; one subject is enough
            intent = classify(said)
            assert intent.kind == "last", said
            assert intent.rest == ("failed" if failed else ""), said
            assert intent.ref.lower() == subject.lower(), said


# (days ago, hour, status, triggered by): newest first is not the table order
PLAN = [
    (3, 9, "completed", "schedule"),
    (0, 8, "failed", "test"),
    (1, 9, "skipped", "schedule"),
    (2, 9, "failed", "schedule"),
    (0, 12, "queued", "manual"),
    (5, 9, "partial", "schedule"),
]


def test_last_run_and_last_failure_in_one_line(engine: Engine) -> None:
    org = make_org(engine, NOW, slug="acme")
    chat = Chat(engine, org, org.member_id)
    ran = make_automation(engine, org, NOW, name="Offer tracker", skill="pipeline-report")
    fresh = make_automation(engine, org, NOW, name="Brand new", skill="pipeline-report")
    with Session(engine) as s:
        for days, hour, status, by in PLAN:
            slot = NOW.replace(hour=hour) - timedelta(days=days)
            s.add(
                AutomationRun(
                    org_id=org.org_id, automation_id=ran.id or 0, triggered_by=by,
                    scheduled_for=slot, not_before=slot, status=status, attempt=1, created_at=slot,
                )
            )  # fmt: skip
        s.commit()
    # independent ground truth from the plan: tests never count, queued has not run
    real = [p for p in PLAN if p[3] != "test" and p[2] != "queued"]
    last = min(real, key=lambda p: (p[0], -p[1]))
    fail = min((p for p in real if p[2] in ("failed", "partial")), key=lambda p: (p[0], -p[1]))

    def at(plan: tuple[int, int, str, str]) -> str:
        return when(NOW.replace(hour=plan[1]) - timedelta(days=plan[0]), "UTC")

    one = chat.say(f"when did #{ran.id} last run?")
    assert one.kind == "info" and "\n" not in one.text
    assert one.text == f"#{ran.id} “Offer tracker” last ran {at(last)}: {last[2]}.", one.text
    failure = chat.say("when did it last fail?")
    assert failure.text == f"#{ran.id} “Offer tracker” last failed {at(fail)}: {fail[2]}."
    never = chat.say(f"when did #{fresh.id} last run?")
    due = when(fresh.next_run_at, "UTC")
    assert never.text == f"#{fresh.id} “Brand new” hasn't run yet; its first run is due {due}."
    assert chat.say("when did it last fail?").text == f"#{fresh.id} “Brand new” hasn't run yet."


ADMIN = {
    "failing": ["who has failing automations", "whose automations are failing",
                "who has any broken automations", "whose reports are failing",
                "which automations are failing", "anything broken", "is anything failing"],
    "paused": ["who has paused automations", "whose automations are paused",
               "who has any paused reports", "whose automations are on hold",
               "what is paused"],
}  # fmt: skip


@pytest.mark.parametrize("state", sorted(ADMIN))
def test_an_admins_questions_in_other_shapes_reach_the_same_answer(
    engine: Engine, state: str
) -> None:
    org = seeded(engine)
    chat = Chat(engine, org, org.admin_id)
    reference = chat.say(ADMIN[state][-1] + "?")
    assert reference.kind == "list", reference.text
    for asked, end, case in itertools.product(ADMIN[state], ["?", ""], CASES[:2]):
        reply = chat.say(case(asked + end))
        assert (reply.kind, reply.text) == (reference.kind, reference.text), asked
    week = chat.say("whose automations failed this week?")
    assert week.text == chat.say("what failed this week?").text


LISTINGS = [
    "list everything paused this week",
    "who has failing automations?",
    "which automations are failing",
    "how many automations are paused?",
    "whose automations failed this week?",
    "list the ones I paused yesterday",
]


def test_a_listing_or_question_while_a_question_waits_keeps_it(engine: Engine) -> None:
    org = seeded(engine)
    chat = Chat(engine, org, org.admin_id)
    asked = chat.say("send a report")
    assert asked.kind == "question"
    waiting = chat.state()["pending"]
    for said in LISTINGS:
        reply = chat.say(said)
        assert reply.kind in ("list", "info"), (said, reply.text)
        assert "didn't understand" not in reply.text and "replaces" not in reply.text
        assert reply.text.splitlines()[-1].startswith("(Still waiting"), (said, reply.text)
        assert chat.state()["pending"] == waiting, said
