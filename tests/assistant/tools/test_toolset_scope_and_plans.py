"""The tool set enforces organisation scope, roles and plan limits once, for every interface."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from bench.kit.factories import OrgFixture, make_org
from models.errors import NotFound, PermissionDenied, PlanLimit
from models.settings import load_settings
from models.store.automations import list_automations
from models.store.orgs import create_user, get_user
from models.store.run_history import list_runs

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def tools_for(engine: Engine) -> Toolset:
    return Toolset(engine, load_settings(), clock=lambda: NOW)


def actor(engine: Engine, user_id: int) -> Actor:
    return Actor.of(get_user(engine, user_id))


def spec(name: str = "Report", cron: str = "0 9 * * *", **extra: Any) -> AutomationSpec:
    return AutomationSpec(name=name, skill="noop", cron=cron, output_channel="noop", **extra)


def test_another_organisation_cannot_see_or_touch_an_automation(engine: Engine) -> None:
    tools = tools_for(engine)
    a = make_org(engine, NOW, slug="alpha")
    b = make_org(engine, NOW, slug="beta")
    owned = tools.create_automation(actor(engine, a.member_id), spec())
    for intruder in (actor(engine, b.admin_id), actor(engine, b.member_id)):
        assert tools.list_automations(intruder, everyone=intruder.is_admin) == []
        for call in (
            lambda who=intruder: tools.get_automation(who, owned.id),
            lambda who=intruder: tools.pause(who, owned.id),
            lambda who=intruder: tools.resume(who, owned.id),
            lambda who=intruder: tools.run_now(who, owned.id),
            lambda who=intruder: tools.test(who, owned.id),
            lambda who=intruder: tools.delete(who, owned.id, confirm=True),
            lambda who=intruder: tools.list_runs(who, automation_id=owned.id),
            lambda who=intruder: tools.update_automation(who, owned.id, {"name": "mine"}),
        ):
            with pytest.raises(NotFound):
                call()
    assert tools.get_automation(actor(engine, a.member_id), owned.id).enabled is True
    assert list_runs(engine, a.org_id) == []


def test_members_act_on_their_own_automations_and_admins_on_all(engine: Engine) -> None:
    tools = tools_for(engine)
    org = make_org(engine, NOW)
    colleague = create_user(engine, org_id=org.org_id, email="dana@acme.test", now=NOW)
    mine = tools.create_automation(actor(engine, org.member_id), spec())
    with pytest.raises(PermissionDenied):
        tools.pause(actor(engine, colleague.id or 0), mine.id)
    with pytest.raises(PermissionDenied):
        tools.list_automations(actor(engine, colleague.id or 0), everyone=True)
    admin = actor(engine, org.admin_id)
    assert [v.id for v in tools.list_automations(admin)] == [mine.id]
    assert tools.pause(admin, mine.id).enabled is False
    assert tools.resume(admin, mine.id).enabled is True


def _free_org(engine: Engine) -> OrgFixture:
    return make_org(engine, NOW, slug="small", plan="free")


def test_free_plan_allows_five_active_automations_and_explains_the_sixth(engine: Engine) -> None:
    tools = tools_for(engine)
    org = _free_org(engine)
    who = actor(engine, org.member_id)
    for i in range(5):
        tools.create_automation(who, spec(name=f"r{i}"))
    with pytest.raises(PlanLimit) as refused:
        tools.create_automation(who, spec(name="sixth"))
    assert "Free plan allows 5 active automations" in refused.value.message
    assert "Pause or delete one" in refused.value.message
    assert len(list_automations(engine, org.org_id)) == 5
    # a paused one may be kept, but not resumed while five are active
    paused = tools.create_automation(who, spec(name="later", enabled=False))
    with pytest.raises(PlanLimit):
        tools.resume(who, paused.id)
    tools.pause(who, tools.list_automations(who)[0].id)
    assert tools.resume(who, paused.id).enabled is True


@pytest.mark.parametrize(
    ("cron", "allowed"),
    [
        ("*/15 * * * *", False),
        ("0 9,17 * * *", False),
        ("0 9 * * *", True),
        ("30 2 * * *", True),
        ("0 9 * * MON", True),
    ],
)
def test_free_plan_runs_at_most_daily(engine: Engine, cron: str, allowed: bool) -> None:
    tools = tools_for(engine)
    org = _free_org(engine)
    who = actor(engine, org.member_id)
    # America/Los_Angeles: the spring-forward night makes a daily run 23 hours apart
    request = spec(cron=cron, timezone="America/Los_Angeles")
    if allowed:
        assert tools.create_automation(who, request).id
    else:
        with pytest.raises(PlanLimit) as refused:
            tools.create_automation(who, request)
        assert "at most once a day" in refused.value.message
        assert list_automations(engine, org.org_id) == []


def test_pro_plan_allows_minute_level_schedules(engine: Engine) -> None:
    tools = tools_for(engine)
    org = make_org(engine, NOW, slug="bigger", plan="pro")
    view = tools.create_automation(actor(engine, org.member_id), spec(cron="*/5 * * * *"))
    assert [t.minute for t in view.next_runs] == [5, 10, 15]


def test_after_a_downgrade_a_change_that_keeps_the_schedule_is_not_refused_for_it(
    engine: Engine,
) -> None:
    tools = tools_for(engine)
    org = make_org(engine, NOW, slug="shrinks", plan="pro")
    admin = actor(engine, org.admin_id)
    frequent = tools.create_automation(admin, spec(cron="*/5 * * * *"))
    tools.set_plan(admin, "free")
    # the name and the output change; the plan's frequency is the schedule's business only
    renamed = tools.update_automation(admin, frequent.id, {"name": "Every five minutes"})
    assert renamed.name == "Every five minutes"
    with pytest.raises(PlanLimit) as refused:
        tools.update_automation(admin, frequent.id, {"cron": "*/10 * * * *"})
    assert "at most once a day" in refused.value.message
    assert tools.get_automation(admin, frequent.id).cron == "*/5 * * * *"


def test_update_in_place_validates_first_and_moves_the_schedule(engine: Engine) -> None:
    tools = tools_for(engine)
    org = make_org(engine, NOW)
    who = actor(engine, org.member_id)
    view = tools.create_automation(who, spec(cron="0 9 * * *"))
    with pytest.raises(Exception, match="minute must be 0-59"):
        tools.update_automation(who, view.id, {"cron": "99 9 * * *"})
    assert tools.get_automation(who, view.id).cron == "0 9 * * *"
    moved = tools.update_automation(who, view.id, {"cron": "0 8 * * *"})
    assert moved.next_run_at == datetime(2026, 3, 2, 8, 0, tzinfo=UTC).replace(day=3)


def test_two_manual_runs_requested_at_the_same_instant_are_both_queued(engine: Engine) -> None:
    tools = tools_for(engine)  # a fixed clock: both requests carry the very same instant
    org = make_org(engine, NOW)
    who = actor(engine, org.member_id)
    view = tools.create_automation(who, spec())
    first, second = tools.run_now(who, view.id), tools.run_now(who, view.id)
    assert first.id != second.id
    assert {first.status, second.status} == {"pending"}
