"""The demo organisation's data for every skill beyond the pipeline report: headlines, interviews,
follow-up tasks, offers, placements, a holiday calendar and an automatic nurture sequence.

Drawn from its own random stream after the core seed, so the core rows (and the reports built on
them) stay exactly what they were. Same (now, candidates, seed): same rows.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session, col

from models.tables.calendars import Holiday
from models.tables.demo_ats import (
    AtsApplication,
    AtsCandidate,
    AtsInterview,
    AtsJob,
    AtsOffer,
    AtsPlacement,
    AtsTask,
)
from models.tables.sequences import NurtureSequence, SequenceStep

HEADLINES = {  # per department; keywords the new-candidate alert can match
    "Engineering": (
        "Senior Python engineer, Django and Postgres",
        "React and TypeScript developer",
        "Full-stack engineer, Go and Kubernetes",
        "Backend engineer, payments APIs",
    ),
    "Sales": ("Enterprise SaaS account executive", "SDR team lead, fintech"),
    "Design": ("Product designer, B2B SaaS", "UX researcher and designer"),
    "Customer Success": ("Customer success manager, SaaS onboarding", "Support lead, fintech"),
    "Operations": ("Data analyst, SQL and Python", "Analytics engineer, dbt"),
}
INTERVIEW_KINDS = ("phone", "video", "onsite", "panel")
WELCOME_SEQUENCE = "New applicant welcome"


def seed_extras(
    session: Session, org_id: int, users: tuple[int, ...], now: datetime, seed: int
) -> None:
    rng = random.Random(seed * 7919 + 1)
    conn = session.connection()
    rows = conn.execute(
        select(
            col(AtsApplication.id),
            col(AtsApplication.candidate_id),
            col(AtsApplication.stage),
            col(AtsApplication.stage_changed_at),
            col(AtsCandidate.owner_id),
            col(AtsJob.department),
        )
        .join(AtsCandidate, col(AtsCandidate.id) == col(AtsApplication.candidate_id))
        .join(AtsJob, col(AtsJob.id) == col(AtsApplication.job_id))
        .where(col(AtsApplication.org_id) == org_id)
        .order_by(col(AtsApplication.id))
    ).all()
    for row in rows:
        conn.execute(
            update(AtsCandidate)
            .where(AtsCandidate.id == row.candidate_id)
            .values(headline=rng.choice(HEADLINES.get(row.department, ("Generalist",))))
        )
    interviews: list[dict[str, Any]] = []
    tasks: list[dict[str, Any]] = []
    offers: list[dict[str, Any]] = []
    placements: list[dict[str, Any]] = []
    first_upcoming = True
    for row in rows:
        base = {"org_id": org_id, "candidate_id": row.candidate_id, "application_id": row.id}
        if row.stage in ("Interview", "Offer", "Hired"):
            start = _slot(row.stage_changed_at + timedelta(hours=rng.uniform(20, 70)))
            if start < now - timedelta(hours=1):
                submitted = rng.random() < 0.6
                interviews.append(
                    {
                        **base,
                        **_interview(rng, users, start),
                        "status": "completed",
                        "scorecard_submitted_at": start + timedelta(hours=3) if submitted else None,
                        "created_at": row.stage_changed_at,
                    }
                )
        if row.stage == "Interview":
            # the first one starts in 30 minutes: the briefing's moment in the demo
            start = (
                now + timedelta(minutes=30)
                if first_upcoming
                else _slot(now + timedelta(hours=rng.uniform(2, 72)))
            )
            first_upcoming = False
            interviews.append(
                {
                    **base,
                    **_interview(rng, users, start),
                    "status": "scheduled",
                    "scorecard_submitted_at": None,
                    "created_at": now - timedelta(days=1),
                }
            )
        if row.stage not in ("Hired", "Rejected") and rng.random() < 0.35:
            due = _slot(now + timedelta(hours=rng.uniform(-72, 96)))
            done = rng.random() < 0.2
            tasks.append(
                {
                    **base,
                    "owner_id": row.owner_id,
                    "kind": "follow_up",
                    "title": rng.choice(
                        (
                            "Follow up after the screen",
                            "Send the take-home exercise",
                            "Check references",
                            "Confirm availability",
                        )
                    ),
                    "due_at": due,
                    "status": "done" if done else "open",
                    "source_key": None,
                    "created_at": due - timedelta(days=3),
                    "completed_at": due if done else None,
                }
            )
        if row.stage == "Offer":
            offers.append(
                {
                    **base,
                    "status": "extended",
                    "start_date": (now + timedelta(days=30)).date(),
                    "expires_at": _slot(now + timedelta(hours=rng.uniform(12, 240))),
                    "accepted_at": None,
                    "created_at": row.stage_changed_at,
                }
            )
        if row.stage == "Hired":
            accepted = row.stage_changed_at
            starts = (accepted + timedelta(days=14)).date()
            offers.append(
                {
                    **base,
                    "status": "accepted",
                    "start_date": starts,
                    "expires_at": None,
                    "accepted_at": accepted,
                    "created_at": accepted,
                }
            )
            contract = rng.random() < 0.6
            ends = (now + timedelta(days=rng.randint(3, 80))).date() if contract else None
            placements.append(
                {
                    **base,
                    "kind": "contract" if contract else "permanent",
                    "starts_on": starts,
                    "ends_on": ends,
                    "created_at": accepted,
                }
            )
    for table, values in (
        (AtsInterview, interviews),
        (AtsTask, tasks),
        (AtsOffer, offers),
        (AtsPlacement, placements),
    ):
        if values:
            conn.execute(insert(table), values)
    conn.execute(
        insert(Holiday),
        [{"org_id": org_id, "day": day, "name": name} for day, name in us_holidays(now.year)],
    )
    _welcome_sequence(session, org_id, now)


def _slot(moment: datetime) -> datetime:
    """Interviews and tasks start on the half hour."""
    return moment.replace(minute=30 if moment.minute >= 30 else 0, second=0, microsecond=0)


def _interview(rng: random.Random, users: tuple[int, ...], start: datetime) -> dict[str, Any]:
    kind = rng.choice(INTERVIEW_KINDS)
    return {
        "interviewer_id": rng.choice(users),
        "kind": kind,
        "starts_at": start,
        "ends_at": start + timedelta(minutes=30 if kind == "phone" else 60),
        "notes": None,
    }


def us_holidays(year: int) -> list[tuple[date, str]]:
    """A few fixed US holidays of `year` (the demo calendar; organisations edit their own)."""
    november = date(year, 11, 1)
    thanksgiving = november + timedelta(days=(3 - november.weekday()) % 7 + 21)
    return [
        (date(year, 1, 1), "New Year's Day"),
        (date(year, 7, 4), "Independence Day"),
        (date(year, 11, 11), "Veterans Day"),
        (thanksgiving, "Thanksgiving"),
        (date(year, 12, 25), "Christmas Day"),
    ]


def _welcome_sequence(session: Session, org_id: int, now: datetime) -> None:
    sequence = NurtureSequence(
        org_id=org_id,
        name=WELCOME_SEQUENCE,
        automatic=True,
        stage="Applied",
        created_at=now - timedelta(days=60),
    )
    session.add(sequence)
    session.flush()
    steps = (
        (
            0,
            "send_email",
            "Thanks for applying, {{ candidate.first_name }}",
            "Hi {{ candidate.first_name }},\n\nThanks for applying for {{ job.title }}. We read "
            "every application and will be in touch within a few days.\n\n{{ sender.name }}",
        ),
        (
            2 * 86400,
            "send_email",
            "What happens next",
            "Hi {{ candidate.first_name }},\n\nHere is how our process for {{ job.title }} works: "
            "a short screen, then interviews with the team.\n\n{{ sender.name }}",
        ),
        (3 * 86400, "create_task", "Review {{ candidate.first_name }}'s application", ""),
    )
    session.add_all(
        SequenceStep(
            sequence_id=sequence.id or 0,
            position=i,
            delay_seconds=delay,
            action_type=action,
            subject=subject,
            body=body,
        )
        for i, (delay, action, subject, body) in enumerate(steps, start=1)
    )
