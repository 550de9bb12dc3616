"""What an in-memory ATS holds: one organisation's records as plain dataclasses, named as the
demo tables' columns (so the same records can be written to a database), and a sample
organisation with something for every built-in skill to report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from models.tables.demo_ats import DEFAULT_STAGES

#: when a record says nothing of its creation (the jobs' opening, the offers' making)
CREATED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class User:
    id: int
    name: str
    email: str
    slack_user_id: str | None = None
    timezone: str | None = None


@dataclass(frozen=True)
class Job:
    id: int
    title: str
    department: str = ""
    location: str = ""
    status: str = "open"
    hiring_manager_id: int | None = None
    recruiter_id: int | None = None
    created_at: datetime = CREATED


@dataclass
class Candidate:
    id: int
    first_name: str
    last_name: str
    email: str
    created_at: datetime
    phone: str = ""
    location: str = ""
    source: str = ""
    headline: str = ""
    owner_id: int | None = None
    timezone: str | None = None
    last_contacted_at: datetime | None = None


@dataclass
class Application:
    id: int
    candidate_id: int
    job_id: int
    stage: str
    applied_at: datetime
    status: str = "active"
    priority: str = "normal"
    stage_changed_at: datetime | None = None  # when it entered its stage (sample_ats sets it)


@dataclass(frozen=True)
class Activity:
    id: int
    candidate_id: int
    kind: str
    occurred_at: datetime
    application_id: int | None = None
    user_id: int | None = None
    from_stage: str | None = None
    to_stage: str | None = None


@dataclass(frozen=True)
class Interview:
    id: int
    candidate_id: int
    application_id: int
    starts_at: datetime
    ends_at: datetime
    interviewer_id: int | None = None
    kind: str = "video"
    status: str = "scheduled"
    scorecard_submitted_at: datetime | None = None


@dataclass(frozen=True)
class Task:
    id: int
    title: str
    due_at: datetime
    owner_id: int | None = None
    candidate_id: int | None = None
    application_id: int | None = None
    kind: str = "follow_up"
    status: str = "open"
    source_key: str | None = None


@dataclass(frozen=True)
class Offer:
    id: int
    candidate_id: int
    application_id: int
    status: str = "extended"
    start_date: date | None = None
    expires_at: datetime | None = None
    accepted_at: datetime | None = None
    created_at: datetime = CREATED


@dataclass(frozen=True)
class Placement:
    id: int
    candidate_id: int
    application_id: int
    starts_on: date
    kind: str = "permanent"
    ends_on: date | None = None


@dataclass
class AtsData:
    """One organisation's ATS. `stages` in pipeline order."""

    stages: list[str] = field(default_factory=lambda: list(DEFAULT_STAGES))
    users: list[User] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    interviews: list[Interview] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    offers: list[Offer] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)


DANA, SAM, ALEX = 1, 2, 3  # the sample organisation's users: two recruiters and a manager

_PEOPLE = (  # first, last, location, source, headline, owner, time zone
    ("Ada", "Lovelace", "London", "referral", "Senior Python engineer", DANA, "Europe/London"),
    ("Grace", "Hopper", "Remote", "linkedin", "Compiler engineer, Python and Go", DANA, None),
    ("Alan", "Turing", "Manchester", "careers_page", "Data analyst, SQL", SAM, "Europe/London"),
    ("Katherine", "Johnson", "Remote", "sourced", "Backend engineer, payments", SAM, None),
    ("Edsger", "Dijkstra", "Austin", "referral", "Full-stack engineer", DANA, "America/Chicago"),
    ("Barbara", "Liskov", "Boston", "linkedin", "Platform engineer, Python", SAM, None),
    ("Linus", "Pauling", "Remote", "agency", "Analytics engineer, dbt", DANA, None),
    ("Hedy", "Lamarr", "Los Angeles", "sourced", "Product designer", SAM, None),
)
# per candidate: job, stage, status, priority, days since applied, days since last contact
_APPLICATIONS = (
    (1, "Interview", "active", "high", 20, 9),
    (1, "Screen", "active", "normal", 3, None),
    (2, "Applied", "active", "normal", 1, None),
    (2, "Offer", "active", "high", 30, 2),
    (1, "Applied", "active", "normal", 12, 12),
    (1, "Hired", "hired", "normal", 90, 40),
    (3, "Screen", "active", "normal", 2, 1),
    (3, "Rejected", "rejected", "normal", 25, 20),
)


