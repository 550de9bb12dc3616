"""Shared by the mirror tests: an organisation connected to a local Harvest peer, a sync with a
sleep recorder, the mirror as vendor ids (so two organisations' mirrors, or one before and
after, compare without local ids, whichever the vendor) and the pipeline report over it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from bench.kit.factories import make_org
from bench.kit.peers.harvest import HarvestPeer
from bench.kit.peers.lever import LeverPeer
from bench.kit.peers.local_http import serve
from models.store.ats_sync import connect_source, get_source
from models.store.orgs import create_user
from models.tables.ats_sync import AtsExternalId
from skills.ats.demo import DemoAts
from skills.ats.greenhouse_client import HarvestClient
from skills.ats.greenhouse_sync import GreenhouseSync, SyncCounts
from skills.ats.lever_client import LeverClient
from skills.ats.lever_sync import LeverSync
from skills.base import OwnerInfo, SkillContext, SkillOutput
from skills.builtin import default_registry

API_KEY = "hv-test-key-0123456789"


@dataclass
class Connected:
    engine: Engine
    org_id: int
    source_id: int
    base_url: str
    sleeps: list[float] = field(default_factory=list)
    vendor: str = "greenhouse"

    def sync(self, now: datetime, *, full: bool = False, attempts: int = 5) -> SyncCounts:
        source = get_source(self.engine, self.source_id)
        options: dict[str, Any] = {
            "per_page": 10,
            "max_attempts": attempts,
            "sleep": self.sleeps.append,
        }
        if self.vendor == "lever":
            lever = LeverClient(API_KEY, self.base_url, **options)
            return LeverSync(self.engine, source, client=lever).run(now, full=full)
        harvest = HarvestClient(API_KEY, self.base_url, **options)
        return GreenhouseSync(self.engine, source, client=harvest).run(now, full=full)


@contextmanager
def served(peer: HarvestPeer | LeverPeer) -> Iterator[str]:
    with serve(peer.handle) as url:
        yield f"{url}/v1"


def connect(
    engine: Engine, base_url: str, now: datetime, slug: str, vendor: str = "greenhouse"
) -> Connected:
    org = make_org(engine, now, slug=slug)
    create_user(engine, org_id=org.org_id, email="rita@acme.test", name="Rita", now=now)
    create_user(engine, org_id=org.org_id, email="hank@acme.test", name="Hank", now=now)
    source, _ = connect_source(
        engine, org_id=org.org_id, vendor=vendor, base_url=base_url, api_key=API_KEY, now=now
    )
    return Connected(engine, org.org_id, source.id or 0, base_url, vendor=vendor)


def _external(s: Session, org_id: int) -> dict[tuple[str, int], str]:
    rows = s.execute(
        select(
            col(AtsExternalId.kind), col(AtsExternalId.local_id), col(AtsExternalId.external_id)
        ).where(col(AtsExternalId.org_id) == org_id)
    )
    return {(kind, local): external for kind, local, external in rows}


def mirror(engine: Engine, org_id: int) -> dict[str, Any]:
    """The organisation's mirrored rows with every id given as the vendor's id (users by
    e-mail), sorted."""
    with Session(engine) as s:
        ext = _external(s, org_id)
        emails = dict(
            s.execute(text("SELECT id, email FROM users WHERE org_id = :o"), {"o": org_id})
            .tuples()
            .all()
        )

        def rows(sql: str, kinds: tuple[str | None, ...]) -> list[tuple[Any, ...]]:
            out = []
            for row in s.execute(text(sql), {"o": org_id}):
                out.append(
                    tuple(
                        emails.get(v) if kind == "user" else ext.get((kind, v)) if kind else v
                        for kind, v in zip(kinds, row, strict=True)
                    )
                )
            return sorted(out, key=repr)

        return {
            "stages": rows("SELECT name, position FROM ats_stages WHERE org_id = :o", (None, None)),
            "jobs": rows(
                "SELECT id, title, department, location, status, hiring_manager_id, recruiter_id "
                "FROM ats_jobs WHERE org_id = :o",
                ("job", None, None, None, None, "user", "user"),
            ),
            "candidates": rows(
                "SELECT id, first_name, last_name, email, phone, owner_id, last_contacted_at "
                "FROM ats_candidates WHERE org_id = :o",
                ("candidate", None, None, None, None, "user", None),
            ),
            "applications": rows(
                "SELECT id, candidate_id, job_id, stage, status, applied_at, stage_changed_at "
                "FROM ats_applications WHERE org_id = :o",
                ("application", "candidate", "job", None, None, None, None),
            ),
            "activities": rows(
                "SELECT application_id, kind, from_stage, to_stage, occurred_at "
                "FROM ats_activities WHERE org_id = :o",
                ("application", None, None, None, None),
            ),
            "interviews": rows(
                "SELECT id, application_id, interviewer_id, kind, starts_at, status, "
                "scorecard_submitted_at FROM ats_interviews WHERE org_id = :o",
                ("interview", "application", "user", None, None, None, None),
            ),
            "offers": rows(
                "SELECT id, application_id, status, start_date FROM ats_offers WHERE org_id = :o",
                ("offer", "application", None, None),
            ),
        }


def report(engine: Engine, org_id: int, now: datetime, since: datetime | None) -> SkillOutput:
    """The organisation's pipeline report over its mirror (`since`: the last run's time)."""
    ctx = SkillContext(
        org_id=org_id,
        owner=OwnerInfo(1, "admin@acme.test", "Ada Admin", "UTC"),
        params={"scope": "organization"},
        now=now,
        tz="UTC",
        triggered_by="test",
        last_success_at=since,
        trigger_data={},
        ats=DemoAts(engine, org_id),
    )
    return default_registry().get("pipeline-report").run(ctx)
