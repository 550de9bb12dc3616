"""The canonical ATS events, and the PII-free data they carry.

Whatever the source (a webhook, a poll diff, the demo ATS), an event becomes one of these types
with a dict of ids, stage, job and department names and times: never a candidate's name, email,
phone or free text. `clean()` enforces that by keeping known keys only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

CANONICAL_TYPES = (
    "candidate.created",
    "application.created",
    "candidate.stage_changed",
    "interview.scheduled",
    "interview.rescheduled",
    "interview.cancelled",
    "interview.completed",
    "offer.created",
    "offer.accepted",
    "candidate.replied",
    "candidate.withdrawn",
    "candidate.hired",
    "candidate.rejected",
)

#: keys canonical data may hold, each a scalar: ids, stages, job, department, times
DATA_KEYS = (
    "candidate_id",
    "application_id",
    "job_id",
    "job",
    "department",
    "owner_id",
    "from_stage",
    "to_stage",
    "stage",
    "from_stage_id",
    "to_stage_id",
    "unnamed_stages",
    "interview_id",
    "starts_at",
    "interviewer",
    "offer_id",
    "occurred_at",
    "reason",
)


@dataclass(frozen=True, slots=True)
class Canonical:
    """One normalised event: `event_type` is None when the source's type maps to nothing."""

    provider_type: str
    event_type: str | None
    data: dict[str, Any] = field(default_factory=dict)


#: an ATS user id (digits, a UUID, a slug); an interviewer given as anything else is dropped
_ID_LIKE = re.compile(r"[A-Za-z0-9_:.-]{1,100}")


def _scalar(value: Any) -> str | int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value).strip()
    return text[:200] if text else None


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """Known keys with scalar values only (ids become strings so every ATS compares alike)."""
    result: dict[str, Any] = {}
    for key in DATA_KEYS:
        value = _scalar(data.get(key))
        if value is None:
            continue
        if key.endswith("_id") or key == "interviewer":
            value = str(value)
            if key == "interviewer" and not _ID_LIKE.fullmatch(value):
                continue  # an e-mail address or a name: PII, never stored
        result[key] = value
    return result


def canonical(provider_type: str, event_type: str | None, **data: Any) -> Canonical:
    known = event_type if event_type in CANONICAL_TYPES else None
    return Canonical(provider_type, known, clean(data))
