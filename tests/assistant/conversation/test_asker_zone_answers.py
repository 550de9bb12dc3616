"""Every answer about who did what and when ("who paused #3?", "what changed on it?", its runs,
its last run, "did it work?", "why didn't it run?") says its times in the asker's zone, not
in the zone of the automation's owner: an admin in New York reading a Tokyo recruiter's
automation reads New York times."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine

from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from models.settings import load_settings
from tests.assistant.conversation.member_chat import Chat
from worker.tick.factory import build_worker

# every time said reads "Mon 02 Mar 2026 11:00 EST": its zone's abbreviation last
_SAID_TIME = re.compile(r"\b\d{2} \w{3} \d{4} \d{2}:\d{2} (\S+?)\b")


@pytest.mark.parametrize(
    ("asker_zone", "owner_zone"),
    [("America/New_York", "Asia/Tokyo"), ("Asia/Kolkata", "Europe/London")],
)
def test_who_and_when_answers_say_times_in_the_askers_zone(
    sqlite_engine: Engine, asker_zone: str, owner_zone: str
) -> None:
    org = make_org(sqlite_engine, NOW, slug="acme")
    auto = make_automation(
        sqlite_engine, org, NOW, tz=owner_zone, name="Digest", skill="noop", channel="in_app"
    )
    owner = Chat(sqlite_engine, org.member_id, tz=owner_zone)
    owner.tools.pause(owner.actor, auto.id or 0)
    admin = Chat(sqlite_engine, org.admin_id, key="a", tz=asker_zone)
    admin.say(f"resume #{auto.id}")
    admin.say(f"run #{auto.id} now")
    build_worker(sqlite_engine, load_settings()).tick(now=NOW + timedelta(seconds=5))

    expected = NOW.astimezone(ZoneInfo(asker_zone)).tzname()
    owners = NOW.astimezone(ZoneInfo(owner_zone)).tzname()
    assert expected != owners
    for question in (
        f"who paused #{auto.id}?",
        f"what changed on #{auto.id}?",
        f"show the history of #{auto.id}",
        f"when did #{auto.id} last run?",
        f"did #{auto.id} work?",
        f"why didn't #{auto.id} run?",
    ):
        answer = admin.say(question).text
        zones = set(_SAID_TIME.findall(answer))
        assert zones == {expected}, (question, answer)
