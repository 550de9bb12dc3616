"""When a mirrored application was hired, from the offer it accepted: a vendor whose applications
do not say when they were hired (Greenhouse's Harvest) says when their offer was accepted. The
hire is a hired application's stage_changed_at, which hiring reports count hires and time to
hire by."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.store.ats_sync import local_ids
from models.tables.demo_ats import AtsApplication, AtsOffer

HIRED = "hired"
ACCEPTED = "accepted"


def accepted_offer_times(
    engine: Engine, org_id: int, vendor: str, applications: Collection[str]
) -> dict[str, datetime]:
    """When the mirrored offers of these applications (vendor ids) were accepted, the latest
    for each, by vendor id; an application without an accepted offer is left out."""
    with Session(engine) as s:
        local = local_ids(s, org_id, vendor, "application", applications)
        if not local:
            return {}
        accepted = col(AtsOffer.accepted_at)
        query = (
            select(col(AtsOffer.application_id), func.max(accepted))
            .where(
                col(AtsOffer.org_id) == org_id,
                col(AtsOffer.application_id).in_(set(local.values())),
                col(AtsOffer.status) == ACCEPTED,
                accepted.is_not(None),
            )
            .group_by(col(AtsOffer.application_id))
        )
        by_row = {app_id: moment for app_id, moment in s.exec(query) if moment is not None}
    return {external: by_row[i] for external, i in local.items() if i in by_row}


def date_hires(engine: Engine, org_id: int, vendor: str, hires: Mapping[str, datetime]) -> int:
    """Date the hire of each of these applications (vendor id: when its offer was accepted)
    that the mirror has as hired; returns how many moved. Another status is left alone: an
    application becomes hired after its offer is accepted, and is dated when it does."""
    with Session(engine) as s:
        local = local_ids(s, org_id, vendor, "application", hires)
        external_of = {i: external for external, i in local.items()}
        rows = s.exec(
            select(AtsApplication).where(
                col(AtsApplication.id).in_(set(external_of)), col(AtsApplication.status) == HIRED
            )
        ).all()
        moved = 0
        for row in rows:
            hired = hires[external_of[row.id or 0]]
            if row.stage_changed_at != hired:
                row.stage_changed_at = hired
                s.add(row)
                moved += 1
        s.commit()
    return moved
