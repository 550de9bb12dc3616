"""`skilltick chat` as a user runs it: a home of its own, the messages piped into one run of
the console script's entry point, with the environment, stdin and stdout a process would have.

The conversation tests that replay what someone typed share this rather than each building the
environment and the command line again. It runs in the test's process: a new interpreter would
add seconds of imports and nothing these tests look at (tests/assistant/conversation/
test_chat_cli.py starts real `skilltick chat` processes)."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from models.engine import make_engine
from tests.cli_in_process import copy_migrated_database, run_skilltick

#: settings of the machine running the tests that would send the command elsewhere
_UNSET = ("SKILLTICK_DATABASE_URL", "SKILLTICK_SLACK_BOT_TOKEN", "ANTHROPIC_API_KEY")


def chat_home(tmp_path: Path) -> tuple[dict[str, str], Engine]:
    """A process environment whose home is `tmp_path`, and its migrated SQLite database."""
    env = {**os.environ, "SKILLTICK_HOME": str(tmp_path), "COLUMNS": "200"}
    for name in _UNSET:
        env.pop(name, None)
    copy_migrated_database(tmp_path)
    return env, make_engine(f"sqlite:///{tmp_path}/skilltick.db")


def chat_output(env: dict[str, str], now: datetime, args: Sequence[str], said: list[str]) -> str:
    """What `skilltick chat --now NOW ARGS` printed for `said`, one message a line; it must exit 0."""
    done = run_skilltick(
        ["chat", "--now", now.isoformat(), *args],
        env,
        input="".join(f"{message}\n" for message in said),
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def chat_replies(
    env: dict[str, str], now: datetime, args: Sequence[str], said: list[str]
) -> list[dict[str, Any]]:
    """The replies of `skilltick chat --json` to `said`, one per message."""
    out = chat_output(env, now, [*args, "--json"], said)
    return [json.loads(line)["reply"] for line in out.strip().splitlines()]
