"""Per-destination circuit breakers: after `threshold` outage failures in a row to one
destination (an SMTP server, a webhook host, Slack), sends to it fail fast for `cooldown`
seconds instead of each waiting out its timeout; then one trial send decides whether it is back.
Only outages count (timeouts, refused connections, 5xx); a refused recipient says nothing about
the destination's health."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from models.errors import DeliveryError

DEFAULT_THRESHOLD = 3
DEFAULT_COOLDOWN_SECONDS = 60.0


@dataclass
class _State:
    failures: int = 0
    open_until: datetime | None = None  # None: closed
    opened_at: datetime | None = None
    last_error: str = ""
    trial: bool = False  # a half-open trial send is in flight


class Breakers:
    """The breakers of one channel, by destination; safe to use from several threads."""

    def __init__(
        self,
        *,
        threshold: int = DEFAULT_THRESHOLD,
        cooldown: float = DEFAULT_COOLDOWN_SECONDS,
    ) -> None:
        self.threshold, self.cooldown = threshold, timedelta(seconds=cooldown)
        self._states: dict[str, _State] = {}
        self._lock = threading.Lock()

    def check(self, destination: str, now: datetime) -> DeliveryError | None:
        """None to go ahead (closed, or the one trial after the cool-down), else the error to
        fail this send with at once. `now` is the run's clock."""
        with self._lock:
            state = self._states.get(destination)
            if state is None or state.open_until is None:
                return None
            left = (state.open_until - now).total_seconds()
            if left <= 0 and not state.trial:
                state.trial = True
                return None
            wait = max(left, 1.0)
        return DeliveryError(
            f"{destination} failed {state.failures} times in a row, so sends to it are paused "
            f"for {wait:.0f} s more (last error: {state.last_error})",
            retryable=True,
        )

    def record(self, destination: str, error: DeliveryError | None, now: datetime) -> None:
        """The outcome of a send that was allowed through."""
        with self._lock:
            state = self._states.setdefault(destination, _State())
            state.trial = False
            if error is None or not error.retryable:
                if error is None:
                    self._states.pop(destination, None)
                return
            state.failures += 1
            state.last_error = error.message[:200]
            if state.failures >= self.threshold:
                state.open_until = now + self.cooldown
                state.opened_at = state.opened_at or now

    def open(self) -> list[dict[str, Any]]:
        """The breakers failing fast now, for status pages (PII-free: destinations are
        servers and hosts, never recipients)."""
        with self._lock:
            return [
                {
                    "destination": destination,
                    "failures": state.failures,
                    "since": state.opened_at.isoformat() if state.opened_at else None,
                    "until": state.open_until.isoformat(),
                    "last_error": state.last_error,
                }
                for destination, state in sorted(self._states.items())
                if state.open_until is not None
            ]
