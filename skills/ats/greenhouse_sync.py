"""Mirror one organisation's Greenhouse into its ats_* rows, so every skill reads it locally.

Listings are read in dependency order (users, jobs with their stages, candidates,
applications, interviews, offers) by skills.ats.mirror_sync, which says how a fault mid-sync
loses nothing. A full sync (`full=True`, or a listing's first read) reads everything; after a
complete full read of candidates, those Greenhouse no longer has lose their personal fields.

A hire is dated by the offer its application accepted (the offer's `resolved_at`, through
skills.ats.offer_dated_hires): Harvest's
applications do not say when they were hired, and their `last_activity_at` moves with any
later note or e-mail. Whichever of the two the sync sees last dates it: a hired application by
its offer accepted before, an accepted offer its application hired before. A hire without an
accepted offer keeps its last activity (or the change to its stage), as before. The offer's
`starts_at` is the first working day, not the hire, and is not used for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from models.store.ats_mirror import MirrorCandidate, MirrorJob
from models.tables.ats_sync import AtsSyncSource
from skills.ats import greenhouse_mapping as gh
from skills.ats.greenhouse_client import HarvestClient, Record
from skills.ats.mirror_sync import SyncCounts
from skills.ats.offer_dated_hires import OfferDatedHires

__all__ = ["ENDPOINTS", "GreenhouseSync", "SyncCounts", "sync_greenhouse"]

ENDPOINTS = ("users", "jobs", "candidates", "applications", "scheduled_interviews", "offers")


class GreenhouseSync(OfferDatedHires):
    """One sync of one source; `client` defaults to Harvest at the source's address."""

    vendor = gh.VENDOR
    listings = ENDPOINTS
    people_listing = "candidates"

    def __init__(
        self, engine: Engine, source: AtsSyncSource, *, client: HarvestClient | None = None
    ) -> None:
        self.harvest = client or HarvestClient(source.api_key, source.base_url)
        super().__init__(engine, source, self.harvest)

    def pages(self, listing: str, since: datetime | None) -> Iterator[list[Record]]:
        return self.harvest.pages(listing, updated_after=since)

    def _job(self, record: Record) -> MirrorJob | None:
        stages = self.harvest.get(f"jobs/{record.get('id')}/stages")
        return gh.job(record, stages if isinstance(stages, list) else [])

    def job_by_id(self, external_id: str) -> MirrorJob | None:
        record = self.harvest.get(f"jobs/{external_id}")
        return self._job(record) if isinstance(record, dict) else None

    def candidate_by_id(self, external_id: str) -> MirrorCandidate | None:
        record = self.harvest.get(f"candidates/{external_id}")
        return gh.candidate(record) if isinstance(record, dict) else None

    def _candidates(self, page: list[Record]) -> None:
        self.people_seen.update(str(record.get("id")) for record in page)
        self.put_candidates([gh.candidate(r) for r in page])

    def write(self, listing: str, page: list[Record]) -> None:
        writers: dict[str, Callable[[list[Record]], None]] = {
            "users": lambda p: self.put_users([gh.user(r) for r in p]),
            "jobs": lambda p: self.put_jobs([self._job(r) for r in p]),
            "candidates": self._candidates,
            "applications": lambda p: self.put_applications([gh.application(r) for r in p]),
            "scheduled_interviews": lambda p: self.put_interviews([gh.interview(r) for r in p]),
            "offers": lambda p: self.put_offers([gh.offer(r) for r in p]),
        }
        writers[listing](page)


def sync_greenhouse(
    engine: Engine, source: AtsSyncSource, now: datetime, *, full: bool = False, **client: Any
) -> SyncCounts:
    harvest = HarvestClient(source.api_key, source.base_url, **client) if client else None
    return GreenhouseSync(engine, source, client=harvest).run(now, full=full)
