"""What people read about an automation's settings: the draft's read-back, "show it" and "why
didn't it run?" say the params and the event filter in words (its JSON keeps the codes), and
"me" is "you" only to the automation's owner."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from assistant.conversation import ConversationEngine, Turn
from assistant.language import understand
from assistant.language.draft import event_words
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_automation, make_org
from models.settings import load_settings
from models.store.orgs import get_user
from skills.builtin import default_registry

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
REPR = re.compile(r"[\[\]{}_]|(?<![A-Za-z])'|'(?![A-Za-z])")


def line(text: str, start: str) -> str:
    return next(row for row in text.splitlines() if row.startswith(start))


def test_a_draft_reads_its_params_in_words_and_its_json_keeps_the_codes() -> None:
    draft = understand(
        "every weekday at 8 send me the stale candidates not contacted in 3 business days "
        "across the organisation",
        tz="Europe/London",
        now=NOW,
        specs=default_registry().specs(),
    )
    assert draft.ok, draft.summary
    action = line(draft.summary, "- Action: ")
    assert action == (
        "- Action: a list of candidates waiting too long (stale-candidate-sla), covering the "
        "whole organisation's candidates, flagging candidates waiting 3 business days or more"
    )
    assert draft.as_json()["params"] == {"scope": "organization", "business_days": 3}


def test_an_event_draft_says_its_filter_in_words() -> None:
    draft = understand(
        "when a candidate moves to Interview for the Data Engineer job, email me a summary of "
        "my pipeline",
        tz="UTC",
        now=NOW,
    )
    assert draft.ok, draft.summary
    assert line(draft.summary, "- Trigger: ") == (
        "- Trigger: When a candidate moves to Interview for the Data Engineer job"
    )
    assert draft.as_json()["event"]["filter"] == {"to_stage": "Interview", "job": "Data Engineer"}


@pytest.mark.parametrize(
    ("event", "filters", "said"),
    [
        (
            "candidate.stage_changed",
            {"from_stage": "Screen", "to_stage": ["Interview", "Offer"], "department": "Data"},
            "When a candidate moves from Screen to Interview or Offer in the Data department",
        ),
        (
            "candidate.stage_changed",
            {"from_stage": "Interview"},
            "When a candidate moves from Interview",
        ),
        (
            "application.created",
            {"job": ["Designer", "PM"], "owner": "me"},
            "When someone applies for the Designer or PM job for your candidates",
        ),
        (
            "interview.scheduled",
            {"stage": "Onsite", "job_id": 12},
            "When an interview is scheduled at Onsite for job #12",
        ),
        (
            "candidate.replied",
            {"relative_to": "event", "offset_minutes": 120, "job": "Designer"},
            "2 hours after a candidate replies for the Designer job",
        ),
    ],
)
def test_every_filter_key_reads_in_words(event: str, filters: dict[str, object], said: str) -> None:
    assert event_words(event, filters) == said
    assert not REPR.search(said)


def _event_automation(engine: Engine) -> tuple[Toolset, Actor, Actor, int]:
    org = make_org(engine, NOW, slug="acme")
    auto = make_automation(
        engine,
        org,
        NOW,
        cron=None,
        name="Interview moves",
        skill="pipeline-report",
        channel="email",
        params={"scope": "mine", "stale_days": 10, "period": "daily"},
        trigger_type="event",
        event_type="candidate.stage_changed",
        event_filter={"to_stage": "Interview", "job": "Data Engineer"},
    )
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    member = Actor.of(get_user(engine, org.member_id))
    admin = Actor.of(get_user(engine, org.admin_id))
    return tools, member, admin, auto.id or 0


def test_show_it_and_why_say_the_settings_in_words(engine: Engine) -> None:
    tools, member, admin, auto_id = _event_automation(engine)
    chat = ConversationEngine(tools)
    shown = chat.handle(Turn(member, "s", tz="UTC"), f"show #{auto_id}")
    assert line(shown.text, "- Action: ") == (
        "- Action: a summary of your pipeline (pipeline-report), flagging candidates not "
        "contacted for 10 days, as a daily report"
    )
    assert line(shown.text, "- Output: ") == "- Output: email to you"
    assert line(shown.text, "- Trigger: ") == (
        "- Trigger: When a candidate moves to Interview for the Data Engineer job"
    )
    assert shown.data is not None and shown.data["params"]["stale_days"] == 10  # codes kept
    # an admin reading it is told whose inbox it goes to
    theirs = chat.handle(Turn(admin, "a", tz="UTC"), f"show #{auto_id}")
    assert line(theirs.text, "- Output: ") == "- Output: email to member@acme.test"
    why = tools.why(member, auto_id).answer
    assert why.startswith(
        "It runs only when a candidate moves to Interview for the Data Engineer job; "
        "it did not fire because no such event came in yet."
    ), why
    assert not REPR.search(why), why
