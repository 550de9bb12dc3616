"""Mirror one organisation's Lever into its ats_* rows (skills.ats.mirror_sync says how a
fault mid-sync loses nothing).

Listings, in order: users, stages (the pipeline's order and names), archive reasons (which
mean hired), postings, then opportunities with their applications inlined; each page of
opportunities also reads the interviews and offers of the candidacies in a posting's
pipeline. Only opportunities can be read incrementally (`updated_at_start`); the other
listings are small and read whole. An opportunity's `updatedAt` is not known to move when its interviews or offers
change, so an interview rescheduled or an offer signed without any other change to the
opportunity is seen at the next full read (daily).

A hire is dated by its signed offer (`signedDocument.uploadedAt`: Lever's offers say no other
time of acceptance) through skills.ats.offer_dated_hires; a hire without one keeps the
opportunity's `lastAdvancedAt`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Engine

from models.store.ats_mirror import MirrorJob, mirror_stages
from models.store.ats_stage_ids import remember_stage_ids
from models.tables.ats_sync import AtsSyncSource
from skills.ats import lever_mapping as lever
from skills.ats.lever_client import LeverClient, Record
from skills.ats.mapping_common import spread, text, vendor_id
from skills.ats.mirror_sync import SyncCounts
from skills.ats.offer_dated_hires import OfferDatedHires

LISTINGS = ("users", "stages", "archive_reasons", "postings", "opportunities")


class LeverSync(OfferDatedHires):
    """One sync of one source; `client` defaults to Lever at the source's address."""

    vendor = lever.VENDOR
    listings = LISTINGS
    people_listing = "opportunities"

    def __init__(
        self, engine: Engine, source: AtsSyncSource, *, client: LeverClient | None = None
    ) -> None:
        self.lever = client or LeverClient(source.api_key, source.base_url)
        super().__init__(engine, source, self.lever)
        self.stage_order: list[tuple[str, str]] = []  # (id, name) in pipeline order
        self.hired_reasons: set[str] = set()

    def pages(self, listing: str, since: datetime | None) -> Iterator[list[Record]]:
        if listing == "opportunities":
            return self.lever.pages(listing, updated_since=since, expand=("applications",))
        return self.lever.pages(listing)

    def job_by_id(self, external_id: str) -> MirrorJob | None:
        record = self.lever.get(f"postings/{external_id}")
        return lever.job(record) if record is not None else None

    def _stages(self, page: list[Record]) -> None:
        self.stage_order += [
            (vendor_id(s) or "", text(s.get("text"))) for s in page if text(s.get("text"))
        ]

    def _opportunities(self, page: list[Record]) -> None:
        self.people_seen.update(p for p in map(lever.person_id, page) if p is not None)
        self.put_candidates([lever.candidate(r) for r in page])
        names = dict(self.stage_order)
        applications = [lever.application(r, names, self.hired_reasons) for r in page]
        self.put_applications(applications)
        now = self.now or datetime.now(UTC)
        interviews = [
            lever.interview(record, app.external_id, now)
            for app in applications
            if app is not None
            for found in self.lever.pages(f"opportunities/{app.external_id}/interviews")
            for record in found
        ]
        self.put_interviews(interviews)  # the page's in one transaction
        offers = [
            lever.offer(record, app.external_id)
            for app in applications
            if app is not None
            for found in self.lever.pages(f"opportunities/{app.external_id}/offers")
            for record in found
        ]
        self.put_offers(offers)

    def finished(self, listing: str) -> None:
        if listing == "stages":  # the account's pipeline as the organisation's stage order
            positions = spread([name for _, name in self.stage_order])
            mirror_stages(self.engine, self.org_id, set(positions))
            # webhooks name stages by id: they are named through this map when received
            remember_stage_ids(self.engine, self.org_id, self.vendor, self.stage_order)

    def write(self, listing: str, page: list[Record]) -> None:
        if listing == "users":
            self.put_users([lever.user(r) for r in page])
        elif listing == "stages":
            self._stages(page)
        elif listing == "archive_reasons":
            self.hired_reasons |= {
                vendor_id(r) or "" for r in page if text(r.get("type")) == "hired"
            }
        elif listing == "postings":
            self.put_jobs([lever.job(r) for r in page])
        else:
            self._opportunities(page)


def sync_lever(
    engine: Engine, source: AtsSyncSource, now: datetime, *, full: bool = False, **client: Any
) -> SyncCounts:
    reader = LeverClient(source.api_key, source.base_url, **client) if client else None
    return LeverSync(engine, source, client=reader).run(now, full=full)
