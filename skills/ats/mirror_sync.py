"""One sync of one mirrored ATS, whichever the vendor: its listings are read in order, each
page written in its own transaction through models.store.ats_mirror, and a listing's cursor
moves only once the listing has been read and written to its end, to the time the sync started
less a margin for clock skew. A fault mid-sync therefore loses nothing: the rerun reads the
unfinished listing again from the old cursor and the upserts write the same rows. After a
whole read of the listing that names every candidate, those the vendor no longer has lose
their personal fields. A vendor's sync says how to read a listing and what its pages are.

The first sync is a baseline: applications found in a stage are where they are, not moves
into it (no stage_change is recorded for the existing state); later syncs record each stage
found changed once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from sqlalchemy.engine import Engine

from models.store.ats_mirror import (
    MirrorApplication,
    MirrorCandidate,
    MirrorInterview,
    MirrorJob,
    MirrorOffer,
    MirrorUser,
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
from skills.ats.api_client import ApiClient, AtsApiError, Record
from skills.ats.mapping_common import PIPELINE_END

#: how far before the sync's start the next incremental read begins (clock skew, slow commits)
SKEW = timedelta(minutes=5)
#: where a stage only an application names goes in the pipeline order: after the jobs' stages
UNLISTED_STAGE_POSITION = PIPELINE_END + 1


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


class MirrorSync:
    """The sync of one source; subclasses name the vendor, its listings in order, the listing
    that names every candidate, and read and write a listing's pages."""

    vendor: ClassVar[str]
    listings: ClassVar[tuple[str, ...]]
    people_listing: ClassVar[str]

    def __init__(self, engine: Engine, source: AtsSyncSource, client: ApiClient) -> None:
        self.engine, self.source, self.client = engine, source, client
        self.org_id, self.source_id = source.org_id, source.id or 0
        self.counts = SyncCounts()
        #: the vendor ids of the candidates the people listing gave
        self.people_seen: set[str] = set()
        self.now: datetime | None = None

    # --- what a vendor says -----------------------------------------------------------------

    def pages(self, listing: str, since: datetime | None) -> Iterator[list[Record]]:
        raise NotImplementedError

    def write(self, listing: str, page: list[Record]) -> None:
        raise NotImplementedError

    def finished(self, listing: str) -> None:
        """Called once `listing` has been read to its end (before its cursor moves)."""

    def job_by_id(self, external_id: str) -> MirrorJob | None:
        """A job an application names that the listings did not give (None: gone)."""
        return None

    def candidate_by_id(self, external_id: str) -> MirrorCandidate | None:
        return None

    # --- writing mapped records -------------------------------------------------------------

    def put_users(self, users: Sequence[MirrorUser | None]) -> None:
        present = [u for u in users if u is not None]
        self.counts.users += mirror_users(self.engine, self.org_id, self.vendor, present)

    def put_jobs(self, jobs: Sequence[MirrorJob | None]) -> None:
        present = [j for j in jobs if j is not None]
        self.counts.jobs += mirror_jobs(self.engine, self.org_id, self.vendor, present)

    def put_candidates(self, candidates: Sequence[MirrorCandidate | None]) -> None:
        # one row per person, however many of their candidacies the page holds (the last)
        present = list({c.external_id: c for c in candidates if c is not None}.values())
        self.counts.candidates += mirror_candidates(self.engine, self.org_id, self.vendor, present)

    def _fetch_missing(self, applications: Sequence[MirrorApplication]) -> None:
        """Candidates and jobs applications name that the listings did not give (created
        while this sync ran); one the vendor no longer has leaves its applications out."""
        people = missing(
            self.engine, self.org_id, self.vendor, "candidate", {a.candidate for a in applications}
        )
        for external in sorted(people):
            person = self.candidate_by_id(external)
            if person is not None:
                mirror_candidates(self.engine, self.org_id, self.vendor, [person])
        jobs = missing(self.engine, self.org_id, self.vendor, "job", {a.job for a in applications})
        for external in sorted(jobs):
            job = self.job_by_id(external)
            if job is not None:
                mirror_jobs(self.engine, self.org_id, self.vendor, [job])

    def put_applications(self, applications: Sequence[MirrorApplication | None]) -> None:
        present = [a for a in applications if a is not None]
        self._fetch_missing(present)
        mirror_stages(
            self.engine, self.org_id, {(a.stage, UNLISTED_STAGE_POSITION) for a in present}
        )
        written, moves = mirror_applications(self.engine, self.org_id, self.vendor, present)
        self.counts.applications += written
        self.counts.stage_changes += moves

    def put_interviews(self, interviews: Sequence[MirrorInterview | None]) -> None:
        present = [i for i in interviews if i is not None]
        self.counts.interviews += mirror_interviews(self.engine, self.org_id, self.vendor, present)

    def put_offers(self, offers: Sequence[MirrorOffer | None]) -> None:
        present = [o for o in offers if o is not None]
        self.counts.offers += mirror_offers(self.engine, self.org_id, self.vendor, present)

    # --- the sync ---------------------------------------------------------------------------

    def _listing(self, listing: str, now: datetime, full: bool) -> None:
        """Read one listing to its end, then move its cursor."""
        since = None if full else cursor_of(self.engine, self.source_id, listing)
        for page in self.pages(listing, since):
            self.write(listing, page)
        self.finished(listing)
        advance_cursor(self.engine, self.source_id, listing, now - SKEW)

    def run(self, now: datetime, *, full: bool = False) -> SyncCounts:
        """Sync every listing; an AtsApiError is recorded on the source and raised."""
        self.now = now
        try:
            for listing in self.listings:
                whole = full or cursor_of(self.engine, self.source_id, listing) is None
                self._listing(listing, now, full)
                if listing == self.people_listing and whole:
                    mirrored = all_external_ids(self.engine, self.org_id, self.vendor, "candidate")
                    gone = [
                        local
                        for external, local in mirrored.items()
                        if external not in self.people_seen
                    ]
                    self.counts.scrubbed += scrub_candidates(self.engine, gone)
        except AtsApiError as error:
            record_outcome(self.engine, self.source_id, now=now, error=str(error))
            raise
        finally:
            self.counts.requests = self.client.requests
        record_outcome(self.engine, self.source_id, now=now, error=None)
        return self.counts
