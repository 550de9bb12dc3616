"""The demo a newcomer watches (`skilltick serve --demo`, `skilltick demo seed`): organisation
`demo`, seeded ATS data, a weekly pipeline report for a recruiter, and one automation of
each other trigger type, created through the tool set like any user's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from assistant.app import AppContext
from assistant.tools.toolset import Actor
from assistant.tools.views import AutomationSpec, AutomationView
from models.errors import SkilltickError
from models.store.automations import list_automations
from models.store.orgs import find_org, find_user, list_users
from models.store.polls import demo_snapshot
from models.store.system_jobs import ensure_system_jobs
from models.tables.automations import TRIGGER_TYPES
from skills.ats.seed import seed_demo

WEEKLY_REPORT = "Weekly pipeline report"
INTERVIEW_FOLLOW_UP = "Interview follow-up"


@dataclass(frozen=True)
class DemoSetup:
    org_slug: str
    admin_email: str
    member_emails: list[str]
    report: AutomationView


def ensure_demo(
    ctx: AppContext, now: datetime, *, candidates: int = 40, system_jobs: bool = True
) -> DemoSetup:
    """Seed the demo once; later calls return what is there. The organisation's system jobs
    come after the demo's own automations (`system_jobs=False`: the caller adds them)."""
    demo = seed_demo(ctx.engine, now=now, candidates=candidates)
    users = {u.id: u for u in list_users(ctx.engine, demo.org_id)}
    member = users[demo.member_ids[0]]
    actor = Actor.of(member)
    existing = demo_automations(ctx, actor)
    report = (
        existing[demo_key(WEEKLY_REPORT)]
        if demo_key(WEEKLY_REPORT) in existing
        else ctx.tools.create_automation(
            actor,
            AutomationSpec(
                name=WEEKLY_REPORT,
                skill="pipeline-report",
                params={"period": "weekly"},
                cron="0 9 * * MON",
                output_channel="email",
                to=["me"],
                origin=demo_origin(WEEKLY_REPORT),
            ),
        )
    )
    if system_jobs:
        ensure_system_jobs(ctx.engine, now, org_id=demo.org_id)
    return DemoSetup(
        org_slug="demo",
        admin_email=users[demo.admin_id].email,
        member_emails=[users[i].email for i in demo.member_ids],
        report=report,
    )


def demo_key(name: str) -> str:
    """The marker a demo automation keeps in its origin, from the name it was first given:
    a later start finds it by this however it was renamed since."""
    return name.lower().replace(" ", "-")


def demo_origin(name: str) -> dict[str, str]:
    return {"channel": "email", "via": "demo", "demo": demo_key(name)}


def demo_automations(ctx: AppContext, owner: Actor) -> dict[str, AutomationView]:
    """The demo's automations `owner` has, by their demo key; one made before the key was kept
    is known by its first name."""
    found: dict[str, AutomationView] = {}
    for record in list_automations(ctx.engine, owner.org_id, owner_id=owner.user_id):
        origin = record.origin or {}
        if origin.get("via") != "demo" or record.id is None:
            continue
        key = str(origin.get("demo") or demo_key(record.name))
        found.setdefault(key, ctx.tools.get_automation(owner, record.id))
    return found


# name -> what to create; the skill is chosen among those that declare the trigger type
EXTRA_DEMO_AUTOMATIONS: dict[str, dict[str, object]] = {
    "Daily pipeline digest": {
        "trigger_type": "cron",
        "cron": "0 8 * * MON-FRI",
        "skill": "pipeline-report",
        "params": {"period": "daily"},
    },
    # an owner-facing workflow: its email reaches the outbox at once, whatever the hour
    INTERVIEW_FOLLOW_UP: {
        "trigger_type": "event",
        "event_type": "candidate.stage_changed",
        "event_filter": {"to_stage": "Interview"},
        "skill": "workflow",
        "output_channel": "email",
        "params": {
            "actions": [
                {
                    "type": "send_email",
                    "to": "owner",
                    "subject": "{{ candidate.name }} reached Interview",
                    "body": "{{ candidate.name }} moved to Interview for {{ job.title }}. "
                    "Time to schedule their interviews and send the prep pack.",
                },
                {
                    "type": "create_task",
                    "title": "Schedule interviews for {{ candidate.name }}",
                    "due_in_days": 2,
                    "assignee": "candidate_owner",
                },
            ]
        },
    },
    # its first check looks back a week, so the seeded applicants show in the Inbox at once
    "New applicant check": {
        "trigger_type": "poll",
        "poll_interval_minutes": 15,
        "skill": "new-candidate-alert",
        "params": {"since_hours": 168},
    },
}


