"""What every vendor's mapping to the mirror's records shares: text and ids read defensively,
a pipeline's stages spread over the organisation's stage order, and an interview's kind from
its name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: where the last stage of every pipeline sits in the organisation's stage order
PIPELINE_END = 1000


def text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def vendor_id(value: Any) -> str | None:
    """A record's id (or a reference's, `{"id": ...}`) as text; None when it has none."""
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if isinstance(value, int | str) and str(value) else None


def spread(names: Sequence[str]) -> tuple[tuple[str, int], ...]:
    """Stages in pipeline order with their place scaled to 0..PIPELINE_END, so pipelines of
    different lengths interleave (a stage only one pipeline has lands between the stages
    around it)."""
    last = max(1, len(names) - 1)
    return tuple((name, round(PIPELINE_END * n / last)) for n, name in enumerate(names))


def interview_kind(name: str) -> str:
    lowered = name.lower()
    for word, kind in (("phone", "phone"), ("panel", "panel"), ("onsite", "onsite")):
        if word in lowered:
            return kind
    return "onsite" if "face to face" in lowered or "on-site" in lowered else "video"
