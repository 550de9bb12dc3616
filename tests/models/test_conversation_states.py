"""Conversation state in the store, on both databases: kept per person and place, forgotten
after its TTL, pruned by the retention path."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from bench.kit.factories import make_org
from models.settings import Settings
from models.store.conversations import load_state, save_state
from worker.run.retention import prune

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
TTL = timedelta(hours=24)


def test_state_is_per_person_and_place_and_expires(engine: Engine) -> None:
    org = make_org(engine, NOW)
    who = {"org_id": org.org_id, "user_id": org.member_id}
    save_state(engine, **who, key="slack:C1:1.0", state={"focus": 5}, now=NOW, ttl=TTL)
    save_state(engine, **who, key="slack:C1:1.0", state={"focus": 6}, now=NOW, ttl=TTL)
    assert load_state(engine, **who, key="slack:C1:1.0", now=NOW) == {"focus": 6}
    assert load_state(engine, **who, key="slack:C1:2.0", now=NOW) == {}
    other = {"org_id": org.org_id, "user_id": org.admin_id}
    assert load_state(engine, **other, key="slack:C1:1.0", now=NOW) == {}
    later = NOW + TTL
    assert load_state(engine, **who, key="slack:C1:1.0", now=later - timedelta(seconds=1))
    assert load_state(engine, **who, key="slack:C1:1.0", now=later) == {}


def test_retention_prunes_expired_conversations(engine: Engine) -> None:
    org = make_org(engine, NOW)
    who = {"org_id": org.org_id, "user_id": org.member_id}
    save_state(engine, **who, key="old", state={"focus": 1}, now=NOW, ttl=TTL)
    save_state(engine, **who, key="new", state={"focus": 2}, now=NOW + TTL, ttl=TTL)
    prune(engine, Settings().core, NOW + TTL + timedelta(minutes=1))
    # the expired row is gone: saving it again starts from nothing
    assert load_state(engine, **who, key="new", now=NOW + TTL) == {"focus": 2}
    save_state(engine, **who, key="old", state={}, now=NOW + TTL * 3, ttl=TTL)
    assert load_state(engine, **who, key="new", now=NOW + TTL * 3) == {}
