"""Stage ids in a webhook read as the stage names automations filter on.

Lever's webhooks name an opportunity's stages by id (fromStageId, toStageId) while users say
"when a candidate moves to Interview". The organisation's Lever mirror knows each stage's id
and name (models.store.ats_stage_ids): an event's from_stage / to_stage become those names,
the ids stay as from_stage_id / to_stage_id, and a stage the mirror cannot name (no mirror yet,
or a stage added since its last sync) keeps its id and is listed in `unnamed_stages`. The
event is never dropped.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine

from models.store.ats_stage_ids import stage_names
from worker.triggers.canonical import Canonical, clean

#: providers whose webhooks name stages by id, and the mirror vendor that knows the names
BY_ID = {"lever": "lever"}
STAGE_KEYS = ("from_stage", "to_stage")


def named_stages(engine: Engine, org_id: int, provider: str, event: Canonical) -> Canonical:
    vendor = BY_ID.get(provider)
    ids = {key: str(event.data[key]) for key in STAGE_KEYS if event.data.get(key) is not None}
    if vendor is None or not ids:
        return event
    names = stage_names(engine, org_id, vendor, set(ids.values()))
    data = dict(event.data)
    for key, stage_id in ids.items():
        data[f"{key}_id"] = stage_id
        data[key] = names.get(stage_id, stage_id)
    unnamed = [key for key, stage_id in ids.items() if stage_id not in names]
    if unnamed:
        data["unnamed_stages"] = " ".join(unnamed)
    return Canonical(event.provider_type, event.event_type, clean(data))
