"""`skilltick chat` as a user runs it: real subprocesses (`python -m assistant chat`) on a
SQLite database in a temporary SKILLTICK_HOME. Each process start costs seconds of imports, so
only the headline conversation (question, short answer, confirm, delete, confirm) goes through
separate `--once` calls sharing a `--session`; the whole script suite goes through one `--json`
REPL process (and through the engine, Slack and MCP under `serve` in the other modules); text
mode and refusals go through the same entry point in this process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bench.kit.conversation.scripts import NOW, SCRIPTS, SLACK_CONFIGURED, run_script
from bench.kit.factories import make_org
from models.engine import make_engine
from models.store.automations import list_automations
from models.store.conversations import load_state
from tests.cli_in_process import run_skilltick

WHEN = NOW.isoformat()


@pytest.fixture
def home(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[dict[str, str], Engine]]:
    env = {**os.environ, "SKILLTICK_HOME": str(tmp_path), "COLUMNS": "200"}
    env.pop("SKILLTICK_DATABASE_URL", None)
    env.update(SLACK_CONFIGURED)  # the scripts post to Slack channels
    shutil.copyfile(sqlite_template, tmp_path / "skilltick.db")
    engine = make_engine(f"sqlite:///{tmp_path}/skilltick.db")
    try:
        yield env, engine
    finally:
        engine.dispose()


def chat(
    env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", "chat", "--now", WHEN, *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_once_calls_continue_one_session(home: tuple[dict[str, str], Engine]) -> None:
    env, engine = home
    org = make_org(engine, NOW, slug="acme")
    user = ["--org", "acme", "--user", org.member_email, "--session", "t1", "--json"]

    def say(message: str) -> dict[str, Any]:
        done = chat(env, *user, "--once", message)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.strip().splitlines()
        assert len(lines) == 1  # one JSON object per reply
        return json.loads(lines[0])

    first = say("send me a summary of my pipeline")
    assert first["reply"]["kind"] == "question" and "When should it run" in first["reply"]["text"]
    assert first["state"]["pending"]["kind"] == "question"
    second = say("every weekday at 8am")
    assert second["reply"]["kind"] == "draft"
    assert "Monday through Friday" in second["reply"]["text"]
    assert [c["say"] for c in second["reply"]["choices"]] == ["yes", "cancel"]
    assert list_automations(engine, org.org_id) == []  # nothing before "yes"
    third = say("yes")
    assert third["reply"]["kind"] == "done"
    (auto,) = list_automations(engine, org.org_id)
    assert auto.enabled and auto.cron_expression == "0 8 * * 1-5"
    assert third["state"]["focus"] == auto.id
    fourth = say("delete it")
    assert fourth["reply"]["kind"] == "confirm" and fourth["state"]["pending"]["kind"] == "delete"
    assert len(list_automations(engine, org.org_id)) == 1  # nothing before "yes"
    fifth = say("yes")
    assert fifth["reply"]["kind"] == "done" and "Deleted" in fifth["reply"]["text"]
    assert list_automations(engine, org.org_id) == []
    state = load_state(engine, org_id=org.org_id, user_id=org.member_id, key="cli:t1", now=NOW)
    assert state["focus"] is None and state["turns"] == 5


def said(env: dict[str, str], *args: str, stdin: str | None = None) -> CompletedProcess[str]:
    """`skilltick chat` through its entry point in this process: what it says, not how a
    process starts (the other tests here start processes)."""
    return run_skilltick(["chat", "--now", WHEN, *args], env, input=stdin)


def test_text_mode_and_refusals(home: tuple[dict[str, str], Engine]) -> None:
    env, engine = home
    org = make_org(engine, NOW, slug="acme")
    done = said(env, "--org", "acme", "--user", org.member_email, "--once", "pause #404")
    assert done.returncode == 1
    assert done.stdout.strip() == "No automation #404 in your organisation."
    done = said(env, "--org", "acme", "--user", "nobody@acme.test", "--once", "help")
    assert done.returncode == 1 and "error:" in done.stderr and len(done.stderr.splitlines()) == 1
    replies = said(
        env, "--org", "acme", "--user", org.member_email, stdin="help\nlist\nquit\nlist\n"
    )
    assert replies.returncode == 0, replies.stderr
    assert "pause it until Monday" in replies.stdout
    assert replies.stdout.count("No automations yet") == 1  # nothing after "quit"


def test_every_script_through_the_terminal(home: tuple[dict[str, str], Engine]) -> None:
    """One REPL process, fed one JSON line per turn; the test waits for each reply before
    checking the database and sending the next turn."""
    env, engine = home
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "chat", "--now", WHEN, "--json"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None

    def say(org: str, email: str, key: str, message: str) -> dict[str, Any]:
        line = {"org": org, "user": email, "session": key, "message": message}
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps(line) + "\n")
        process.stdin.flush()
        answer = process.stdout.readline()
        assert answer, process.stderr.read() if process.stderr else ""
        reply: dict[str, Any] = json.loads(answer)["reply"]
        return reply

    try:
        turns = sum(run_script(engine, i, s, say, "cli") for i, s in enumerate(SCRIPTS))
    finally:
        process.stdin.close()
        process.wait(60)
    assert process.returncode == 0 and turns >= 90
