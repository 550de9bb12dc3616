"""How every interface says that an automation skips the organisation's holidays: the runs it
skips so in the next 90 days, by their local dates."""

from __future__ import annotations

from datetime import date

from assistant.tools.views import AutomationView
from models.clock import utc
from worker.schedule.parse import load_zone

#: dates named before the rest are counted
_SHOWN = 6


def holiday_dates(view: AutomationView) -> list[date]:
    """The local dates of the runs `view` skips for holidays in the next 90 days."""
    zone = load_zone(view.timezone)
    return sorted({utc(t).astimezone(zone).date() for t in view.holiday_runs})


def dates_said(days: list[date]) -> str:
    """ "Fri 25 Dec, Fri 1 Jan" (and how many more past the first few)."""
    said = ", ".join(f"{d:%a} {d.day} {d:%b}" for d in days[:_SHOWN])
    return said + (f" and {len(days) - _SHOWN} more" if len(days) > _SHOWN else "")


def holidays_sentence(view: AutomationView) -> str | None:
    """ "It skips your organisation's holidays: 2 in the next 90 days fall on its runs (Fri
    25 Dec, Fri 1 Jan)." None when it runs on holidays."""
    if not view.skip_holidays:
        return None
    days = holiday_dates(view)
    if not days:
        return (
            "It skips your organisation's holidays (none of them falls on its runs in the next "
            "90 days)."
        )
    return (
        f"It skips your organisation's holidays: {len(days)} in the next 90 days "
        f"{'falls' if len(days) == 1 else 'fall'} on its runs ({dates_said(days)})."
    )
