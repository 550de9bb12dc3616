"""How many requests Claude reads for one person: each reading costs tokens, so past the
setting's number in an hour the deterministic parser reads that person's requests alone, and
the reply says so once. Counted in the process that reads them (a service's, for its life)."""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timedelta

from models.clock import local_time

HOUR = timedelta(hours=1)


class PlannerQuota:
    """Each person's readings by Claude in the last hour, and whom the parser's reading was
    explained to since they reached the limit."""

    def __init__(self, per_hour: int) -> None:
        self.per_hour = per_hour
        self._read: dict[int, deque[datetime]] = {}
        self._told: set[int] = set()
        self._lock = threading.Lock()

    def _recent(self, user_id: int, now: datetime) -> deque[datetime]:
        times = self._read.setdefault(user_id, deque())
        while times and times[0] <= now - HOUR:
            times.popleft()
        return times

    def allows(self, user_id: int, now: datetime) -> bool:
        """Whether Claude may read one more request of the person now (nothing is counted)."""
        with self._lock:
            return len(self._recent(user_id, now)) < self.per_hour

    def take(self, user_id: int, now: datetime) -> bool:
        """Count a reading by Claude now; False (nothing counted) past the limit."""
        with self._lock:
            times = self._recent(user_id, now)
            if len(times) >= self.per_hour:
                return False
            times.append(now)
            self._told.discard(user_id)
            return True

    def note_once(self, user_id: int, now: datetime, tz: str | None) -> str | None:
        """What the reply says the first time the parser read a request in Claude's stead,
        until the person is under the limit again; None after that."""
        with self._lock:
            if user_id in self._told or not self.per_hour:  # 0: Claude reads no one's
                return None
            self._told.add(user_id)
            times = self._recent(user_id, now)
            until = local_time(times[0] + HOUR, tz) if times else None
        again = f" until {until}" if until else ""
        return (
            f"Claude has read {self.per_hour} of your requests in the last hour, the most it "
            f"reads for one person; the built-in parser read this one, and reads yours{again}."
        )
