"""Test runs and previews send nothing but read live data and answer in the asker's chat: one
person may ask for so many a minute (SKILLTICK_TESTS_PER_MINUTE, 10 by default), the two
counted together, and past it each door refuses in one line; others are not held back, and a
minute later the person may try again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from assistant.conversation import ConversationEngine, Turn
from assistant.tools.base import Actor
from bench.kit.factories import make_automation, make_org
from models.errors import TooOften
from models.store.orgs import get_user
from tests.assistant.http.service_harness import make_context

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def test_a_persons_tests_and_previews_are_limited_per_minute(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SKILLTICK_TESTS_PER_MINUTE")  # the default
    org = make_org(sqlite_engine, NOW)
    auto = make_automation(sqlite_engine, org, NOW)
    clock = Clock()
    tools = make_context(sqlite_engine, clock=clock).tools
    assert tools.settings.core.tests_per_minute == 10
    member = Actor.of(get_user(sqlite_engine, org.member_id))
    admin = Actor.of(get_user(sqlite_engine, org.admin_id))
    for n in range(10):
        clock.now = NOW + timedelta(seconds=5 * n)  # ten within the minute
        if n % 3:
            assert tools.test(member, auto.id or 0).id
        else:
            assert tools.preview(member, "my pipeline") is not None
    with pytest.raises(TooOften) as test_refused:
        tools.test(member, auto.id or 0)
    with pytest.raises(TooOften):
        tools.preview(member, "my pipeline")
    assert "\n" not in test_refused.value.message
    assert "10 test runs and previews in the last minute" in test_refused.value.message
    # in the chat, the refusal is the reply, in one line; another person is not held back
    chat = ConversationEngine(tools)
    said = chat.handle(Turn(member, "k1"), f"test #{auto.id}")
    assert said.kind == "error" and said.text == test_refused.value.message
    assert tools.test(admin, auto.id or 0).id
    # a minute after the first of the ten, one more may go
    clock.now = NOW + timedelta(minutes=1, seconds=1)
    assert tools.test(member, auto.id or 0).id
    with pytest.raises(TooOften):
        tools.test(member, auto.id or 0)
