"""Building test data through the store API (no SQL in tests unless a test is about SQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from models.store.automations import add_automation
from models.store.orgs import create_org, create_user
from models.tables.automations import Automation
from worker.schedule.for_automation import first_run_at


@dataclass(frozen=True)
class OrgFixture:
    org_id: int
    admin_id: int
    member_id: int
    admin_email: str
    member_email: str


def make_org(
    engine: Engine,
    now: datetime,
    *,
    slug: str = "acme",
    plan: str = "enterprise",
    timezone: str = "UTC",
) -> OrgFixture:
    org = create_org(engine, slug=slug, name=slug.title(), now=now, plan=plan, timezone=timezone)
    admin = create_user(
        engine,
        org_id=org.id or 0,
        email=f"admin@{slug}.test",
        name="Ada Admin",
        role="admin",
        now=now,
    )
    member = create_user(
        engine,
        org_id=org.id or 0,
        email=f"member@{slug}.test",
        name="Max Member",
        role="member",
        now=now,
    )
    return OrgFixture(org.id or 0, admin.id or 0, member.id or 0, admin.email, member.email)


def make_automation(
    engine: Engine,
    org: OrgFixture,
    now: datetime,
    *,
    cron: str | None = "0 9 * * *",
    rrule: str | None = None,
    once: datetime | None = None,
    tz: str = "UTC",
    skill: str = "noop",
    channel: str = "noop",
    to: list[str] | None = None,
    owner_id: int | None = None,
    **fields: Any,
) -> Automation:
    """An enabled cron automation whose next_run_at is its first fire after `now`."""
    auto = Automation(
        org_id=org.org_id,
        owner_id=owner_id or org.member_id,
        name=fields.pop("name", f"{skill} {cron or rrule or once}"),
        skill=skill,
        cron_expression=cron if rrule is None and once is None else None,
        rrule=rrule,
        run_once_at=once,
        timezone=tz,
        output_channel=channel,
        output_config={"to": to or ["me"]},
        created_at=now,
        updated_at=now,
        **fields,
    )
    if "next_run_at" not in fields:
        auto.next_run_at = first_run_at(auto, now)
    return add_automation(engine, auto)
