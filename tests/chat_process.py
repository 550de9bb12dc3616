"""`skilltick chat` as a user runs it: a home of its own, the messages piped into one process.

The conversation tests that replay what someone typed share this rather than each building the
environment and the command line again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from models.engine import make_engine
from models.migrate import upgrade

#: settings of the machine running the tests that would send the process elsewhere
_UNSET = ("SKILLTICK_DATABASE_URL", "SKILLTICK_SLACK_BOT_TOKEN", "ANTHROPIC_API_KEY")


def chat_home(tmp_path: Path) -> tuple[dict[str, str], Engine]:
    """A process environment whose home is `tmp_path`, and its migrated SQLite database."""
    env = {**os.environ, "SKILLTICK_HOME": str(tmp_path), "COLUMNS": "200"}
    for name in _UNSET:
        env.pop(name, None)
    engine = make_engine(f"sqlite:///{tmp_path}/skilltick.db")
    upgrade(engine)
    return env, engine


def chat_output(env: dict[str, str], now: datetime, args: Sequence[str], said: list[str]) -> str:
    """What `skilltick chat --now NOW ARGS` printed for `said`, one message a line; it must exit 0."""
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "chat", "--now", now.isoformat(), *args],
        env=env,
        input="".join(f"{message}\n" for message in said),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def chat_replies(
    env: dict[str, str], now: datetime, args: Sequence[str], said: list[str]
) -> list[dict[str, Any]]:
    """The replies of `skilltick chat --json` to `said`, one per message."""
    out = chat_output(env, now, [*args, "--json"], said)
    return [json.loads(line)["reply"] for line in out.strip().splitlines()]
