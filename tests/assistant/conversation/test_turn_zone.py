"""The zone a person speaks in (a chat's --tz, their Slack profile's) reads every time word of
their turn: "pause it until Wednesday" ends at the start of Wednesday there, as a new schedule
they type would fire there, even when their skilltick profile names another zone."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from assistant.conversation import ConversationEngine, Turn
from assistant.tools.toolset import Actor, Toolset
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from models.settings import load_settings
from models.store.automations import get_automation
from models.store.orgs import create_user, get_user

PROFILE_ZONE = "Pacific/Auckland"  # Monday 16:00 UTC is already Tuesday 05:00 there


def test_a_pause_until_a_day_reads_the_day_in_the_zone_of_the_turn(engine: Engine) -> None:
    org = make_org(engine, NOW, slug="acme")
    user = create_user(
        engine,
        org_id=org.org_id,
        email="kiri@acme.test",
        name="Kiri",
        role="member",
        now=NOW,
        timezone=PROFILE_ZONE,
    )
    actor = Actor.of(user)
    assert actor.timezone == PROFILE_ZONE
    auto = make_automation(engine, org, NOW, cron="0 9 * * *", owner_id=user.id)
    conversation = ConversationEngine(Toolset(engine, load_settings(), clock=lambda: NOW))

    said_in_utc = conversation.handle(
        Turn(actor, "a", tz="UTC"), f"pause #{auto.id} until wednesday"
    )
    assert said_in_utc.kind == "done", said_in_utc.text
    stored = get_automation(engine, org.org_id, auto.id or 0)
    # Wednesday 00:00 in UTC, the turn's zone; in the profile's zone it would be Tuesday 11:00 UTC
    assert stored.paused_until is not None
    assert stored.paused_until.replace(tzinfo=UTC) == datetime(2026, 3, 4, tzinfo=UTC)

    # a turn without a zone of its own reads the profile's
    conversation.handle(Turn(actor, "b"), f"resume #{auto.id}")
    conversation.handle(Turn(actor, "b"), f"pause #{auto.id} until wednesday")
    stored = get_automation(engine, org.org_id, auto.id or 0)
    assert stored.paused_until is not None
    assert stored.paused_until.replace(tzinfo=UTC) == datetime(2026, 3, 3, 11, tzinfo=UTC)


def test_an_unknown_zone_of_the_turn_is_refused_and_changes_nothing(engine: Engine) -> None:
    org = make_org(engine, NOW, slug="acme")
    auto = make_automation(engine, org, NOW, cron="0 9 * * *")
    conversation = ConversationEngine(Toolset(engine, load_settings(), clock=lambda: NOW))
    actor = Actor.of(get_user(engine, org.member_id))
    reply = conversation.handle(Turn(actor, "a", tz="Mars/Base"), f"pause #{auto.id} until friday")
    assert reply.kind == "error" and "Unknown time zone 'Mars/Base'" in reply.text
    assert get_automation(engine, org.org_id, auto.id or 0).enabled
