"""Writing a vendor's records into the organisation's ats_* rows, keyed by (organisation,
vendor, kind, vendor id) through ats_external_ids. Each call is one transaction (a page), so a
fault loses at most the page in hand and a rerun writes the same rows again: an upsert never
duplicates. An application whose stage differs from the mirrored one gets a stage_change
activity, what pipeline reports count. Vendor records arrive as the dataclasses below, so any
ATS's mapping writes through the same code.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import func
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from models.store.ats_sync import local_ids, remember, repoint
from models.tables.demo_ats import (
    AtsActivity,
    AtsApplication,
    AtsCandidate,
    AtsInterview,
    AtsJob,
    AtsOffer,
    AtsStage,
)
from models.tables.orgs import User

Row = TypeVar("Row", bound=SQLModel)


@dataclass(frozen=True)
class MirrorUser:
    external_id: str
    email: str


@dataclass(frozen=True)
class MirrorJob:
    external_id: str
    title: str
    department: str
    location: str
    status: str
    created_at: datetime
    hiring_manager: str | None  # a vendor user id
    recruiter: str | None
    stages: tuple[tuple[str, int], ...]  # (name, position in the job's pipeline)


@dataclass(frozen=True)
class MirrorCandidate:
    external_id: str
    first_name: str
    last_name: str
    email: str
    phone: str
    location: str
    source: str
    headline: str
    owner: str | None  # a vendor user id
    created_at: datetime
    last_activity_at: datetime | None


@dataclass(frozen=True)
class MirrorApplication:
    external_id: str
    candidate: str
    job: str
    stage: str
    status: str  # active | hired | rejected | withdrawn
    applied_at: datetime
    moved_at: datetime  # when a stage found changed is taken to have changed
    # a hired application's hire, where the vendor says when it was (else its stage's change)
    hired_at: datetime | None = None


@dataclass(frozen=True)
class MirrorInterview:
    external_id: str
    application: str
    interviewer: str | None  # a vendor user id
    kind: str
    starts_at: datetime
    ends_at: datetime
    status: str  # scheduled | completed | cancelled
    scorecard_submitted_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class MirrorOffer:
    external_id: str
    application: str
    status: str  # extended | accepted | declined | expired
    start_date: date | None
    accepted_at: datetime | None
    created_at: datetime


def _plain(value: str, limit: int) -> str:
    """Text from the ATS as its column keeps it: cut to `limit`, without NUL characters, which
    PostgreSQL refuses (one candidate typing one would stop every sync holding them)."""
    return value.replace("\x00", "")[:limit]


def _rows(s: Session, model: type[Row], ids: Collection[int]) -> dict[int, Row]:
    """The rows of `model` with these ids, in one query (a page's worth, not one at a time)."""
    if not ids:
        return {}
    key = sa_inspect(model).primary_key[0]  # every mirrored table's is its id
    found = s.exec(select(model).where(key.in_(list(ids))))
    return {int(getattr(row, key.name)): row for row in found}


def _applications(
    s: Session, org_id: int, vendor: str, external_ids: Collection[str]
) -> dict[str, AtsApplication]:
    """The mirrored applications among these vendor ids, by vendor id."""
    local = local_ids(s, org_id, vendor, "application", external_ids)
    rows = _rows(s, AtsApplication, set(local.values()))
    return {external: rows[i] for external, i in local.items() if i in rows}


def _upsert(
    s: Session,
    org_id: int,
    vendor: str,
    kind: str,
    model: type[Row],
    rows: Sequence[tuple[str, dict[str, Any]]],
) -> dict[str, int]:
    """Update the mirrored rows, insert (and remember) the others; vendor id to local id."""
    known = local_ids(s, org_id, vendor, kind, [external for external, _ in rows])
    stored = _rows(s, model, set(known.values()))
    for external, values in rows:
        local = known.get(external)
        row = stored.get(local) if local is not None else None
        if row is None:
            row = model(org_id=org_id, **values)
            s.add(row)
            s.flush()
            local = int(getattr(row, "id", 0) or 0)
            if external in known:
                repoint(s, org_id, vendor, kind, external, local)
            else:
                remember(s, org_id, vendor, kind, external, local)
            known[external] = local
        else:
            for name, value in values.items():
                setattr(row, name, value)
            s.add(row)
    return known


def missing(engine: Engine, org_id: int, vendor: str, kind: str, ids: set[str]) -> set[str]:
    """Which of these vendor records are not mirrored yet."""
    with Session(engine) as s:
        return ids - set(local_ids(s, org_id, vendor, kind, ids))


def mirror_users(engine: Engine, org_id: int, vendor: str, users: Sequence[MirrorUser]) -> int:
    """Map the vendor's users onto the organisation's users with the same e-mail address (no
    user is created: who may use skilltick stays the admins' choice). Returns how many match."""
    by_email = {u.email.strip().lower(): u for u in users if u.email.strip()}
    if not by_email:
        return 0
    with Session(engine) as s:
        matched = {
            email.lower(): user_id
            for user_id, email in s.execute(
                select(col(User.id), col(User.email)).where(
                    col(User.org_id) == org_id, func.lower(col(User.email)).in_(list(by_email))
                )
            ).tuples()
        }
        known = local_ids(s, org_id, vendor, "user", [u.external_id for u in by_email.values()])
        for email, user_id in matched.items():
            external = by_email[email].external_id
            if external not in known:
                remember(s, org_id, vendor, "user", external, int(user_id or 0))
            elif known[external] != user_id:  # removed and added again: a new user row
                repoint(s, org_id, vendor, "user", external, int(user_id or 0))
        s.commit()
    return len(matched)


def _user_ids(s: Session, org_id: int, vendor: str, ids: Sequence[str | None]) -> dict[str, int]:
    """The organisation's users these vendor users are; a user removed from skilltick since
    (the id map has no foreign key) is no one."""
    mapped = local_ids(s, org_id, vendor, "user", {i for i in ids if i is not None})
    present = set(
        s.exec(
            select(col(User.id)).where(
                col(User.org_id) == org_id, col(User.id).in_(list(mapped.values()))
            )
        ).all()
    )
    return {external: local for external, local in mapped.items() if local in present}


def _ensure_stages(s: Session, org_id: int, stages: set[tuple[str, int]]) -> None:
    present = set(s.exec(select(col(AtsStage.name)).where(col(AtsStage.org_id) == org_id)).all())
    for said, position in sorted(stages, key=lambda stage: (stage[1], stage[0])):
        name = _plain(said, 60)
        if name and name not in present:
            s.add(AtsStage(org_id=org_id, name=name, position=position))
            present.add(name)


def mirror_jobs(engine: Engine, org_id: int, vendor: str, jobs: Sequence[MirrorJob]) -> int:
    with Session(engine) as s:
        users = _user_ids(
            s, org_id, vendor, [j.hiring_manager for j in jobs] + [j.recruiter for j in jobs]
        )
        rows = [
            (
                j.external_id,
                {
                    "title": _plain(j.title, 200),
                    "department": _plain(j.department, 100),
                    "location": _plain(j.location, 100),
                    "status": _plain(j.status, 20),
                    "hiring_manager_id": users.get(j.hiring_manager or ""),
                    "recruiter_id": users.get(j.recruiter or ""),
                    "created_at": j.created_at,
                },
            )
            for j in jobs
        ]
        _upsert(s, org_id, vendor, "job", AtsJob, rows)
        _ensure_stages(s, org_id, {stage for j in jobs for stage in j.stages})
        s.commit()
    return len(jobs)


def mirror_stages(engine: Engine, org_id: int, stages: set[tuple[str, int]]) -> None:
    """Stages an application names that no job listed (a stage since removed)."""
    with Session(engine) as s:
        _ensure_stages(s, org_id, stages)
        s.commit()


def mirror_candidates(
    engine: Engine, org_id: int, vendor: str, candidates: Sequence[MirrorCandidate]
) -> int:
    with Session(engine) as s:
        users = _user_ids(s, org_id, vendor, [c.owner for c in candidates])
        rows = [
            (
                c.external_id,
                {
                    "first_name": _plain(c.first_name, 100),
                    "last_name": _plain(c.last_name, 100),
                    "email": _plain(c.email, 320),
                    "phone": _plain(c.phone, 40),
                    "location": _plain(c.location, 100),
                    "source": _plain(c.source, 60),
                    "headline": _plain(c.headline, 300),
                    "owner_id": users.get(c.owner or ""),
                    "created_at": c.created_at,
                    "last_contacted_at": c.last_activity_at,
                },
            )
            for c in candidates
        ]
        _upsert(s, org_id, vendor, "candidate", AtsCandidate, rows)
        s.commit()
    return len(candidates)


def mirror_applications(
    engine: Engine, org_id: int, vendor: str, applications: Sequence[MirrorApplication]
) -> tuple[int, int]:
    """Returns (applications written, stage changes found). Applications whose candidate or
    job is not mirrored are left out (the caller mirrors those first)."""
    moves = 0
    with Session(engine) as s:
        candidates = local_ids(s, org_id, vendor, "candidate", {a.candidate for a in applications})
        jobs = local_ids(s, org_id, vendor, "job", {a.job for a in applications})
        present = [a for a in applications if a.candidate in candidates and a.job in jobs]
        known = _applications(s, org_id, vendor, [a.external_id for a in present])
        rows: list[tuple[str, dict[str, Any]]] = []
        for a in present:
            values: dict[str, Any] = {
                "candidate_id": candidates[a.candidate],
                "job_id": jobs[a.job],
                "stage": _plain(a.stage, 60),
                "status": _plain(a.status, 20),
                "applied_at": a.applied_at,
            }
            old = known.get(a.external_id)
            hired = a.hired_at if a.status == "hired" else None
            moved = hired or a.moved_at
            if old is None or hired is not None:
                values["stage_changed_at"] = moved  # hiring may keep the stage it was in
            if old is not None and old.stage != values["stage"]:
                values["stage_changed_at"] = moved
                s.add(
                    AtsActivity(
                        org_id=org_id,
                        candidate_id=candidates[a.candidate],
                        application_id=old.id,
                        kind="stage_change",
                        from_stage=old.stage,
                        to_stage=values["stage"],
                        occurred_at=moved,
                    )
                )
                moves += 1
            rows.append((a.external_id, values))
        _upsert(s, org_id, vendor, "application", AtsApplication, rows)
        s.commit()
    return len(present), moves


def mirror_interviews(
    engine: Engine, org_id: int, vendor: str, interviews: Sequence[MirrorInterview]
) -> int:
    with Session(engine) as s:
        apps = _applications(s, org_id, vendor, {i.application for i in interviews})
        users = _user_ids(s, org_id, vendor, [i.interviewer for i in interviews])
        rows: list[tuple[str, dict[str, Any]]] = []
        for i in interviews:
            app = apps.get(i.application)
            if app is None:
                continue
            rows.append(
                (
                    i.external_id,
                    {
                        "candidate_id": app.candidate_id,
                        "application_id": app.id,
                        "interviewer_id": users.get(i.interviewer or ""),
                        "kind": _plain(i.kind, 30),
                        "starts_at": i.starts_at,
                        "ends_at": i.ends_at,
                        "status": _plain(i.status, 20),
                        "scorecard_submitted_at": i.scorecard_submitted_at,
                        "created_at": i.created_at,
                    },
                )
            )
        _upsert(s, org_id, vendor, "interview", AtsInterview, rows)
        s.commit()
    return len(rows)


def mirror_offers(engine: Engine, org_id: int, vendor: str, offers: Sequence[MirrorOffer]) -> int:
    with Session(engine) as s:
        apps = _applications(s, org_id, vendor, {o.application for o in offers})
        rows: list[tuple[str, dict[str, Any]]] = []
        for o in offers:
            app = apps.get(o.application)
            if app is None:
                continue
            rows.append(
                (
                    o.external_id,
                    {
                        "candidate_id": app.candidate_id,
                        "application_id": app.id,
                        "status": _plain(o.status, 20),
                        "start_date": o.start_date,
                        "accepted_at": o.accepted_at,
                        "created_at": o.created_at,
                    },
                )
            )
        _upsert(s, org_id, vendor, "offer", AtsOffer, rows)
        s.commit()
    return len(rows)


def scrub_candidates(engine: Engine, candidate_ids: Sequence[int]) -> int:
    """Blank the personal fields of candidates the vendor no longer has (deleted or
    anonymised there); their applications stay, nameless, so counts over time hold."""
    scrubbed = 0
    with Session(engine) as s:
        for candidate_id in candidate_ids:
            row = s.get(AtsCandidate, candidate_id)
            if row is None or (not row.first_name and not row.last_name and not row.email):
                continue
            row.first_name = row.last_name = row.email = row.phone = row.location = ""
            row.headline, row.timezone = "", None
            s.add(row)
            scrubbed += 1
        s.commit()
    return scrubbed
