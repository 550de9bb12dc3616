"""The occurrences an automation skips, as its row keeps them: JSON text mapping each skipped
instant (UTC) to when it was asked for, NULL when there is none. Text rather than a JSON
column: the tick groups automations due alike by their row values, and a string is the same
value on both stores and hashable (a row with no skips keeps NULL, one group with the rest).

A skipped occurrence's run row says why in `skipped_reason`: "asked:" and the instant it was
asked for, which the run history, "why" and the dashboard put in words."""

from __future__ import annotations

import json
from datetime import datetime

from models.clock import local_time, utc

#: occurrences one automation may have skipped at once
MOST_SKIPS = 50
_ASKED = "asked:"


def _iso(instant: datetime) -> str:
    return utc(instant).strftime("%Y-%m-%dT%H:%M:%SZ")


def _read(text: str) -> datetime:
    return utc(datetime.fromisoformat(text.replace("Z", "+00:00")))


def read_skips(stored: str | None) -> dict[datetime, datetime]:
    """The skipped instants -> when each was asked for, soonest first."""
    if not stored:
        return {}
    found = json.loads(stored)
    return {_read(k): _read(v) for k, v in sorted(found.items())}


def write_skips(skips: dict[datetime, datetime]) -> str | None:
    """The stored text of `skips` (one spelling for one set: sorted, seconds, UTC)."""
    if not skips:
        return None
    pairs = sorted((_iso(k), _iso(v)) for k, v in skips.items())
    return json.dumps(dict(pairs), separators=(",", ":"))


def skip_reason(asked: datetime) -> str:
    """A skipped run's reason: skipped as asked at `asked` (minutes, to fit the column)."""
    return _ASKED + utc(asked).strftime("%Y-%m-%dT%H:%MZ")


def asked_at(reason: str | None) -> datetime | None:
    """When the skip a run's `reason` names was asked for; None for every other reason."""
    if not reason or not reason.startswith(_ASKED):
        return None
    try:
        return _read(reason.removeprefix(_ASKED))
    except ValueError:
        return None


def asked_words(reason: str | None, tz: str | None = None) -> str | None:
    """ "as you asked on Mon 30 Nov 2026 22:57 UTC" (said after "skipped"), or None for
    another reason."""
    asked = asked_at(reason)
    return None if asked is None else f"as you asked on {local_time(asked, tz)}"