@dataclass(frozen=True)
class ServiceDemo:
    setup: DemoSetup
    automations: list[AutomationView]
    admin_token: str
    member_token: str


def _skill_for(ctx: AppContext, trigger_type: str) -> str | None:
    fitting = [s.name for s in ctx.tools.list_skills() if trigger_type in s.triggers]
    real = [name for name in fitting if name != "noop"]
    return next(iter(real or fitting), None)


def ensure_service_demo(ctx: AppContext, now: datetime) -> ServiceDemo:
    """Seed once; later calls add nothing but return fresh login tokens."""
    setup = ensure_demo(ctx, now, system_jobs=False)
    org = find_org(ctx.engine, setup.org_slug)
    member = Actor.of(find_user(ctx.engine, org.id or 0, setup.member_emails[0]))
    admin = Actor.of(find_user(ctx.engine, org.id or 0, setup.admin_email))
    existing = demo_automations(ctx, member)
    made: list[AutomationView] = [setup.report]
    for name, fields in EXTRA_DEMO_AUTOMATIONS.items():
        trigger_type = str(fields["trigger_type"])
        if demo_key(name) in existing:
            made.append(existing[demo_key(name)])
            continue
        if trigger_type not in TRIGGER_TYPES:
            continue
        skill = str(fields.get("skill") or _skill_for(ctx, trigger_type) or "")
        if not skill:
            continue
        channel = str(fields.get("output_channel") or ctx.registry.get(skill).spec.default_output)
        if channel == "slack" and not ctx.settings.slack.bot_token:
            channel = "in_app"  # visible in the dashboard's Inbox without Slack set up
        spec = AutomationSpec.model_validate(
            {
                **fields,
                "name": name,
                "skill": skill,
                "output_channel": channel,
                "to": ["me"],
                "origin": demo_origin(name),
            }
        )
        try:
            made.append(ctx.tools.create_automation(member, spec))
        except SkilltickError:  # a trigger type the tool set does not run yet: leave it out
            continue
    ensure_system_jobs(ctx.engine, now, org_id=org.id)
    admin_token = ctx.tools.create_api_token(admin, name="demo login").token
    member_token = ctx.tools.create_api_token(member, name="demo login").token
    return ServiceDemo(setup, made, admin_token, member_token)


@dataclass(frozen=True)
class DemoMove:
    candidate_id: int
    events: list[int]


def move_a_candidate_to_interview(ctx: AppContext, setup: DemoSetup) -> DemoMove | None:
    """Move the first demo candidate waiting in Screen to Interview, as a recruiter would in the
    ATS, so the demo's event automation fires in the first minute. None when nobody waits in
    Screen (every earlier start moved one)."""
    org = find_org(ctx.engine, setup.org_slug)
    applications: dict[str, list[dict[str, Any]]] = {}
    for app in demo_snapshot(ctx.engine, org.id or 0)["applications"].values():
        applications.setdefault(app["candidate_id"], []).append(app)
    # one application only: the move cannot pick another of theirs
    waiting = sorted(
        int(candidate)
        for candidate, (app, *more) in applications.items()
        if not more and app["status"] == "active" and app["stage"] == "Screen"
    )
    if not waiting:
        return None
    member = Actor.of(find_user(ctx.engine, org.id or 0, setup.member_emails[0]))
    candidate_id = waiting[0]
    events = ctx.tools.move_demo_candidate(member, candidate_id, "Interview")
    return DemoMove(candidate_id, [e.id for e in events])
