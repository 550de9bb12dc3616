"""Does an event pass an automation's filter? (from/to stage, job, department, owner.)

A filter value is one value or a list of accepted values, compared case-insensitively; a key
the filter names but the event lacks does not match. `owner: "me"` means the automation's
owner (the ATS owner id is the user id in the demo ATS and in the generic format).
"""

from __future__ import annotations

from typing import Any

from models.store.events import InboxEvent

FILTER_KEYS = ("from_stage", "to_stage", "stage", "job", "job_id", "department", "owner_id")
STAGE_KEYS = ("from_stage", "to_stage")


def _accepts(wanted: Any, value: Any) -> bool:
    options = wanted if isinstance(wanted, list) else [wanted]
    return any(str(option).casefold() == str(value).casefold() for option in options)


def matches(event_filter: dict[str, Any], data: dict[str, Any], *, owner_id: int) -> bool:
    for key in FILTER_KEYS:
        wanted = event_filter.get(key)
        if wanted is None:
            continue
        # a stage named from its vendor id (worker.triggers.stage_names) still matches a
        # filter written with that id
        values = [data.get(key), data.get(f"{key}_id")] if key in STAGE_KEYS else [data.get(key)]
        if not any(value is not None and _accepts(wanted, value) for value in values):
            return False
    owner = event_filter.get("owner")
    if owner is not None:
        wanted = str(owner_id) if str(owner).lower() == "me" else owner
        if data.get("owner_id") is None or not _accepts(wanted, data["owner_id"]):
            return False
    return True


def relative_to(event_filter: dict[str, Any]) -> str | None:
    """ "interview.starts_at" (hangs off the interview) or "event" (after the event itself)."""
    value = event_filter.get("relative_to")
    return str(value) if value else None


def offset_minutes(event_filter: dict[str, Any]) -> int:
    try:
        return int(event_filter.get("offset_minutes") or 0)
    except (TypeError, ValueError):
        return 0


def trigger_data(event: InboxEvent) -> dict[str, Any]:
    """What a skill gets as ctx.trigger_data: the canonical event (PII-free) and where it came
    from; a skill whose action changes the ATS passes chain_depth + 1 to the events it causes."""
    return {
        **event.data,
        "event": event.event_type,
        "event_id": event.id,
        "provider": event.provider,
        "chain_depth": event.chain_depth,
    }
