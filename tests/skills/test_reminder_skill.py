"""The reminder skill: its text checked where every param is (1 to 500 characters, stored
stripped), refused in one line by each way of creating one with nothing stored, and a short
subject made from it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from bench.kit.factories import make_org
from models.errors import InvalidInput
from models.settings import load_settings
from models.store.automations import list_automations
from models.store.orgs import get_user
from skills.base import validate_params
from skills.builtin import default_registry
from skills.builtin.reminders import SUBJECT_CHARS, reminder_subject

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
SPEC = default_registry().get("reminder").spec


def test_the_text_is_stored_stripped() -> None:
    assert validate_params(SPEC, {"message": "  call Priya \n"}) == {"message": "call Priya"}
    assert validate_params(SPEC, {"message": "x" * 500}) == {"message": "x" * 500}


@pytest.mark.parametrize(
    ("message", "words"),
    [
        ("", "cannot be empty"),
        ("   \n\t", "cannot be empty"),
        ("x" * 2000, "at most 500 characters (got 2,000)"),
        (None, "is required"),
    ],
)
def test_an_empty_or_overlong_text_is_refused(message: str | None, words: str) -> None:
    with pytest.raises(InvalidInput, match=r"Parameter '(message)'") as refused:
        validate_params(SPEC, {"message": message})
    assert words in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.parametrize("message", ["", "x" * 2000])
def test_creating_a_reminder_with_a_bad_text_creates_nothing(engine: Engine, message: str) -> None:
    org = make_org(engine, NOW)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    member = Actor.of(get_user(engine, org.member_id))
    spec = AutomationSpec(
        name="Reminder", skill="reminder", params={"message": message}, cron="0 16 * * 5"
    )
    with pytest.raises(InvalidInput) as refused:
        tools.create_automation(member, spec)
    assert "message" in str(refused.value) and "\n" not in str(refused.value)
    assert list_automations(engine, org.org_id) == []
    # in words too: a question, and no draft to confirm
    draft = tools.draft_automation(
        member, f'remind me every Friday at 4pm to "{message}"', tz="UTC", now=NOW
    )
    assert draft.id is None and draft.status == "question"
    assert draft.question is not None and "\n" not in draft.question
    assert list_automations(engine, org.org_id) == []


@pytest.mark.parametrize(
    ("message", "subject"),
    [
        ("call Priya", "Reminder: call Priya"),
        ("  submit   scorecards ", "Reminder: submit scorecards"),
        ("call Priya\nthen Sam", "Reminder: call Priya…"),
        (
            "update my candidates and then go through every single one of the offer letters",
            "Reminder: update my candidates and then go through every single one…",
        ),
        ("x" * 200, "Reminder: " + "x" * (SUBJECT_CHARS - 11) + "…"),
    ],
)
def test_the_subject_is_short_and_cut_at_a_word(message: str, subject: str) -> None:
    assert reminder_subject(message) == subject
    assert len(reminder_subject(message)) <= SUBJECT_CHARS
