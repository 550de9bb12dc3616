"""The conversation scripts through Slack as Slack sends them: signed Events API requests (a DM
per turn) to the app served by uvicorn, and a click on the button the bot offered whenever the
script answers with that button's words; the bot's Web API calls land on the local Web API
peer, which records what it posts. Each script's organisation is its own Slack workspace."""

from __future__ import annotations

import json
import time
from itertools import count
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.engine import Engine

from bench.kit.conversation.scripts import NOW, SCRIPTS, run_script
from models.store.conversations import save_installation, user_for_slack
from models.store.orgs import find_org
from tests.assistant.slack.harness import PROFILE, SECRET, post, slack_app

ids = count(1)


def test_every_script_through_slack(sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    with slack_app(engine) as (base, api):
        linked: set[str] = set()
        offered: dict[str, list[dict[str, Any]]] = {}  # channel -> the last reply's buttons

        def replies() -> int:
            return len([m for m, _ in api.calls if m in ("chat.postMessage", "chat.postEphemeral")])

        def say(org: str, email: str, key: str, message: str) -> dict[str, Any]:
            org_id = find_org(engine, org).id or 0
            team, user, channel = f"T{org}", f"U{email.split('@')[0]}{org}", f"D{key}"
            if user not in linked:
                save_installation(
                    engine, org_id=org_id, team_id=team, bot_user_id=None, bot_token=None, now=NOW
                )
                user_for_slack(engine, org_id, user, email)
                linked.add(user)
            before = replies()
            button = next((b for b in offered.get(channel, []) if b["value"] == message), None)
            if button is not None:
                payload = {
                    "type": "block_actions",
                    "team": {"id": team},
                    "user": {"id": user},
                    "channel": {"id": channel},
                    "message": {"ts": f"1700000000.{next(ids):06d}", "text": ""},
                    "container": {"type": "message"},
                    "actions": [{**button, "block_id": "chat_choices", "action_ts": "1"}],
                }
                body = urlencode({"payload": json.dumps(payload)})
                response = post(base, body, "application/x-www-form-urlencoded")
            else:
                inner = {
                    "type": "message",
                    "channel_type": "im",
                    "user": user,
                    "channel": channel,
                    "ts": f"1700000000.{next(ids):06d}",
                    "text": message,
                }
                envelope = {
                    "type": "event_callback",
                    "team_id": team,
                    "api_app_id": "A1",
                    "event_id": f"Ev{time.monotonic_ns()}",
                    "event_time": 1,
                    "event": inner,
                }
                response = post(base, json.dumps(envelope), "application/json")
            assert response.status_code == 200
            with api.changed:
                assert api.changed.wait_for(lambda: replies() > before, 15), message
            method, args = [
                (m, a) for m, a in api.calls if m in ("chat.postMessage", "chat.postEphemeral")
            ][-1]
            assert args["channel"] == channel
            blocks = args.get("blocks") or []
            offered[channel] = [
                e
                for b in blocks
                if b.get("type") == "actions" and b.get("block_id") == "chat_choices"
                for e in b["elements"]
            ]
            if method == "chat.postEphemeral":
                assert args["user"] == user
                return {"text": args["text"], "kind": "error"}
            metadata = args["metadata"]
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            assert metadata["event_type"] == "skilltick_reply"
            return {"text": args["text"], "kind": metadata["event_payload"]["kind"]}

        # Slack speakers speak in their profile's zone (users.info), which reads their time words
        zone = str(PROFILE["tz"])
        turns = sum(
            run_script(engine, i, s, say, "slack", zone=zone) for i, s in enumerate(SCRIPTS)
        )
    assert turns >= 90
    clicks = [a for m, a in api.calls if m == "chat.postMessage" and a.get("blocks")]
    assert clicks  # drafts and confirmations offered buttons
    assert SECRET  # every request above was signed with the app's secret
