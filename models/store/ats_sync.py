"""Store API for mirrored ATSs: the source an organisation connected (its address and API key),
each listing's incremental cursor, the sync's outcome, and the vendor-id-to-local-row map the
mirror writes through (models.store.ats_mirror).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.engine import read_only
from models.errors import InvalidInput, NotFound
from models.tables.ats_sync import SYNC_VENDORS, AtsExternalId, AtsSyncCursor, AtsSyncSource
from models.tables.orgs import Organization


def _session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


def _refuse_a_second_ats(s: Session, org_id: int, vendor: str) -> None:
    """One mirrored ATS per organisation: two would write the same ats_* rows (two pipelines in
    one stage order, one candidate twice), so another vendor waits for a disconnect."""
    other = s.exec(
        select(AtsSyncSource).where(
            col(AtsSyncSource.org_id) == org_id,
            col(AtsSyncSource.vendor) != vendor,
            col(AtsSyncSource.enabled),
        )
    ).first()
    if other is None:
        return
    org = s.get(Organization, org_id)
    slug = org.slug if org is not None else str(org_id)
    raise InvalidInput(
        f"{slug} already mirrors {other.vendor.capitalize()} (one ATS per organisation): "
        f"run `skilltick ats disconnect {other.vendor} --org {slug}` first, then connect {vendor}."
    )


def connect_source(
    engine: Engine, *, org_id: int, vendor: str, base_url: str, api_key: str, now: datetime
) -> tuple[AtsSyncSource, bool]:
    """Connect (or reconnect with a new key or address) an organisation's ATS. Returns the
    source and whether it is new. A reconnection keeps the cursors: the mirror is the same."""
    if vendor not in SYNC_VENDORS:
        raise InvalidInput(f"Unknown ATS '{vendor}': choose one of {', '.join(SYNC_VENDORS)}.")
    if not api_key.strip():
        raise InvalidInput("The API key is empty.")
    if not base_url.startswith(("https://", "http://")):
        raise InvalidInput(f"The API address must start with https:// (got '{base_url}').")
    with _session(engine) as s:
        _refuse_a_second_ats(s, org_id, vendor)
        source = s.exec(
            select(AtsSyncSource).where(
                col(AtsSyncSource.org_id) == org_id, col(AtsSyncSource.vendor) == vendor
            )
        ).first()
        created = source is None
        if source is None:
            source = AtsSyncSource(
                org_id=org_id, vendor=vendor, base_url=base_url, api_key=api_key, created_at=now
            )
        source.base_url, source.api_key, source.enabled = base_url, api_key.strip(), True
        s.add(source)
        s.commit()
        return source, created


def disconnect_source(engine: Engine, *, org_id: int, vendor: str) -> bool:
    """Stop mirroring an organisation's ATS: the source is disabled (its key is dropped) and
    the mirrored rows stay; False when it was not connected."""
    with _session(engine) as s:
        source = s.exec(
            select(AtsSyncSource).where(
                col(AtsSyncSource.org_id) == org_id,
                col(AtsSyncSource.vendor) == vendor,
                col(AtsSyncSource.enabled),
            )
        ).first()
        if source is None:
            return False
        source.enabled, source.api_key = False, "-"
        s.add(source)
        s.commit()
        return True


def sync_sources(engine: Engine, org_id: int | None = None) -> list[AtsSyncSource]:
    """Enabled sources, of one organisation or of all, by id."""
    query = select(AtsSyncSource).where(col(AtsSyncSource.enabled))
    if org_id is not None:
        query = query.where(col(AtsSyncSource.org_id) == org_id)
    with _session(read_only(engine)) as s:
        return list(s.exec(query.order_by(col(AtsSyncSource.id))))


def get_source(engine: Engine, source_id: int) -> AtsSyncSource:
    with _session(read_only(engine)) as s:
        source = s.get(AtsSyncSource, source_id)
        if source is None:
            raise NotFound(f"No ATS source #{source_id}.")
        return source


def due_sources(engine: Engine, now: datetime) -> list[AtsSyncSource]:
    """Enabled sources whose next sync is due by `now` and that no unexpired lease holds."""
    query = select(AtsSyncSource).where(
        col(AtsSyncSource.enabled),
        or_(col(AtsSyncSource.next_sync_at).is_(None), col(AtsSyncSource.next_sync_at) <= now),
        or_(col(AtsSyncSource.lease_until).is_(None), col(AtsSyncSource.lease_until) <= now),
    )
    with _session(read_only(engine)) as s:
        return list(s.exec(query.order_by(col(AtsSyncSource.id))))


def claim_sync(
    engine: Engine, source_id: int, *, holder: str, now: datetime, lease: timedelta
) -> bool:
    """Take the source's sync lease unless another holder's is unexpired; True when taken.
    One conditional UPDATE, so two processes claiming together cannot both win."""
    table = AtsSyncSource.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        taken = conn.execute(
            update(table)
            .where(
                table.c.id == source_id,
                or_(table.c.lease_until.is_(None), table.c.lease_until <= now),
            )
            .values(lease_owner=holder, lease_until=now + lease)
        )
        return bool(taken.rowcount == 1)


def renew_sync(engine: Engine, source_id: int, *, holder: str, until: datetime) -> bool:
    """Extend a lease this holder still has; False when it lost it."""
    table = AtsSyncSource.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        renewed = conn.execute(
            update(table)
            .where(table.c.id == source_id, table.c.lease_owner == holder)
            .values(lease_until=until)
        )
        return bool(renewed.rowcount == 1)


def release_sync(
    engine: Engine,
    source_id: int,
    *,
    holder: str,
    next_sync_at: datetime,
    failures: int,
    full_at: datetime | None = None,
) -> None:
    """End this holder's lease and schedule the next sync (`full_at`: a full read completed)."""
    table = AtsSyncSource.__table__  # type: ignore[attr-defined]
    values: dict[str, object] = {
        "lease_owner": None,
        "lease_until": None,
        "next_sync_at": next_sync_at,
        "failures": failures,
    }
    if full_at is not None:
        values["last_full_at"] = full_at
    with engine.begin() as conn:
        conn.execute(
            update(table)
            .where(table.c.id == source_id, table.c.lease_owner == holder)
            .values(**values)
        )


