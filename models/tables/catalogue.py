"""Every module that defines tables. Importing this registers them all on SQLModel.metadata,
which migrations autogenerate from and the drift test compares with the migrated schema."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlmodel import SQLModel

from models.tables import (
    access,
    ats_sync,
    audit,
    automations,
    calendars,
    conversations,
    deliveries,
    demo_ats,
    events,
    orgs,
    runs,
    sequences,
)

TABLE_MODULES = (
    access,
    ats_sync,
    audit,
    automations,
    calendars,
    conversations,
    deliveries,
    demo_ats,
    events,
    orgs,
    runs,
    sequences,
)

#: the metadata holding every table above
metadata: MetaData = SQLModel.metadata
