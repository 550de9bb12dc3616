"""The Slack app served for real: signed HTTP requests (slash command form bodies,
event_callback JSON, block_actions payloads) to the app on 127.0.0.1, its Web API calls and
response_url posts landing on a local server that speaks the Web API and records them."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import FastAPI
from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from assistant.app import AppContext
from assistant.slack import http as slack
from bench.kit.peers.slack_signed import WebApi, signed, web_api
from models.settings import load_settings
from models.settings_integrations import SlackSettings
from tests.assistant.http.service_harness import make_context
from tests.loopback import serving

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
PROFILE = {"tz": "America/Los_Angeles", "profile": {"email": "member@acme.test"}}
BOT = "UBOT"


@contextmanager
def slack_app(
    engine: Engine, *, ctx: AppContext | None = None, interim_after: float = 60.0
) -> Iterator[tuple[str, WebApi]]:
    settings = SlackSettings(
        signing_secret=SECRET,
        bot_token="xoxb-test",
        org="acme",
        interim_after_seconds=interim_after,
    )
    # the deployment has Slack configured, so its automations may post there
    ctx = ctx or make_context(engine, load_settings(slack=settings), clock=lambda: NOW)
    with web_api(PROFILE) as api:
        app = FastAPI()
        slack.install(
            app, ctx, settings=settings, client=WebClient(token="xoxb-test", base_url=api.url)
        )
        with serving(app) as url:
            yield url, api


def post(
    base: str,
    body: str,
    content_type: str,
    *,
    secret: str = SECRET,
    timestamp: int | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    sent = {"Content-Type": content_type, **signed(secret, body, timestamp=timestamp)}
    return httpx.post(
        f"{base}/slack/events", content=body, headers={**sent, **(headers or {})}, timeout=10
    )


def command(base: str, api: WebApi, text: str, *, user: str = "U1") -> httpx.Response:
    body = urlencode(
        {
            "command": "/skilltick",
            "text": text,
            "user_id": user,
            "channel_id": "C1",
            "team_id": "T1",
            "trigger_id": "1.2",
            "response_url": f"{api.url}response_url",
        }
    )
    return post(base, body, "application/x-www-form-urlencoded")


def click(
    base: str,
    action_id: str,
    value: str,
    *,
    ts: str = "1700000000.000100",
    user: str = "U1",
    response_url: str | None = None,
    channel: str = "C1",
    message: dict[str, Any] | None = None,
    block_id: str = "b",
) -> httpx.Response:
    """A button click in `channel`; with `response_url`, on an ephemeral message (the slash
    command's), else on the message `message` (by default one with only its ts, `ts`); the
    button is in the block `block_id`."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": user},
        "channel": {"id": channel},
        "trigger_id": "1.2",
        "container": {"type": "message", "is_ephemeral": response_url is not None},
        "actions": [
            {
                "action_id": action_id,
                "value": value,
                "block_id": block_id,
                "type": "button",
                "action_ts": "1",
            }
        ],
    }
    if response_url is None:
        payload["message"] = message or {"ts": ts}
    else:
        payload["response_url"] = response_url
    return post(
        base, urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
    )


def event(
    base: str, inner: dict[str, Any], *, event_id: str | None = None, retry: int | None = None
) -> httpx.Response:
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": "T1",
            "api_app_id": "A1",
            "event_id": event_id or f"Ev{time.monotonic_ns()}",
            "event_time": 1,
            "authorizations": [{"team_id": "T1", "user_id": BOT, "is_bot": True}],
            "event": inner,
        }
    )
    headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
    return post(base, body, "application/json", headers=headers if retry else None)
