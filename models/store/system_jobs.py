"""The organisation's fixed jobs: sequences, follow-ups, the scheduled report and renewal
reminders, stored as automations marked `system` and run by the tick like any other.

Each organisation has exactly one of each, owned by its first admin. The sequence job is on
from the start (it only acts on enrolments someone made, and sleeps until one is due); the
three that send mail are created paused, ready for an admin to resume, so a new organisation
receives nothing it did not ask for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.engine import read_only, session_scope
from models.tables.automations import Automation
from models.tables.orgs import Organization, User

#: why a mail-sending system job is paused when it is created
OFF_UNTIL_RESUMED = "system job: off until an admin resumes it"
SEQUENCE_SKILL = "nurture-sequence"


@dataclass(frozen=True)
class SystemJob:
    skill: str
    name: str
    description: str
    cron: str
    enabled: bool
    output_channel: str = "email"
    params: dict[str, Any] = field(default_factory=dict)


SYSTEM_JOBS: tuple[SystemJob, ...] = (
    SystemJob(
        skill=SEQUENCE_SKILL,
        name="Nurture sequences",
        description="Sends each enrolment's due step; wakes whenever a step is due.",
        cron="* * * * *",
        enabled=True,
        output_channel="noop",
    ),
    SystemJob(
        skill="followups",
        name="Follow-ups due",
        description="Everyone's follow-up tasks due today or overdue, weekday mornings.",
        cron="0 8 * * MON-FRI",
        enabled=False,
        params={"scope": "organization", "skip_when_empty": True},
    ),
    SystemJob(
        skill="scheduled-report",
        name="Weekly hiring report",
        description="The organisation's pipeline report, Mondays at 9:00.",
        cron="0 9 * * MON",
        enabled=False,
        params={"report": "pipeline-report", "scope": "organization"},
    ),
    SystemJob(
        skill="renewal-reminders",
        name="Renewal reminders",
        description="Contracts ending and offers expiring soon, Mondays at 9:00.",
        cron="0 9 * * MON",
        enabled=False,
    ),
)
SYSTEM_SKILLS: frozenset[str] = frozenset(job.skill for job in SYSTEM_JOBS)


def _job_row(job: SystemJob, org: Organization, owner_id: int, now: datetime) -> Automation:
    return Automation(
        org_id=org.id or 0,
        owner_id=owner_id,
        name=job.name,
        description=job.description,
        skill=job.skill,
        params=dict(job.params),
        cron_expression=job.cron,
        timezone=org.timezone,
        output_channel=job.output_channel,
        output_config={"to": ["me"]},
        enabled=job.enabled,
        status="idle" if job.enabled else "paused",
        paused_reason=None if job.enabled else OFF_UNTIL_RESUMED,
        system=True,
        # a paused job is scheduled when resumed; the sequence job when an enrolment is due
        next_run_at=None,
        origin={"channel": "system"},
        created_at=now,
        updated_at=now,
    )


def ensure_system_jobs(engine: Engine, now: datetime, *, org_id: int | None = None) -> int:
    """Create the system jobs an organisation lacks (every organisation, or `org_id`'s).
    Idempotent; an organisation without an admin gets them when its first admin is added.
    Returns how many jobs were created."""
    created = 0
    with session_scope(engine) as s:
        orgs = select(Organization)
        if org_id is not None:
            orgs = orgs.where(Organization.id == org_id)
        for org in s.exec(orgs.order_by(col(Organization.id))):
            have = set(
                s.exec(
                    select(Automation.skill).where(
                        Automation.org_id == org.id, col(Automation.system).is_(True)
                    )
                )
            )
            missing = [job for job in SYSTEM_JOBS if job.skill not in have]
            if not missing:
                continue
            owner_id = s.exec(
                select(User.id)
                .where(User.org_id == org.id, User.role == "admin")
                .order_by(col(User.id))
            ).first()
            if owner_id is None:
                continue
            s.add_all(_job_row(job, org, owner_id, now) for job in missing)
            created += len(missing)
    return created


def list_system_jobs(engine: Engine, org_id: int) -> list[Automation]:
    with Session(read_only(engine), expire_on_commit=False) as s:
        return list(
            s.exec(
                select(Automation)
                .where(Automation.org_id == org_id, col(Automation.system).is_(True))
                .order_by(col(Automation.id))
            )
        )


def wake_sequence_job(session: Session, org_id: int, due: datetime) -> None:
    """Make the organisation's sequence job due by `due` (a step was scheduled), in the
    caller's transaction. A paused job stays paused: its steps wait for it."""
    # on the job's own minute grid, so waking it is not read as minutes it missed
    minute = due.replace(second=0, microsecond=0)
    if minute < due:
        minute += timedelta(minutes=1)
    session.execute(
        update(Automation)
        .where(
            col(Automation.org_id) == org_id,
            col(Automation.system).is_(True),
            col(Automation.skill) == SEQUENCE_SKILL,
            col(Automation.enabled).is_(True),
            or_(col(Automation.next_run_at).is_(None), col(Automation.next_run_at) > minute),
        )
        .values(next_run_at=minute)
    )
