"""Whose automations a bulk pause or resume means, read from the many ways of naming an owner.
A name the request gives is kept even when nobody has it, so the tool set refuses instead of
acting on everyone's automations."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from assistant.language.bulk_words import bulk_in_words
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_automation, make_org
from models.errors import NotFound
from models.settings import load_settings
from models.store.automations import list_automations
from models.store.orgs import create_user, get_user

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)

OWNER_SHAPES = (
    "{verb} all of {name}'s automations",
    "{verb} {name}'s reports",
    "{verb} everything of {name}'s",
    "{verb} all of {name}'s",
    "{verb} everything owned by {name}",
    "{verb} all automations belonging to {name}",
    "{verb} everything {name} owns",
    "{verb} every automation {name} has",
    "{verb} everything for {name}",
    "{verb} all the alerts of {name}",
)
NAMES = ("Sam", "dana", "Zed", "priya.k")
SPANS = ("", " until friday", " until Monday 9am", " for 2 weeks", " for a week", " till tomorrow")


@pytest.mark.parametrize("shape", OWNER_SHAPES)
def test_every_way_of_naming_an_owner_keeps_the_name_and_the_span(shape: str) -> None:
    for verb, name, span in itertools.product(("pause", "stop"), NAMES, SPANS):
        wish = bulk_in_words(shape.format(verb=verb, name=name) + span)
        assert (wish.action, wish.owner_name, wish.until) == ("pause", name, span.strip() or None)
    wish = bulk_in_words(shape.format(verb="resume", name="Sam"))
    assert (wish.action, wish.owner_name, wish.mine) == ("resume", "Sam", False)


@pytest.mark.parametrize(
    "request_",
    [
        "pause everything",
        "pause all",
        "pause everything for 2 weeks",
        "pause everything for now",
        "pause everything for today",
        "pause all my automations for the rest of the month",
        "resume everything paused this week",
        "pause every automation until monday",
    ],
)
def test_requests_naming_nobody_have_no_owner(request_: str) -> None:
    assert bulk_in_words(request_).owner_name is None


def test_an_unknown_or_empty_owner_changes_nothing(engine: Engine) -> None:
    org = make_org(engine, NOW)
    make_automation(engine, org, NOW)
    make_automation(engine, org, NOW, owner_id=org.admin_id)
    create_user(engine, org_id=org.org_id, email="sam@x.test", now=NOW, name="Sam Sourcer")
    admin_user = get_user(engine, org.admin_id)
    admin = Actor(org.org_id, org.admin_id, admin_user.role, admin_user.email, None)
    ts = Toolset(engine, load_settings(), clock=lambda: NOW)
    with pytest.raises(NotFound, match="Nobody called Zed"):
        ts.bulk(admin, "pause everything of Zed's until friday", confirm=True)
    none = ts.bulk(admin, "pause everything owned by Sam", confirm=True)
    assert none.automation_ids == [] and "Sam" in none.message, none.message
    assert all(a.enabled for a in list_automations(engine, org.org_id))
    maxs = ts.bulk(admin, "pause everything for Max", confirm=True)
    paused = [a.id for a in list_automations(engine, org.org_id) if not a.enabled]
    assert paused == maxs.automation_ids and len(paused) == 1


@pytest.mark.parametrize(
    ("request_", "kind"),
    [
        ("pause my reminders", "reminders"),
        ("pause all my alerts until monday", "alerts"),
        ("resume all of Dana's reports", "reports"),
        ("pause my workflows for 2 weeks", "workflows"),
        ("pause all of Dana's automations", None),
        ("pause everything", None),
    ],
)
def test_a_kind_said_keeps_the_bulk_to_it(request_: str, kind: str | None) -> None:
    assert bulk_in_words(request_).kind == kind


def test_pause_my_reminders_pauses_the_reminders_only(engine: Engine) -> None:
    org = make_org(engine, NOW)
    report = make_automation(engine, org, NOW, name="Pipeline", skill="pipeline-report")
    reminder = make_automation(
        engine, org, NOW, name="Call back", skill="reminder", params={"message": "call back"}
    )
    member = get_user(engine, org.member_id)
    me = Actor(org.org_id, org.member_id, member.role, member.email, None)
    ts = Toolset(engine, load_settings(), clock=lambda: NOW)
    done = ts.bulk(me, "pause my reminders", confirm=True)
    assert done.automation_ids == [reminder.id]
    paused = {a.id for a in list_automations(engine, org.org_id) if not a.enabled}
    assert paused == {reminder.id} and report.id not in paused
    none = ts.bulk(me, "pause my reminders", confirm=True)
    assert none.automation_ids == [] and "no active reminders" in none.message
