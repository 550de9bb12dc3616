"""The Claude path with the real anthropic client against a local Messages API server that
replays tool_use turns, and that fails (500, 529, a timeout) so the deterministic parser
answers instead."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import anthropic
import pytest
from sqlalchemy.engine import Engine

from assistant.tools.claude_planner import ClaudePlanner
from assistant.tools.toolset import Actor, Toolset
from models.settings import load_settings
from models.store.orgs import get_user
from tests.factories import make_org

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
REQUEST = "Every Monday at 9am, send me a summary of my pipeline"


def message(*content: dict[str, Any], stop: str = "tool_use") -> dict[str, Any]:
    return {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-test",
        "content": list(content),
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": {"input_tokens": 10, "output_tokens": 5},
    }


def tool_use(name: str, args: dict[str, Any], use_id: str = "toolu_1") -> dict[str, Any]:
    return {"type": "tool_use", "id": use_id, "name": name, "input": args}


class MessagesApi:
    """Answers POST /v1/messages with the next scripted reply: a message, a status code, or
    "hang" (hold the request until the test ends)."""

    def __init__(self, script: list[Any]) -> None:
        self.script, self.requests = list(script), []  # type: list[Any], list[dict[str, Any]]
        self.release = threading.Event()


@contextmanager
def messages_api(script: list[Any]) -> Iterator[tuple[str, MessagesApi]]:
    api = MessagesApi(script)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            api.requests.append(body)
            step = api.script.pop(0)
            if step == "hang":
                api.release.wait(30)
                return
            status, reply = (
                (step, {"type": "error", "error": {"type": "api_error", "message": "boom"}})
                if isinstance(step, int)
                else (200, step)
            )
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", api
    finally:
        api.release.set()
        server.shutdown()
        server.server_close()


def planner(engine: Engine, url: str, timeout: float = 10.0) -> tuple[ClaudePlanner, Actor]:
    org = make_org(engine, NOW)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    client = anthropic.Anthropic(api_key="sk-test", base_url=url, max_retries=0, timeout=timeout)
    return ClaudePlanner(tools, client, model="claude-test"), Actor.of(
        get_user(engine, org.member_id)
    )


def test_claude_plans_through_tool_use_over_the_tool_set(sqlite_engine: Engine) -> None:
    script = [
        message(tool_use("list_skills", {})),
        message(
            tool_use(
                "propose_automation",
                {
                    "trigger_type": "cron",
                    "cron": "0 9 * * 1",
                    "skill": "pipeline-report",
                    "params": {"scope": "mine"},
                    "channel": "email",
                    "to": ["me"],
                },
                "toolu_2",
            )
        ),
    ]
    with messages_api(script) as (url, api):
        plan, me = planner(sqlite_engine, url)
        draft, used_llm = plan.plan(me, REQUEST, "Europe/London", NOW)
    assert used_llm and draft.ok and draft.skill == "pipeline-report"
    assert draft.as_json()["schedule"] == {
        "cron": "0 9 * * 1",
        "rrule": None,
        "once": None,
        "tz": "Europe/London",
    }
    assert draft.as_json()["next_runs"][0] == "2026-03-09T09:00:00+00:00"
    first, second = api.requests
    assert {t["name"] for t in first["tools"]} >= {"list_skills", "propose_automation"}
    result = second["messages"][-1]["content"][0]
    assert result["type"] == "tool_result" and "pipeline-report" in result["content"]


def test_a_clarifying_reply_from_claude_is_a_question(sqlite_engine: Engine) -> None:
    script = [message({"type": "text", "text": "Which report do you want?"}, stop="end_turn")]
    with messages_api(script) as (url, _):
        plan, me = planner(sqlite_engine, url)
        draft, used_llm = plan.plan(me, "send me a report", "UTC", NOW)
    assert (
        used_llm and draft.status == "question" and draft.question == ("Which report do you want?")
    )


@pytest.mark.parametrize("failure", [500, 529, "hang", "bad proposal"])
def test_when_the_api_fails_the_deterministic_parser_answers(
    sqlite_engine: Engine, failure: Any
) -> None:
    script = (
        [
            message(
                tool_use(
                    "propose_automation",
                    {
                        "trigger_type": "cron",
                        "cron": "99 9 * * 1",
                        "skill": "pipeline-report",
                        "channel": "email",
                        "to": ["me"],
                    },
                )
            )
        ]
        if failure == "bad proposal"
        else [failure]
    )
    with messages_api(script) as (url, api):
        plan, me = planner(sqlite_engine, url, timeout=0.5)
        draft, used_llm = plan.plan(me, REQUEST, "Europe/London", NOW)
        assert len(api.requests) == 1
    assert not used_llm and draft.ok
    assert draft.as_json()["schedule"]["cron"] == "0 9 * * 1"
    assert draft.skill == "pipeline-report"