def cursor_of(engine: Engine, source_id: int, endpoint: str) -> datetime | None:
    """Where the next read of `endpoint` starts; None: read it whole."""
    with _session(read_only(engine)) as s:
        row = s.exec(
            select(AtsSyncCursor).where(
                col(AtsSyncCursor.source_id) == source_id, col(AtsSyncCursor.endpoint) == endpoint
            )
        ).first()
        return row.updated_after if row is not None else None


def advance_cursor(engine: Engine, source_id: int, endpoint: str, updated_after: datetime) -> None:
    """Called once a listing was read and committed to its end, never before."""
    with _session(engine) as s:
        row = s.exec(
            select(AtsSyncCursor).where(
                col(AtsSyncCursor.source_id) == source_id, col(AtsSyncCursor.endpoint) == endpoint
            )
        ).first()
        if row is None:
            row = AtsSyncCursor(source_id=source_id, endpoint=endpoint, updated_after=updated_after)
        row.updated_after = updated_after
        s.add(row)
        s.commit()


def record_outcome(engine: Engine, source_id: int, *, now: datetime, error: str | None) -> None:
    """The last sync's end: its time when it completed, else the one-line error."""
    with _session(engine) as s:
        source = s.get(AtsSyncSource, source_id)
        if source is None:
            return
        if error is None:
            source.last_synced_at, source.last_error = now, None
        else:
            source.last_error = error[:500]
        s.add(source)
        s.commit()


def local_ids(
    session: Session, org_id: int, vendor: str, kind: str, external_ids: Collection[str]
) -> dict[str, int]:
    """The local rows mirroring these vendor records (those mirrored so far)."""
    if not external_ids:
        return {}
    rows = session.exec(
        select(AtsExternalId).where(
            col(AtsExternalId.org_id) == org_id,
            col(AtsExternalId.vendor) == vendor,
            col(AtsExternalId.kind) == kind,
            col(AtsExternalId.external_id).in_(list(external_ids)),
        )
    )
    return {row.external_id: row.local_id for row in rows}


def all_external_ids(engine: Engine, org_id: int, vendor: str, kind: str) -> dict[str, int]:
    """Every mirrored record of one kind, vendor id to local id."""
    with _session(read_only(engine)) as s:
        rows = s.exec(
            select(AtsExternalId).where(
                col(AtsExternalId.org_id) == org_id,
                col(AtsExternalId.vendor) == vendor,
                col(AtsExternalId.kind) == kind,
            )
        )
        return {row.external_id: row.local_id for row in rows}


def remember(
    session: Session, org_id: int, vendor: str, kind: str, external_id: str, local_id: int
) -> None:
    session.add(
        AtsExternalId(
            org_id=org_id, vendor=vendor, kind=kind, external_id=external_id, local_id=local_id
        )
    )


def repoint(
    session: Session, org_id: int, vendor: str, kind: str, external_id: str, local_id: int
) -> None:
    """A vendor record whose local row is gone (removed by hand) now lives in a new row."""
    row = session.exec(
        select(AtsExternalId).where(
            col(AtsExternalId.org_id) == org_id,
            col(AtsExternalId.vendor) == vendor,
            col(AtsExternalId.kind) == kind,
            col(AtsExternalId.external_id) == external_id,
        )
    ).one()
    row.local_id = local_id
    session.add(row)