def sample_ats(now: datetime) -> AtsData:
    """A small organisation around `now` (UTC, on the hour): every stage, stage moves in the
    last week, stale candidates, interviews just before and after `now`, open tasks, offers
    and a contract placement ending soon."""
    data = AtsData(
        users=[
            User(DANA, "Dana Recruiter", "dana@sample.test", "U0DANA", "America/Los_Angeles"),
            User(SAM, "Sam Sourcer", "sam@sample.test", None, "America/New_York"),
            User(ALEX, "Alex Manager", "alex@sample.test", None, None),
        ],
        jobs=[
            Job(1, "Backend Engineer", "Engineering", "Remote", "open", ALEX, DANA),
            Job(2, "Data Analyst", "Operations", "London", "open", ALEX, SAM),
            Job(3, "Product Designer", "Design", "New York", "closed", None, SAM),
        ],
    )
    for number, (person, app) in enumerate(zip(_PEOPLE, _APPLICATIONS, strict=True), start=1):
        first, last, location, source, headline, owner, tz = person
        job_id, stage, status, priority, applied_days, contact_days = app
        applied = now - timedelta(days=applied_days, hours=number)
        data.candidates.append(
            Candidate(
                id=number,
                first_name=first,
                last_name=last,
                email=f"{first.lower()}@candidates.test",
                created_at=applied,
                phone=f"+1 555-01{number:02d}",
                location=location,
                source=source,
                headline=headline,
                owner_id=owner,
                timezone=tz,
                last_contacted_at=None
                if contact_days is None
                else now - timedelta(days=contact_days, hours=number),
            )
        )
        data.applications.append(
            Application(number, number, job_id, stage, applied, status, priority)
        )
    _add_history(data, now)
    for application in data.applications:
        entered = [
            a.occurred_at
            for a in data.activities
            if a.application_id == application.id and a.to_stage == application.stage
        ]
        application.stage_changed_at = max(entered, default=application.applied_at)
    _add_records(data, now)
    return data


def _add_history(data: AtsData, now: datetime) -> None:
    moves = (  # candidate, from, to, days ago, by
        (1, "Applied", "Screen", 8, DANA),
        (1, "Screen", "Interview", 3, DANA),
        (4, "Interview", "Offer", 2, SAM),
        (2, None, "Applied", 3, None),
        (6, "Offer", "Hired", 5, DANA),
        (8, "Screen", "Rejected", 1, SAM),
        (7, "Applied", "Screen", 1, SAM),
    )
    for candidate, before, after, days, user in moves:
        data.activities.append(
            Activity(
                len(data.activities) + 1,
                candidate,
                "stage_change",
                now - timedelta(days=days, hours=candidate),
                application_id=candidate,
                user_id=user,
                from_stage=before,
                to_stage=after,
            )
        )
    others = (  # candidate, kind, hours ago, by
        (3, "sourced", 10, SAM),
        (4, "sourced", 30, SAM),
        (1, "email", 5, DANA),
        (2, "call", 7, DANA),
        (5, "email", 20, DANA),
        (7, "reply", 2, None),
        (4, "call", 1, SAM),
        (1, "note", 50, DANA),
    )
    for candidate, kind, hours, user in others:
        data.activities.append(
            Activity(
                len(data.activities) + 1,
                candidate,
                kind,
                now - timedelta(hours=hours),
                application_id=candidate,
                user_id=user,
            )
        )


def _add_records(data: AtsData, now: datetime) -> None:
    today = now.date()
    data.interviews += [
        Interview(1, 1, 1, now + timedelta(minutes=30), now + timedelta(minutes=90), DANA),
        Interview(
            2,
            1,
            1,
            now - timedelta(days=6),
            now - timedelta(days=6, minutes=-45),
            SAM,
            "phone",
            "completed",
            now - timedelta(days=5),
        ),
        Interview(
            3, 4, 4, now - timedelta(hours=3), now - timedelta(hours=2), DANA, "onsite", "completed"
        ),
        Interview(4, 7, 7, now + timedelta(days=2), now + timedelta(days=2, hours=1), SAM, "panel"),
        Interview(
            5, 5, 5, now - timedelta(hours=5), now - timedelta(hours=4), DANA, "video", "cancelled"
        ),
    ]
    data.tasks += [
        Task(1, "Chase references", now - timedelta(days=2), DANA, 1, 1),
        Task(2, "Send the take-home", now + timedelta(hours=3), DANA, 2, 2),
        Task(3, "Book the debrief", now - timedelta(hours=1), SAM, None, None, "admin"),
        Task(4, "Already done", now - timedelta(days=1), DANA, 3, 3, status="done"),
        Task(5, "Next week", now + timedelta(days=7), SAM, 4, 4),
    ]
    data.offers += [
        Offer(
            1,
            4,
            4,
            "extended",
            today + timedelta(days=30),
            now + timedelta(days=3),
            created_at=now - timedelta(days=2),
        ),
        Offer(
            2,
            6,
            6,
            "accepted",
            today - timedelta(days=20),
            now - timedelta(days=40),
            now - timedelta(days=45),
            now - timedelta(days=50),
        ),
        Offer(
            3, 2, 2, "declined", None, now - timedelta(days=10), created_at=now - timedelta(days=24)
        ),
        Offer(
            4,
            1,
            1,
            "extended",
            today + timedelta(days=45),
            now + timedelta(days=20),
            created_at=now - timedelta(days=1),
        ),
    ]
    data.placements += [
        Placement(1, 6, 6, today - timedelta(days=200), "contract", today + timedelta(days=10)),
        Placement(2, 8, 8, today - timedelta(days=400), "permanent", None),
        Placement(3, 3, 3, today - timedelta(days=100), "contract", today + timedelta(days=60)),
    ]
