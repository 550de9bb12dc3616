"""What a mirrored ATS cannot give a skill. Renewal reminders read contract placements (their end
dates) and extended offers' expiry dates; neither Greenhouse's Harvest nor Lever gives either
as the mirror reads them, so for an organisation whose ATS is mirrored they would always report
nothing. Such a skill is refused, in one line, where it would be made or resumed."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from models.store.ats_sync import sync_sources

#: each skill a mirrored ATS cannot feed: what it is called, and what it needs, in words
UNMIRRORED: dict[str, tuple[str, str]] = {
    "renewal-reminders": ("Renewal reminders", "contract end dates and offer expiry dates"),
}


def mirrored_vendor(engine: Engine, org_id: int) -> str | None:
    """The ATS the organisation's records are mirrored from ("greenhouse", "lever"), if any."""
    sources = sync_sources(engine, org_id)
    return sources[0].vendor if sources else None


def unmirrored_refusal(engine: Engine, org_id: int, skill: str) -> str | None:
    """Why an automation of `skill` would always send nothing in this organisation, or None."""
    if skill not in UNMIRRORED:
        return None
    vendor = mirrored_vendor(engine, org_id)
    if vendor is None:
        return None
    label, needs = UNMIRRORED[skill]
    return (
        f"{label} would always be empty here: they need {needs}, which {vendor.capitalize()} "
        "does not give skilltick."
    )
