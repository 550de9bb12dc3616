"""Params of a report that follow how often it runs: a pipeline report's `period` (its wording
and the movement its first report covers) and how far back a sourcing recap's first recap
looks. A report every other week is fortnightly, so it does not call itself weekly while each
report covers two weeks."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

_RECAP_DAYS = {"daily": 1, "weekly": 7, "fortnightly": 14, "monthly": 30}


def period_of(runs: list[datetime]) -> str:
    """Daily when runs come a day or less apart; else weekly, fortnightly or monthly by the
    shortest gap between them."""
    gaps = [(b - a).total_seconds() / 86400 for a, b in itertools.pairwise(runs)]
    shortest = min(gaps, default=7.0)
    if shortest <= 26 / 24:
        return "daily"
    if shortest <= 8:
        return "weekly"
    return "fortnightly" if shortest <= 16 else "monthly"


def oftener_than_daily(skill: str, runs: list[datetime]) -> str | None:
    """What a report run more often than daily says of itself, for the read-back: its wording
    is a daily report's, while each covers only the time since the previous one."""
    gaps = [(b - a).total_seconds() / 3600 for a, b in itertools.pairwise(runs)]
    if skill not in ("pipeline-report", "sourcing-recap") or not gaps or min(gaps) >= 20:
        return None
    return (
        "it runs more often than daily: each report covers only the time since the previous "
        "one, though it is worded as a daily report"
    )


def cadence_params(skill: str, runs: list[datetime]) -> dict[str, Any]:
    """The params of `skill` that follow runs at `runs` (none for other skills)."""
    if skill == "pipeline-report":
        return {"period": period_of(runs)}
    if skill == "sourcing-recap":  # how far back the first recap looks
        return {"days": _RECAP_DAYS[period_of(runs)]}
    return {}
