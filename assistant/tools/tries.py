"""How often one person may try an automation out: a test run or a preview reads live data (an
LLM skill's tokens too) and answers in their chat, and sends nothing, so the plan's runs per
minute do not count it; a loop of "test #3" is refused past its own limit instead, in one line."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from assistant.tools.base import Actor
from models.errors import TooOften
from models.settings import Settings
from models.store.audit import count_since

#: the audit actions a try writes: each is counted where it is recorded
TRIES = ("test", "preview")


def check_tries(engine: Engine, settings: Settings, actor: Actor, now: datetime) -> None:
    """Refuse a test run or preview past the person's limit for the last minute."""
    limit = settings.core.tests_per_minute
    tried = count_since(engine, actor.org_id, actor.user_id, TRIES, now - timedelta(minutes=1))
    if tried >= limit:
        raise TooOften(
            f"You asked for {tried} test runs and previews in the last minute, the most a "
            "minute allows; nothing was run. Try again in a minute."
        )
