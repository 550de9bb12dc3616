"""Mirroring a customer's ATS into the ats_* tables: the source (vendor, address, API key), how
far each of its listings has been read, and which local row each of the vendor's records is.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

SYNC_VENDORS = ("greenhouse", "lever")


class AtsSyncSource(SQLModel, table=True):
    """An organisation's ATS that skilltick reads. The API key is never logged nor returned."""

    __tablename__ = "ats_sync_sources"
    __table_args__ = (UniqueConstraint("org_id", "vendor", name="uq_ats_sync_sources_vendor"),)

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id", index=True)
    vendor: str = Field(max_length=20)
    base_url: str = Field(max_length=300)
    api_key: str = Field(max_length=500)
    enabled: bool = Field(default=True)
    last_synced_at: datetime | None = None
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime
    # one sync at a time across processes: whoever holds an unexpired lease syncs
    lease_owner: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = None
    # when the worker syncs it next (None: at once), when it last read everything, and how
    # many syncs in a row failed (the worker backs off by it)
    next_sync_at: datetime | None = None
    last_full_at: datetime | None = None
    failures: int = Field(default=0)


class AtsSyncCursor(SQLModel, table=True):
    """Where the next incremental read of one listing starts (the vendor's `updated_after`)."""

    __tablename__ = "ats_sync_cursors"
    __table_args__ = (UniqueConstraint("source_id", "endpoint", name="uq_ats_sync_cursors"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="ats_sync_sources.id")
    endpoint: str = Field(max_length=40)
    updated_after: datetime


class AtsExternalId(SQLModel, table=True):
    """One vendor record and the local row mirroring it (kind: user, job, candidate,
    application, interview, offer)."""

    __tablename__ = "ats_external_ids"
    __table_args__ = (
        UniqueConstraint("org_id", "vendor", "kind", "external_id", name="uq_ats_external_ids"),
        Index("ix_ats_external_ids_local", "org_id", "kind", "local_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id")
    vendor: str = Field(max_length=20)
    kind: str = Field(max_length=20)
    external_id: str = Field(max_length=64)
    local_id: int
