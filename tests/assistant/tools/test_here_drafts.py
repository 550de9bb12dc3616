"""A request drafted where it was said: "post it here" in a Slack channel is that channel (the
draft's origin names it), in a Slack direct message the requester's DM, elsewhere the app; the
automation confirmed posts there."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_org
from models.settings import load_settings
from models.store.orgs import get_user

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
REQUEST = "every monday at 9am send me a summary of my pipeline, post it here"


def test_here_is_where_the_request_was_said(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW)
    user = get_user(sqlite_engine, org.member_id)
    me = Actor(user.org_id, user.id or 0, user.role, user.email, None)
    tools = Toolset(sqlite_engine, load_settings(slack_bot_token="xoxb-test"), clock=lambda: NOW)
    drafted = []
    for origin, via, output, said in (
        (
            {"channel": "slack", "slack_channel": "C0HIRING1"},
            "slack",
            ("slack", ["C0HIRING1"]),
            "“post it here” is this channel",
        ),
        (
            {"channel": "slack", "slack_channel": "D0DIRECT1"},
            "slack",
            ("slack", ["me"]),
            "“post it here” is your direct messages with me on Slack",
        ),
        ({}, None, ("in_app", ["me"]), "“post it here” is the app"),
    ):
        draft = tools.draft_automation(me, REQUEST, origin=origin, via=via)
        assert draft.status == "ok" and draft.id is not None, draft.question
        shown = draft.draft["output"]
        assert (shown["channel"], shown["to"]) == output
        assert said in draft.summary
        drafted.append(draft.id)
    view = tools.confirm_draft(me, drafted[0])
    assert (view.output_channel, view.to) == ("slack", ["C0HIRING1"])
