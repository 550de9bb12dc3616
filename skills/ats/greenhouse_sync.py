"""Mirror one organisation's Greenhouse into its ats_* rows, so every skill reads it locally.

Listings are read in dependency order (users, jobs with their stages, candidates,
applications, interviews, offers). Each page is written in its own transaction, and a listing's
cursor (`updated_after`) moves only once the listing has been read and written to its end, to
the time the sync started less a margin for clock skew. A fault mid-sync therefore loses
nothing: the rerun reads the unfinished listing again from the old cursor and the upserts write
the same rows. A full sync (`full=True`, or a listing's first read) reads everything; after a
complete full read of candidates, those Greenhouse no longer has lose their personal fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from models.store.ats_mirror import (
    MirrorCandidate,
    MirrorJob,
    mirror_applications,
    mirror_candidates,
    mirror_interviews,
    mirror_jobs,
    mirror_offers,
    mirror_stages,
    mirror_users,
    missing,
    scrub_candidates,
)
from models.store.ats_sync import advance_cursor, all_external_ids, cursor_of, record_outcome
from models.tables.ats_sync import AtsSyncSource
from skills.ats import greenhouse_mapping as gh
from skills.ats.greenhouse_client import HarvestClient, HarvestError, Record

ENDPOINTS = ("users", "jobs", "candidates", "applications", "scheduled_interviews", "offers")
#: how far before the sync's start the next incremental read begins (clock skew, slow commits)
SKEW = timedelta(minutes=5)
#: where a stage only an application names goes in the pipeline order: after the jobs' stages
UNLISTED_STAGE_POSITION = gh.PIPELINE_END + 1


@dataclass
class SyncCounts:
    """What one sync wrote (records read and upserted, not necessarily changed)."""

    users: int = 0
    jobs: int = 0
    candidates: int = 0
    applications: int = 0
    stage_changes: int = 0
    interviews: int = 0
    offers: int = 0
    scrubbed: int = 0
    requests: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def line(self) -> str:
        return (
            f"{self.users} users matched, {self.jobs} jobs, {self.candidates} candidates, "
            f"{self.applications} applications ({self.stage_changes} stage changes), "
            f"{self.interviews} interviews, {self.offers} offers, "
            f"{self.scrubbed} removed candidates scrubbed"
        )


class GreenhouseSync:
    """One sync of one source; `client` defaults to Harvest at the source's address."""

    def __init__(
        self, engine: Engine, source: AtsSyncSource, *, client: HarvestClient | None = None
    ) -> None:
        self.engine, self.source = engine, source
        self.org_id, self.source_id = source.org_id, source.id or 0
        self.client = client or HarvestClient(source.api_key, source.base_url)
        self.counts = SyncCounts()

    # --- listings ---------------------------------------------------------------------------

    def _job(self, record: Record) -> MirrorJob | None:
        stages = self.client.get(f"jobs/{record.get('id')}/stages")
        return gh.job(record, stages if isinstance(stages, list) else [])

    def _jobs(self, page: list[Record]) -> None:
        jobs = [j for j in map(self._job, page) if j is not None]
        self.counts.jobs += mirror_jobs(self.engine, self.org_id, gh.VENDOR, jobs)

    def _candidates(self, page: list[Record]) -> None:
        candidates = [c for c in map(gh.candidate, page) if c is not None]
        self.counts.candidates += mirror_candidates(self.engine, self.org_id, gh.VENDOR, candidates)

    def _fetch_missing(self, kind: str, ids: set[str]) -> None:
        """Records an application names that the listings did not give (created while this
        sync ran); one Greenhouse no longer has leaves its applications out."""
        for external in sorted(missing(self.engine, self.org_id, gh.VENDOR, kind, ids)):
            record = self.client.get(f"{kind}s/{external}")
            if not isinstance(record, dict):
                continue
            if kind == "job":
                job = self._job(record)
                if job is not None:
                    mirror_jobs(self.engine, self.org_id, gh.VENDOR, [job])
            else:
                person: MirrorCandidate | None = gh.candidate(record)
                if person is not None:
                    mirror_candidates(self.engine, self.org_id, gh.VENDOR, [person])

    def _applications(self, page: list[Record]) -> None:
        applications = [a for a in map(gh.application, page) if a is not None]
        self._fetch_missing("candidate", {a.candidate for a in applications})
        self._fetch_missing("job", {a.job for a in applications})
        mirror_stages(
            self.engine, self.org_id, {(a.stage, UNLISTED_STAGE_POSITION) for a in applications}
        )
        written, moves = mirror_applications(self.engine, self.org_id, gh.VENDOR, applications)
        self.counts.applications += written
        self.counts.stage_changes += moves

    def _users(self, page: list[Record]) -> None:
        users = [u for u in map(gh.user, page) if u is not None]
        self.counts.users += mirror_users(self.engine, self.org_id, gh.VENDOR, users)

    def _interviews(self, page: list[Record]) -> None:
        interviews = [i for i in map(gh.interview, page) if i is not None]
        self.counts.interviews += mirror_interviews(self.engine, self.org_id, gh.VENDOR, interviews)

    def _offers(self, page: list[Record]) -> None:
        offers = [o for o in map(gh.offer, page) if o is not None]
        self.counts.offers += mirror_offers(self.engine, self.org_id, gh.VENDOR, offers)

    # --- the sync ---------------------------------------------------------------------------

    def _listing(self, endpoint: str, now: datetime, full: bool) -> set[str]:
        """Read one listing to its end; returns the ids it gave."""
        writers: dict[str, Callable[[list[Record]], None]] = {
            "users": self._users,
            "jobs": self._jobs,
            "candidates": self._candidates,
            "applications": self._applications,
            "scheduled_interviews": self._interviews,
            "offers": self._offers,
        }
        since = None if full else cursor_of(self.engine, self.source_id, endpoint)
        seen: set[str] = set()
        for page in self.client.pages(endpoint, updated_after=since):
            writers[endpoint](page)
            seen.update(str(record.get("id")) for record in page)
        advance_cursor(self.engine, self.source_id, endpoint, now - SKEW)
        return seen

    def run(self, now: datetime, *, full: bool = False) -> SyncCounts:
        """Sync every listing; a HarvestError is recorded on the source and raised."""
        try:
            for endpoint in ENDPOINTS:
                whole = full or cursor_of(self.engine, self.source_id, endpoint) is None
                seen = self._listing(endpoint, now, full)
                if endpoint == "candidates" and whole:
                    mirrored = all_external_ids(self.engine, self.org_id, gh.VENDOR, "candidate")
                    gone = [local for external, local in mirrored.items() if external not in seen]
                    self.counts.scrubbed += scrub_candidates(self.engine, gone)
        except HarvestError as error:
            record_outcome(self.engine, self.source_id, now=now, error=str(error))
            raise
        finally:
            self.counts.requests = self.client.requests
        record_outcome(self.engine, self.source_id, now=now, error=None)
        return self.counts


def sync_source(
    engine: Engine, source: AtsSyncSource, now: datetime, *, full: bool = False, **client: Any
) -> SyncCounts:
    """Sync one source (Greenhouse is the one vendor read today)."""
    harvest = HarvestClient(source.api_key, source.base_url, **client) if client else None
    return GreenhouseSync(engine, source, client=harvest).run(now, full=full)
