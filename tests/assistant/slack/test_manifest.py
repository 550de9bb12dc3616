"""The app manifest says what the app handles and needs, no more and no less: every bot event
and the slash command it declares are answered by the served app (and events it does not
declare are not), every URL is the app's endpoint, and the scopes are exactly those the code's
Web API calls and the declared events require."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import yaml
from sqlalchemy.engine import Engine

import assistant.slack
from assistant.slack.http import PATH
from bench.kit.factories import make_org
from tests.assistant.slack.harness import NOW, event, post, slack_app
from worker.delivery import slack as slack_delivery

MANIFEST = Path(assistant.slack.__file__).parent / "manifest.yaml"
# Web API method (as the SDK names it) -> the bot scope it needs; None: no scope
METHOD_SCOPES: dict[str, str | None] = {
    "chat_postMessage": "chat:write",
    "chat_postEphemeral": "chat:write",
    "chat_update": "chat:write",
    "chat_delete": "chat:write",
    "users_info": "users:read",
    "users_lookupByEmail": "users:read.email",
    "conversations_open": "im:write",
    "views_publish": None,
    "auth_test": None,
}
EVENT_SCOPES = {
    "app_mention": "app_mentions:read",
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "message.im": "im:history",
    "message.mpim": "mpim:history",
    "app_home_opened": None,
    "app_uninstalled": None,
}
# events a workspace could send that the app has no business with
UNWANTED = ("reaction_added", "team_join", "channel_created")


def manifest() -> dict[str, Any]:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def sample(name: str) -> dict[str, Any]:
    """A minimal event of that subscription name, as Slack sends it."""
    kind, _, where = name.partition(".")
    inner: dict[str, Any] = {"type": kind, "user": "U1", "ts": "1700000100.000001"}
    if kind == "message":
        inner.update(
            channel_type={"channels": "channel", "groups": "group"}.get(where, where),
            channel="C1",
            text="hello",
        )
    elif kind == "app_mention":
        inner.update(channel="C1", text="<@UBOT> hello")
    elif kind == "app_home_opened":
        inner.update(tab="home")
    return inner


def test_every_url_is_the_apps_endpoint() -> None:
    m = manifest()
    urls = [
        m["settings"]["event_subscriptions"]["request_url"],
        m["settings"]["interactivity"]["request_url"],
        *(c["url"] for c in m["features"]["slash_commands"]),
    ]
    assert {urlsplit(u).path for u in urls} == {PATH}
    assert m["settings"]["interactivity"]["is_enabled"] is True
    assert m["features"]["app_home"]["home_tab_enabled"] is True


def test_declared_events_and_command_are_handled_and_others_are_not(
    sqlite_engine: Engine,
) -> None:
    make_org(sqlite_engine, NOW)
    m = manifest()
    declared = m["settings"]["event_subscriptions"]["bot_events"]
    (slash,) = [c["command"] for c in m["features"]["slash_commands"]]
    with slack_app(sqlite_engine) as (base, _):
        for name in declared:
            assert event(base, sample(name)).status_code == 200, name
        for name in UNWANTED:
            assert event(base, {"type": name, "user": "U1"}).status_code == 404, name
        for command, expected in ((slash, 200), ("/somebody-else", 404)):
            body = urlencode(
                {
                    "command": command,
                    "text": "help",
                    "user_id": "U1",
                    "channel_id": "C1",
                    "team_id": "T1",
                }
            )
            answer = post(base, body, "application/x-www-form-urlencoded")
            assert answer.status_code == expected, command


def test_scopes_are_exactly_what_the_calls_and_events_need() -> None:
    m = manifest()
    sources = [
        *Path(assistant.slack.__file__).parent.glob("*.py"),
        Path(slack_delivery.__file__),
    ]
    called = {
        method
        for path in sources
        for method in re.findall(r"client\.(\w+)\(", path.read_text(encoding="utf-8"))
    }
    assert called <= set(METHOD_SCOPES), f"a Web API call without a known scope: {called}"
    needed = {METHOD_SCOPES[c] for c in called} | {
        EVENT_SCOPES[e] for e in m["settings"]["event_subscriptions"]["bot_events"]
    }
    needed |= {"commands"}  # the slash command
    needed |= {"users:read.email"}  # users.info's profile email links a Slack user
    needed |= {"chat:write.public"}  # reports to a "#channel" the bot was not invited to
    assert set(m["oauth_config"]["scopes"]["bot"]) == needed - {None}
