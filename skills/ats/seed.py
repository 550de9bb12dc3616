"""A reproducible demo organisation: users, jobs, candidates, applications and their history.

The same (now, candidates, seed) always gives the same rows, so tests can compare reports built
on it. All fake contact data is reserved for fiction: @example.com addresses and 555-01xx phones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from models.clock import utc
from models.engine import session_scope
from models.tables.demo_ats import (
    CLOSED_STAGES,
    DEFAULT_STAGES,
    AtsActivity,
    AtsApplication,
    AtsCandidate,
    AtsJob,
    AtsStage,
)
from models.tables.orgs import Organization, User
from skills.ats.seed_extras import seed_extras

DEMO_SLUG = "demo"
ADMIN_EMAIL = "alex.admin@demo.skilltick.local"
MEMBER_EMAILS = ("dana.recruiter@demo.skilltick.local", "sam.sourcer@demo.skilltick.local")

JOBS = (  # title, department, location
    ("Backend Engineer", "Engineering", "Remote (US)"),
    ("Frontend Engineer", "Engineering", "New York, NY"),
    ("Account Executive", "Sales", "Chicago, IL"),
    ("Product Designer", "Design", "San Francisco, CA"),
    ("Customer Success Manager", "Customer Success", "Austin, TX"),
    ("Data Analyst", "Operations", "Remote (US)"),
)
# fmt: off
FIRST_NAMES = (
    "Olivia", "Liam", "Amara", "Noah", "Priya", "Mateo", "Sofia", "Ethan", "Aisha", "Lucas",
    "Mei", "Daniel", "Fatima", "Gabriel", "Hannah", "Ibrahim", "Isabel", "Jonah", "Keiko",
    "Leonardo", "Maya", "Nikhil", "Chloe", "Omar", "Rosa", "Samuel", "Tara", "Victor", "Yara",
    "Zoe", "Andre", "Bianca", "Carlos", "Elena", "Felix", "Grace", "Hugo", "Ines", "Jamal",
    "Lena", "Marcus", "Nadia", "Oscar", "Paloma", "Quinn", "Rahul", "Sienna", "Tomas",
)
LAST_NAMES = (
    "Okafor", "Nguyen", "Garcia", "Patel", "Kowalski", "Haddad", "Johansson", "Tanaka",
    "Mensah", "Rossi", "Fischer", "Delgado", "Chen", "Murphy", "Ivanova", "Kim", "Silva",
    "Brennan", "Adeyemi", "Lindqvist", "Moreau", "Sato", "Novak", "Reyes", "Schmidt", "Walsh",
    "Hoffman", "Costa", "Banerjee", "Larsen", "Morales", "Abbott", "Yilmaz", "Duarte", "Park",
    "Sullivan", "Mbeki", "Romero", "Keller", "Ortiz",
)
LOCATIONS = (  # location, time zone
    ("Brooklyn, NY", "America/New_York"), ("Austin, TX", "America/Chicago"),
    ("Denver, CO", "America/Denver"), ("Seattle, WA", "America/Los_Angeles"),
    ("Oakland, CA", "America/Los_Angeles"), ("Chicago, IL", "America/Chicago"),
    ("Boston, MA", "America/New_York"), ("Toronto, ON", "America/Toronto"),
    ("Atlanta, GA", "America/New_York"), ("Portland, OR", "America/Los_Angeles"),
)
AREA_CODES = ("212", "312", "415", "512", "617", "720", "206", "404")
SOURCES = ("LinkedIn", "Referral", "Careers page", "Indeed", "Agency", "Sourced")
NOTES = (
    "Strong systems background; wants a hybrid role.",
    "Prefers a start date after next month.",
    "Asked about the equity package.",
    "Great portfolio, follow up on availability.",
    "Salary expectations within the band.",
)
# where applications end up; closed stages (Hired, Rejected) take the rest
FINAL_STAGE_WEIGHTS = {
    "Applied": 24, "Screen": 22, "Interview": 20, "Offer": 8, "Hired": 8, "Rejected": 18,
}
# fmt: on
STALE_SHARE = 0.25  # of active candidates: no contact for 6-20 days, for SLA reports


@dataclass(frozen=True)
class DemoOrg:
    org_id: int
    admin_id: int
    member_ids: tuple[int, ...]
    candidate_count: int


def seed_demo(engine: Engine, *, now: datetime, candidates: int = 40, seed: int = 7) -> DemoOrg:
    """Create the "demo" organisation with `candidates` candidates, or return it if it exists.

    Every timestamp is before `now`; 10,000 candidates take seconds (bulk inserts).
    """
    now = utc(now)
    existing = _existing_demo(engine)
    if existing is not None:
        return existing
    try:
        with session_scope(engine) as session:
            return _seed(session, now, candidates, random.Random(seed), seed)
    except IntegrityError:
        # another process seeded it between our check and our insert: theirs is as good
        existing = _existing_demo(engine)
        if existing is None:
            raise
        return existing


def _existing_demo(engine: Engine) -> DemoOrg | None:
    with Session(engine) as session:
        org_id = session.scalar(
            select(col(Organization.id)).where(col(Organization.slug) == DEMO_SLUG)
        )
        if org_id is None:
            return None
        users = session.execute(
            select(col(User.id), col(User.role))
            .where(col(User.org_id) == org_id)
            .order_by(col(User.id))
        ).all()
        count = session.scalar(
            select(func.count(col(AtsCandidate.id))).where(col(AtsCandidate.org_id) == org_id)
        )
    admin_id = next((uid for uid, role in users if role == "admin"), users[0][0] if users else 0)
    members = tuple(uid for uid, role in users if role != "admin")
    return DemoOrg(org_id, admin_id, members, int(count or 0))


def _seed(session: Session, now: datetime, count: int, rng: random.Random, seed: int) -> DemoOrg:
    created = now - timedelta(days=120)
    org = Organization(
        slug=DEMO_SLUG,
        name="Demo Recruiting",
        plan="pro",
        timezone="America/New_York",
        created_at=created,
    )
    session.add(org)
    session.flush()
    assert org.id is not None
    admin = User(
        org_id=org.id,
        email=ADMIN_EMAIL,
        name="Alex Admin",
        role="admin",
        timezone="America/New_York",
        created_at=created,
    )
    members = [
        User(
            org_id=org.id,
            email=email,
            name=name,
            role="member",
            timezone="America/Los_Angeles",
            created_at=created,
        )
        for email, name in zip(MEMBER_EMAILS, ("Dana Recruiter", "Sam Sourcer"), strict=True)
    ]
    session.add_all([admin, *members])
    session.add_all(
        AtsStage(org_id=org.id, name=name, position=position)
        for position, name in enumerate(DEFAULT_STAGES)
    )
    session.flush()
    member_ids = tuple(m.id for m in members if m.id is not None)
    job_ids = _insert_jobs(session, org.id, member_ids, admin.id, created)

    used_emails: set[str] = set()
    people = [_person(rng, now, i, job_ids, member_ids, used_emails) for i in range(count)]
    conn = session.connection()
    candidate_ids = conn.scalars(
        insert(AtsCandidate).returning(col(AtsCandidate.id), sort_by_parameter_order=True),
        [{"org_id": org.id, **p["candidate"]} for p in people],
    ).all()
    app_rows = [
        {"org_id": org.id, "candidate_id": cid, **p["application"]}
        for cid, p in zip(candidate_ids, people, strict=True)
    ]
    application_ids = (
        conn.scalars(
            insert(AtsApplication).returning(col(AtsApplication.id), sort_by_parameter_order=True),
            app_rows,
        ).all()
        if app_rows
        else []
    )
    activities = [
        {"org_id": org.id, "candidate_id": cid, "application_id": aid, **activity}
        for cid, aid, p in zip(candidate_ids, application_ids, people, strict=True)
        for activity in p["activities"]
    ]
    if activities:
        conn.execute(insert(AtsActivity), activities)
    assert admin.id is not None
    # interviews, tasks, offers, placements, holidays, a sequence: their own random stream
    seed_extras(session, org.id, (admin.id, *member_ids), now, seed)
    return DemoOrg(org.id, admin.id, member_ids, count)


def _insert_jobs(
    session: Session,
    org_id: int,
    member_ids: tuple[int, ...],
    admin_id: int | None,
    created: datetime,
) -> list[int]:
    jobs = [
        AtsJob(
            org_id=org_id,
            title=title,
            department=department,
            location=location,
            hiring_manager_id=admin_id,
            recruiter_id=member_ids[i % len(member_ids)],
            created_at=created + timedelta(days=i),
        )
        for i, (title, department, location) in enumerate(JOBS)
    ]
    session.add_all(jobs)
    session.flush()
    return [job.id for job in jobs if job.id is not None]


def _before(moment: datetime, rng: random.Random, low_hours: float, high_hours: float) -> datetime:
    """A minute-rounded instant between low and high hours before `moment`."""
    return (moment - timedelta(hours=rng.uniform(low_hours, high_hours))).replace(
        second=0, microsecond=0
    )


def _person(
    rng: random.Random,
    now: datetime,
    index: int,
    job_ids: list[int],
    owners: tuple[int, ...],
    used_emails: set[str],
) -> dict[str, Any]:
    """One candidate with one application and its history, as insert-ready dicts."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    location, timezone = rng.choice(LOCATIONS)
    owner = owners[index % len(owners)]
    final = rng.choices(list(FINAL_STAGE_WEIGHTS), weights=list(FINAL_STAGE_WEIGHTS.values()))[0]
    stale = final not in CLOSED_STAGES and rng.random() < STALE_SHARE

    # Fresh inbound applicants may not have been contacted at all (last contact = created_at).
    contacted = final != "Applied" or rng.random() < 0.6
    # A stale candidate's history stops 6-20 days ago; everyone else was touched recently.
    if stale:
        last_touch = _before(now, rng, 6 * 24 + 1, 20 * 24)
    else:
        last_touch = _before(now, rng, 1, 4.5 * 24)
    created_at = _before(last_touch, rng, 12, 21 * 24) if contacted else last_touch

    path = _stage_path(rng, final)
    # stage changes spread over the last three weeks, between creation and the last touch
    window_start = max(created_at, now - timedelta(days=21))
    span = (last_touch - window_start).total_seconds()
    move_times = sorted(
        (window_start + timedelta(seconds=rng.uniform(0, span))).replace(second=0, microsecond=0)
        for _ in path[1:]
    )
    activities: list[dict[str, Any]] = [_activity("sourced", created_at, owner)]
    for (before, after), at in zip(pairwise(path), move_times, strict=True):
        activities.append(_activity("stage_change", at, owner, from_stage=before, to_stage=after))

    contacts: list[datetime] = []
    if contacted:
        contacts = sorted(
            _before(last_touch, rng, 0, (last_touch - created_at).total_seconds() / 3600)
            for _ in range(rng.randint(0, 2))
        )
        contacts.append(last_touch)
        for at in contacts:
            activities.append(_activity(rng.choice(("email", "call")), at, owner))
    if rng.random() < 0.4:
        note_at = _before(last_touch, rng, 0, (last_touch - created_at).total_seconds() / 3600)
        activities.append(_activity("note", note_at, owner, body=rng.choice(NOTES)))
    activities.sort(key=lambda a: a["occurred_at"])

    status = {"Hired": "hired", "Rejected": "rejected"}.get(final, "active")
    email_user = f"{first}.{last}".lower()
    if email_user in used_emails:  # namesakes get a number, like real mailboxes do
        email_user = f"{email_user}{index}"
    used_emails.add(email_user)
    return {
        "candidate": {
            "first_name": first,
            "last_name": last,
            "email": f"{email_user}@example.com",
            "phone": f"+1-{rng.choice(AREA_CODES)}-555-01{rng.randint(0, 99):02d}",
            "location": location,
            "source": rng.choice(SOURCES),
            "headline": "",
            "owner_id": owner,
            "timezone": timezone,
            "created_at": created_at,
            "last_contacted_at": contacts[-1] if contacts else None,
        },
        "application": {
            "job_id": rng.choice(job_ids),
            "stage": final,
            "status": status,
            "priority": "high" if rng.random() < 0.15 else "normal",
            "applied_at": created_at,
            "stage_changed_at": move_times[-1] if move_times else created_at,
        },
        "activities": activities,
    }


def _stage_path(rng: random.Random, final: str) -> list[str]:
    """Stages an application went through, from Applied to `final`."""
    order = [s for s in DEFAULT_STAGES if s not in CLOSED_STAGES]  # Applied .. Offer
    if final == "Rejected":
        return [*order[: rng.randint(1, 3)], "Rejected"]
    if final == "Hired":
        return [*order, "Hired"]
    return order[: order.index(final) + 1]


def _activity(
    kind: str,
    at: datetime,
    user_id: int,
    *,
    from_stage: str | None = None,
    to_stage: str | None = None,
    body: str | None = None,
) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "kind": kind,
        "from_stage": from_stage,
        "to_stage": to_stage,
        "body": body,
        "occurred_at": at,
    }
