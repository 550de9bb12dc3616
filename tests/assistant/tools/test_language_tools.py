"""The assistant's tool-set methods on both stores: draft then confirm, questions create
nothing, update in words, pause until a day, bulk pause/resume with scope, retry, why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import OrgFixture, make_automation, make_org
from models.errors import DeliveryError, InvalidInput, NotFound, PermissionDenied
from models.settings import load_settings
from models.store.automations import list_automations
from models.store.orgs import create_user, get_user
from models.store.run_history import get_run
from models.store.run_queue import queue_run
from worker.delivery.base import Message, Recipient
from worker.delivery.channels import ChannelRegistry
from worker.tick.tick import Worker

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # Monday 08:00 in Los Angeles


def tools(engine: Engine, *, slack: bool = False) -> Toolset:
    """The tool set on a server with (`slack`) or without a Slack bot token."""
    settings = load_settings(slack_bot_token="xoxb-configured" if slack else "")
    return Toolset(engine, settings, clock=lambda: NOW)


def actor(engine: Engine, org: OrgFixture, *, admin: bool = False, tz: str | None = None) -> Actor:
    user = get_user(engine, org.admin_id if admin else org.member_id)
    return Actor(user.org_id, user.id or 0, user.role, user.email, tz)


def test_a_confirmed_draft_becomes_the_automation_it_described(engine: Engine) -> None:
    org = make_org(engine, NOW, timezone="America/Los_Angeles")
    me, ts = actor(engine, org), tools(engine)
    draft = ts.draft_automation(me, "Every Monday at 9am, send me a summary of my pipeline")
    assert draft.id is not None and draft.status == "ok"
    assert list_automations(engine, org.org_id) == []  # nothing until confirmed
    view = ts.confirm_draft(me, draft.id)
    assert (view.skill, view.cron, view.timezone) == (
        "pipeline-report",
        "0 9 * * 1",
        "America/Los_Angeles",
    )
    assert view.next_runs[:3] == [datetime.fromisoformat(t) for t in draft.draft["next_runs"]]
    assert ts.confirm_draft(me, draft.id).id == view.id  # a second click creates nothing
    assert len(list_automations(engine, org.org_id)) == 1


def test_every_other_tuesday_runs_on_the_dates_the_draft_promised(engine: Engine) -> None:
    org = make_org(engine, NOW)
    me, ts = actor(engine, org, tz="America/Los_Angeles"), tools(engine)
    draft = ts.draft_automation(me, "every other Tuesday at 10am send me a sourcing recap")
    view = ts.confirm_draft(me, draft.id or 0)
    assert view.rrule is not None
    assert [t.isoformat() for t in view.next_runs] == [
        datetime.fromisoformat(t).astimezone(UTC).isoformat() for t in draft.draft["next_runs"]
    ]


def test_a_question_keeps_no_draft_and_creates_nothing(engine: Engine) -> None:
    org = make_org(engine, NOW)
    me, ts = actor(engine, org), tools(engine)
    draft = ts.draft_automation(me, "every day at 5pm and 10 send me my pipeline")
    assert (draft.id, draft.status) == (None, "question")
    assert "10am or 10pm" in (draft.question or "")
    assert list_automations(engine, org.org_id) == []


def test_drafts_stay_with_their_requester_and_organisation(engine: Engine) -> None:
    acme, other = make_org(engine, NOW), make_org(engine, NOW, slug="globex")
    ts = tools(engine)
    draft = ts.draft_automation(actor(engine, acme), "every day at 9am send me my pipeline")
    with pytest.raises(NotFound):
        ts.confirm_draft(actor(engine, other, admin=True), draft.id or 0)
    colleague = create_user(
        engine, org_id=acme.org_id, email="cy@acme.test", name="Cy", role="member", now=NOW
    )
    with pytest.raises(PermissionDenied):
        ts.confirm_draft(Actor.of(colleague), draft.id or 0)
    assert list_automations(engine, acme.org_id) == []


def test_the_requesters_time_zone_wins_then_the_organisations(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW, timezone="Europe/London")
    ts = tools(sqlite_engine)
    assert (
        ts.understand(actor(sqlite_engine, org), "daily at 9am send me my pipeline").tz
        == "Europe/London"
    )
    assert (
        ts.understand(
            actor(sqlite_engine, org, tz="Asia/Tokyo"), "daily at 9am send me my pipeline"
        ).tz
        == "Asia/Tokyo"
    )


def test_a_schedule_beyond_the_plan_is_explained_before_confirming(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW, plan="free")
    draft = tools(sqlite_engine).understand(
        actor(sqlite_engine, org), "every 15 minutes post my pipeline in #hiring"
    )
    assert draft.ok and any("Free plan" in note for note in draft.notes)
    assert "Free plan" in draft.summary


def test_update_in_words_moves_the_time_and_changes_the_days(engine: Engine) -> None:
    org = make_org(engine, NOW)
    auto = make_automation(
        engine,
        org,
        NOW,
        cron="0 9 * * 1",
        tz="America/Los_Angeles",
        skill="pipeline-report",
        channel="email",
    )
    me, ts = actor(engine, org), tools(engine, slack=True)
    assert ts.update_in_words(me, auto.id or 0, "move it to 8am").cron == "0 8 * * 1"
    assert ts.update_in_words(me, auto.id or 0, "make it weekdays only").cron == "0 8 * * 1-5"
    view = ts.update_in_words(me, auto.id or 0, "post it in #hiring instead")
    assert (view.output_channel, view.to) == ("slack", ["#hiring"])
    with pytest.raises(InvalidInput):
        ts.update_in_words(me, auto.id or 0, "make it nicer")
    assert ts.get_automation(me, auto.id or 0).cron == "0 8 * * 1-5"


def test_pause_until_monday_resumes_at_the_start_of_monday(engine: Engine) -> None:
    org = make_org(engine, NOW)
    auto = make_automation(engine, org, NOW)
    view = tools(engine).pause_until(
        actor(engine, org, tz="America/Los_Angeles"), auto.id or 0, "until Monday"
    )
    assert not view.enabled
    assert view.paused_until == datetime(2026, 3, 9, 7, 0, tzinfo=UTC)  # 00:00 PDT


def test_admins_pause_a_colleagues_automations_after_confirming(engine: Engine) -> None:
    org = make_org(engine, NOW)
    mine = make_automation(engine, org, NOW, owner_id=org.admin_id)
    maxs = [make_automation(engine, org, NOW).id or 0, make_automation(engine, org, NOW).id or 0]
    admin, ts = actor(engine, org, admin=True), tools(engine)
    preview = ts.bulk(admin, "pause all of Max's automations")
    assert (preview.done, sorted(preview.automation_ids)) == (False, sorted(maxs))
    assert all(a.enabled for a in list_automations(engine, org.org_id))
    done = ts.bulk(admin, "pause all of Max's automations", confirm=True)
    assert done.done and "Paused 2" in done.message
    assert ts.get_automation(admin, mine.id or 0).enabled
    resumed = ts.bulk(admin, "resume everything paused this week", confirm=True)
    assert sorted(resumed.automation_ids) == sorted(maxs)
    with pytest.raises(PermissionDenied):
        ts.bulk(actor(engine, org), "pause all of Ada's automations", confirm=True)
    assert ts.get_automation(admin, mine.id or 0).enabled


class RefusingMail:
    """The mail server refuses every message for good (a permanent delivery failure)."""

    name = "email"
    records_deliveries = True

    def send(
        self, message: Message, recipient: Recipient, *, message_id: str, org_id: int | None
    ) -> None:
        raise DeliveryError("the mail server refused the message", retryable=False)


def test_retry_queues_a_manual_run_that_names_the_failed_one(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    auto = make_automation(sqlite_engine, org, NOW, channel="email")
    run_id = queue_run(
        sqlite_engine, automation_id=auto.id or 0, org_id=org.org_id, triggered_by="manual", now=NOW
    )
    channels = ChannelRegistry(sqlite_engine, load_settings())
    channels.register("email", RefusingMail())
    Worker(sqlite_engine, load_settings(), channels=channels).run_one(run_id, NOW)
    me, ts = actor(sqlite_engine, org), tools(sqlite_engine)
    assert ts.get_run(me, run_id).status == "failed"
    # a run by hand counts toward no pause, but its failure is still the news
    plain = ts.why(me, auto.id or 0, "why didn't it send anything?").answer
    assert plain.startswith("It is on schedule") and f"Run #{run_id} (run by hand)" in plain
    retried = ts.retry(me, run_id)
    assert (retried.triggered_by, retried.status) == ("manual", "pending")
    detail = get_run(sqlite_engine, org.org_id, retried.id)
    assert detail.run.trigger_data["retry_of"] == run_id
    answer = ts.why(me, auto.id or 0, "why did it fail?").answer
    assert f"Run #{run_id}" in answer and "failed" in answer
    with pytest.raises(InvalidInput):
        ts.retry(me, retried.id)  # only failed runs


def test_why_a_paused_automation_did_not_fire(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    auto = make_automation(sqlite_engine, org, NOW)
    me, ts = actor(sqlite_engine, org), tools(sqlite_engine)
    # not run yet: its next run is its first, said once
    said = ts.why(me, auto.id or 0, "why didn't it fire?").answer
    assert said.startswith("It is on schedule") and said.count("Tue 03 Mar 2026 09:00") == 1
    ts.pause(me, auto.id or 0, until=NOW + timedelta(days=3))
    assert "paused until" in ts.why(me, auto.id or 0, "why didn't it fire?").answer


def test_a_system_jobs_reach_is_refused_in_the_draft_not_at_confirmation(engine: Engine) -> None:
    """A member's draft of an organisation-wide system job says it cannot be activated for
    them and offers no confirmation (its JSON says can_activate false); confirming anyway is
    refused and creates nothing. The same words from an admin can be activated."""
    org = make_org(engine, NOW)
    ts = tools(engine)
    request = "every friday at 4pm email me the weekly hiring report"
    member = ts.draft_automation(actor(engine, org), request)
    assert member.status == "ok" and member.id is not None
    assert member.draft["skill"] == "scheduled-report"
    assert member.draft["can_activate"] is False
    assert "only an admin can run or change it" in member.summary
    assert "Confirm to activate?" not in member.summary
    with pytest.raises(PermissionDenied):
        ts.confirm_draft(actor(engine, org), member.id)
    assert list_automations(engine, org.org_id) == []

    admin = ts.draft_automation(actor(engine, org, admin=True), request)
    assert admin.draft["can_activate"] is True and "Confirm to activate?" in admin.summary
    assert (
        ts.confirm_draft(actor(engine, org, admin=True), admin.id or 0).skill == "scheduled-report"
    )

    # a member's own follow-ups (the skill's default scope) are theirs to have
    own = ts.draft_automation(
        actor(engine, org), "every morning tell me who I need to follow up with"
    )
    assert own.draft["skill"] == "followups" and own.draft["can_activate"] is True
    assert ts.confirm_draft(actor(engine, org), own.id or 0).params["scope"] == "mine"
    everyone = ts.draft_automation(
        actor(engine, org), "every day at 8 send me everyone's follow-ups"
    )
    assert everyone.draft["can_activate"] is False
