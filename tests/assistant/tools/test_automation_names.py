"""An automation made from words is named by what it does and when, the schedule said once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_org
from models.settings import load_settings
from models.store.orgs import get_user

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("request_text", "name"),
    [
        ("Every Monday at 9am, send me a summary of my pipeline", "Pipeline report, Mondays 9:00"),
        ("every weekday at 8:30am send me my pipeline", "Pipeline report, weekdays 8:30"),
        ("every day at 5pm send me my pipeline", "Pipeline report, daily 17:00"),
    ],
)
def test_names_say_what_and_when_once(sqlite_engine: Engine, request_text: str, name: str) -> None:
    org = make_org(sqlite_engine, NOW)
    tools = Toolset(sqlite_engine, load_settings(), clock=lambda: NOW)
    me = Actor.of(get_user(sqlite_engine, org.member_id))
    draft = tools.draft_automation(me, request_text, tz="America/New_York")
    assert draft.id is not None, draft.question
    made = tools.confirm_draft(me, draft.id)
    assert made.name == name
    assert "America/New_York" in made.trigger  # the full wording stays in the trigger
