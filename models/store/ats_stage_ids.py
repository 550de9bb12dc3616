"""Which mirrored stage a vendor's stage id is: an ATS whose webhooks name stages by id (Lever)
is read back into the names automations filter on. The map lives in ats_external_ids (kind
"stage", the local id an ats_stages row), written by the sync that reads the vendor's stages.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from models.engine import read_only
from models.store.ats_sync import local_ids, remember, repoint
from models.tables.demo_ats import AtsStage

KIND = "stage"


def remember_stage_ids(
    engine: Engine, org_id: int, vendor: str, stages: Sequence[tuple[str, str]]
) -> None:
    """(vendor id, name) pairs of stages already mirrored by name; a stage renamed at the
    vendor points to the row of its new name."""
    with Session(engine) as s:
        rows = s.exec(select(AtsStage).where(col(AtsStage.org_id) == org_id))
        by_name = {row.name: int(row.id or 0) for row in rows}
        known = local_ids(s, org_id, vendor, KIND, [external for external, _ in stages])
        for external, name in stages:
            local = by_name.get(name[:60])
            if local is None or known.get(external) == local:
                continue
            if external in known:
                repoint(s, org_id, vendor, KIND, external, local)
            else:
                remember(s, org_id, vendor, KIND, external, local)
            known[external] = local
        s.commit()


def stage_names(engine: Engine, org_id: int, vendor: str, ids: Collection[str]) -> dict[str, str]:
    """The mirrored names of these vendor stage ids (those the mirror knows), by id."""
    with Session(read_only(engine)) as s:
        local = local_ids(s, org_id, vendor, KIND, ids)
        if not local:
            return {}
        rows = s.exec(select(AtsStage).where(col(AtsStage.id).in_(list(local.values()))))
        names = {int(row.id or 0): row.name for row in rows}
        return {external: names[i] for external, i in local.items() if i in names}
