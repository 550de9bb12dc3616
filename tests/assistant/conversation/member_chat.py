"""A member of a fresh organisation talking to the conversation engine in process (Slack
configured, so a request may post to a channel), and what the conversation keeps."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from assistant.conversation import ConversationEngine, Turn
from assistant.conversation.reply import Reply
from assistant.tools.toolset import Actor, Toolset
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_org
from models.settings import load_settings
from models.store.conversations import get_draft, load_state
from models.store.orgs import get_user


class MemberChat:
    def __init__(self, engine: Engine, tz: str = "UTC") -> None:
        self.engine, self.tz = engine, tz
        self.org = make_org(engine, NOW, slug="acme")
        settings = load_settings(slack_bot_token="xoxb-configured")
        self.tools = Toolset(engine, settings, clock=lambda: NOW)
        self.conversation = ConversationEngine(self.tools)
        self.actor = Actor.of(get_user(engine, self.org.member_id))
        self.key = "t"

    def say(self, message: str) -> Reply:
        return self.conversation.handle(Turn(self.actor, self.key, tz=self.tz), message)

    def state(self) -> dict[str, Any]:
        return load_state(
            self.engine, org_id=self.org.org_id, user_id=self.org.member_id, key=self.key, now=NOW
        )

    def draft(self, reply: Reply) -> dict[str, Any]:
        return dict(get_draft(self.engine, self.org.org_id, reply.draft_id or 0).draft)
