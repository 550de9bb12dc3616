"""Each tool-set operation's call for the audit coverage test, in an order where every one finds
what the earlier ones made (the demo organisation of make_world); a call's setup, outside the
lambda it returns, runs unwatched. A new public Toolset method gets its call here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from assistant.tools.workflows import TaskStep
from models.settings import load_settings
from models.store.inbox import add_inbox_message
from models.store.orgs import get_user
from models.tables.demo_ats import AtsCandidate
from models.tables.runs import AutomationRun
from skills.ats.seed import seed_demo

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
SECRET = "call Priya Patel about her offer"


@dataclass
class World:
    """The demo organisation, as the calls below find and leave it."""

    engine: Engine
    tools: Toolset
    admin: Actor
    member: Actor
    candidate: int
    ids: dict[str, Any] = field(default_factory=dict)

    def automation(self, name: str, **spec: Any) -> int:
        made = self.tools.create_automation(
            self.member,
            AutomationSpec(
                name=name,
                skill="reminder",
                params={"message": SECRET},
                output_channel="in_app",
                **{"cron": "0 9 * * 1", **spec},
            ),
        )
        return made.id


Call = Callable[[World], Callable[[], object]]


def _failed_run(w: World) -> int:
    run = w.tools.run_now(w.member, w.ids["auto"])
    with Session(w.engine) as s:
        s.execute(
            update(AutomationRun).where(col(AutomationRun.id) == run.id).values(status="failed")
        )
        s.commit()
    return run.id


def _draft(w: World) -> int:
    made = w.tools.draft_automation(w.member, "remind me every monday at 9 to check offers")
    assert made.id is not None
    return made.id


def _inbox_message(w: World) -> int:
    return add_inbox_message(
        w.engine,
        org_id=w.member.org_id,
        user_email=w.member.email,
        message_key="note-1",
        subject="A note",
        text="Hello",
        html=None,
        now=NOW,
    )


def _restore(w: World) -> Callable[[], object]:
    before = w.tools.snapshot(w.member, w.ids["auto"])
    w.tools.update_automation(w.member, w.ids["auto"], {"cron": "0 8 * * 1"})
    after = w.tools.snapshot(w.member, w.ids["auto"])
    return lambda: w.tools.restore(w.member, w.ids["auto"], before, after)


def _token(w: World) -> Callable[[], object]:
    w.ids["token"] = w.tools.create_api_token(w.member, name="ci")
    return lambda: w.tools.create_api_token(w.member, name="again")


def _invite(w: World) -> Callable[[], object]:
    def call() -> object:
        issued = w.tools.invite_user(w.admin, email="ivy@demo.test", name="Ivy")
        w.ids["invitation"] = issued
        return issued

    return call


# each tool's call, in an order where every one finds what it needs; setup runs unwatched
CALLS: dict[str, Call] = {
    "create_organisation": lambda w: (
        lambda: w.tools.create_organisation(
            slug="second", name="Second", admin_email="boss@second.test"
        )
    ),
    "list_organisations": lambda w: w.tools.list_organisations,
    "set_operator": lambda w: (
        lambda: w.tools.set_operator(org_slug="demo", email=w.admin.email, operator=True)
    ),
    "list_operators": lambda w: w.tools.list_operators,
    "create_automation": lambda w: lambda: w.ids.setdefault("auto", w.automation("Chase")),
    "get_automation": lambda w: lambda: w.tools.get_automation(w.member, w.ids["auto"]),
    "read_automation": lambda w: lambda: w.tools.read_automation(w.member, w.ids["auto"]),
    "automation_record": lambda w: lambda: w.tools.automation_record(w.member, w.ids["auto"]),
    "readable_automations": lambda w: lambda: w.tools.readable_automations(w.member),
    "list_automations": lambda w: lambda: w.tools.list_automations(w.member),
    "list_automations_page": lambda w: lambda: w.tools.list_automations_page(w.admin),
    "list_skills": lambda w: w.tools.list_skills,
    "update_automation": lambda w: (
        lambda: w.tools.update_automation(w.member, w.ids["auto"], {"cron": "0 7 * * 1"})
    ),
    "update_in_words": lambda w: (
        lambda: w.tools.update_in_words(w.member, w.ids["auto"], "make it 10am")
    ),
    "job_titles": lambda w: lambda: w.tools.job_titles(w.member),
    "change_recipients": lambda w: (
        lambda: w.tools.change_recipients(
            w.member, w.ids["auto"], add=["alex.admin@demo.skilltick.local"], remove=[]
        )
    ),
    "snapshot": lambda w: lambda: w.tools.snapshot(w.member, w.ids["auto"]),
    "restore": _restore,
    "pause": lambda w: lambda: w.tools.pause(w.admin, w.ids["auto"]),
    "resume": lambda w: lambda: w.tools.resume(w.member, w.ids["auto"]),
    "skip_runs": lambda w: lambda: w.tools.skip_runs(w.member, w.ids["auto"], "the next run"),
    "unskip_runs": lambda w: (
        lambda _: lambda: w.tools.unskip_runs(w.member, w.ids["auto"], "all")
    )(w.tools.skip_runs(w.member, w.ids["auto"], "the next 3 runs")),
    "skipped_runs": lambda w: lambda: w.tools.skipped_runs(w.member, w.ids["auto"]),
    "pause_until": lambda w: lambda: w.tools.pause_until(w.member, w.ids["auto"], "tomorrow"),
    "bulk": lambda w: lambda: w.tools.bulk(w.member, "resume all my automations", confirm=True),
    "run_now": lambda w: lambda: w.tools.run_now(w.member, w.ids["auto"]),
    "retry": lambda w: (lambda run_id: lambda: w.tools.retry(w.member, run_id))(_failed_run(w)),
    "test": lambda w: lambda: w.tools.test(w.member, w.ids["auto"]),
    "preview": lambda w: lambda: w.tools.preview(w.member, "my pipeline"),
    "get_run": lambda w: (
        lambda: w.tools.get_run(w.member, w.tools.history(w.member, w.ids["auto"])[0].id)
    ),
    "list_runs": lambda w: lambda: w.tools.list_runs(w.member, automation_id=w.ids["auto"]),
    "list_runs_page": lambda w: lambda: w.tools.list_runs_page(w.member, w.ids["auto"]),
    "history": lambda w: lambda: w.tools.history(w.member, w.ids["auto"]),
    "why": lambda w: lambda: w.tools.why(w.member, w.ids["auto"]),
    "backtest": lambda w: (lambda a: lambda: w.tools.backtest(w.member, a))(
        w.automation("On hire", trigger_type="event", event_type="candidate.hired", cron=None)
    ),
    "clear_history": lambda w: lambda: w.tools.clear_history(w.member, w.ids["auto"]),
    "list_audit": lambda w: lambda: w.tools.list_audit(w.member),
    "audit_answer": lambda w: lambda: w.tools.audit_answer(w.member, w.ids["auto"], "paused"),
    "understand": lambda w: lambda: w.tools.understand(w.member, "remind me daily at 9 to log"),
    "claude_reads": lambda w: lambda: w.tools.claude_reads(w.member),
    "draft_automation": lambda w: lambda: _draft(w),
    "cancel_draft": lambda w: (lambda d: lambda: w.tools.cancel_draft(w.member, d))(_draft(w)),
    "confirm_draft": lambda w: (lambda d: lambda: w.tools.confirm_draft(w.member, d))(_draft(w)),
    "confirm_draft_all": lambda w: (lambda d: lambda: w.tools.confirm_draft_all(w.member, d))(
        _draft(w)
    ),
    "draft_workflow": lambda w: (
        lambda: w.tools.draft_workflow(
            w.member, "when a candidate reaches Offer", [TaskStep(title="Prepare the contract")]
        )
    ),
    "delete": lambda w: (lambda a: lambda: w.tools.delete(w.member, a, confirm=True))(
        w.automation("Short-lived")
    ),
    "create_api_token": _token,
    "list_api_tokens": lambda w: lambda: w.tools.list_api_tokens(w.admin),
    "actor_for_token": lambda w: lambda: w.tools.actor_for_token(w.ids["token"].token),
    "login_offer": lambda w: lambda: w.tools.login_offer(w.ids["token"].token),
    "start_dashboard_session": lambda w: (
        lambda: w.ids.setdefault("session", w.tools.start_dashboard_session(w.member))
    ),
    "actor_for_session": lambda w: lambda: w.tools.actor_for_session(w.ids["session"]),
    "end_dashboard_session": lambda w: lambda: w.tools.end_dashboard_session(w.ids["session"]),
    "revoke_api_token": lambda w: lambda: w.tools.revoke_api_token(w.admin, w.ids["token"].id),
    "set_plan": lambda w: (
        lambda: w.tools.set_plan(
            w.admin, "pro" if w.tools.get_org(w.admin).plan != "pro" else "enterprise"
        )
    ),
    "get_org": lambda w: lambda: w.tools.get_org(w.member),
    "org_overview": lambda w: lambda: w.tools.org_overview(w.admin),
    "service_status": lambda w: w.tools.service_status,
    "list_inbox": lambda w: lambda: w.tools.list_inbox(w.member),
    "read_inbox": lambda w: (
        lambda: w.tools.read_inbox(w.member, w.ids.setdefault("note", _inbox_message(w)))
    ),
    "mark_inbox_unread": lambda w: lambda: w.tools.mark_inbox_unread(w.member, w.ids["note"]),
    "unread_inbox_count": lambda w: lambda: w.tools.unread_inbox_count(w.member),
    "mark_inbox_read": lambda w: lambda: w.tools.mark_inbox_read(w.member),
    "list_users": lambda w: lambda: w.tools.list_users(w.admin),
    "add_user": lambda w: lambda: w.tools.add_user(w.admin, email="pat@demo.test", name="Pat"),
    "set_user_role": lambda w: lambda: w.tools.set_user_role(w.admin, "pat@demo.test", "admin"),
    "remove_user": lambda w: lambda: w.tools.remove_user(w.admin, "pat@demo.test"),
    "invite_user": _invite,
    "list_invitations": lambda w: lambda: w.tools.list_invitations(w.admin),
    "webhook_signing_secret": lambda w: (
        lambda: Toolset(
            w.engine, load_settings(webhooks={"signing_secret": "whsec-service"}), clock=lambda: NOW
        ).webhook_signing_secret(w.admin)
    ),
    "revoke_invitation": lambda w: (
        lambda: w.tools.revoke_invitation(w.admin, w.ids["invitation"].id)
    ),
    "invitation_for_link": lambda w: (lambda link: lambda: w.tools.invitation_for_link(link))(
        w.tools.invite_user(w.admin, email="joe@demo.test").link.rsplit("/", 1)[1]
    ),
    "accept_invitation": lambda w: (lambda link: lambda: w.tools.accept_invitation(link))(
        w.tools.invite_user(w.admin, email="kim@demo.test").link.rsplit("/", 1)[1]
    ),
    "add_holiday": lambda w: lambda: w.tools.add_holiday(w.admin, "2027-01-04", "Retreat"),
    "list_holidays": lambda w: lambda: w.tools.list_holidays(w.member),
    "remove_holiday": lambda w: lambda: w.tools.remove_holiday(w.admin, "2027-01-04"),
    "list_sequences": lambda w: lambda: w.tools.list_sequences(w.member),
    "enrol_in_sequence": lambda w: (
        lambda: w.tools.enrol_in_sequence(
            w.member, w.tools.list_sequences(w.member)[0].id, w.candidate
        )
    ),
    "sequence_analytics": lambda w: lambda: w.tools.sequence_analytics(w.member),
    "remove_from_sequence": lambda w: (
        lambda: w.tools.remove_from_sequence(
            w.member, w.tools.list_sequences(w.member)[0].id, w.candidate
        )
    ),
    "add_connection": lambda w: (
        lambda: w.tools.add_connection(w.admin, "greenhouse", secret="whsec-0123456789")
    ),
    "list_connections": lambda w: lambda: w.tools.list_connections(w.admin),
    "connect_ats_sync": lambda w: (
        lambda: w.tools.connect_ats_sync(
            w.admin, "greenhouse", base_url="http://127.0.0.1:9", api_key="key"
        )
    ),
    "disconnect_ats_sync": lambda w: lambda: w.tools.disconnect_ats_sync(w.admin, "greenhouse"),
    "list_events": lambda w: lambda: w.tools.list_events(w.admin),
    "list_outbox": lambda w: lambda: w.tools.list_outbox(w.admin),
    "get_outbox_message": lambda w: (
        lambda: w.tools.get_outbox_message(w.admin, w.tools.list_outbox(w.admin).items[0].id)
    ),
    "demo_reply": lambda w: lambda: w.tools.demo_reply(w.member, w.candidate),
    "move_demo_candidate": lambda w: (
        lambda: w.tools.move_demo_candidate(w.member, w.candidate, "Screen")
    ),
}


def make_world(sqlite_engine: Engine) -> World:
    """The demo organisation with four candidates, its admin and a member, as CALLS expects."""
    demo = seed_demo(sqlite_engine, now=NOW, candidates=4)
    tools = Toolset(sqlite_engine, load_settings(), clock=lambda: NOW)
    with Session(sqlite_engine) as s:
        candidate = s.scalars(
            select(col(AtsCandidate.id)).where(col(AtsCandidate.org_id) == demo.org_id)
        ).first()
    assert candidate is not None
    return World(
        sqlite_engine,
        tools,
        Actor.of(get_user(sqlite_engine, demo.admin_id)),
        Actor.of(get_user(sqlite_engine, demo.member_ids[0])),
        candidate,
    )
