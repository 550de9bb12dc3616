"""The demo a newcomer watches: organisation `demo`, seeded ATS data, and a weekly pipeline
report for a recruiter (through the tool set, like any user's automation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from assistant.app import AppContext
from assistant.tools import Actor
from assistant.views import AutomationSpec, AutomationView
from models import records
from skills import seed_demo

WEEKLY_REPORT = "Weekly pipeline report"


@dataclass(frozen=True)
class DemoSetup:
    org_slug: str
    admin_email: str
    member_emails: list[str]
    report: AutomationView


def ensure_demo(ctx: AppContext, now: datetime, *, candidates: int = 40) -> DemoSetup:
    """Seed the demo once; later calls return what is there."""
    demo = seed_demo(ctx.engine, now=now, candidates=candidates)
    users = {u.id: u for u in records.list_users(ctx.engine, demo.org_id)}
    member = users[demo.member_ids[0]]
    actor = Actor.of(member)
    existing = [v for v in ctx.tools.list_automations(actor) if v.name == WEEKLY_REPORT]
    report = existing[0] if existing else ctx.tools.create_automation(
        actor,
        AutomationSpec(
            name=WEEKLY_REPORT, skill="pipeline-report", params={"period": "weekly"},
            cron="0 9 * * MON", output_channel="email", to=["me"],
            origin={"channel": "email", "via": "demo"},
        ),
    )
    return DemoSetup(
        org_slug="demo",
        admin_email=users[demo.admin_id].email,
        member_emails=[users[i].email for i in demo.member_ids],
        report=report,
    )
