"""Someone talking to the conversation engine in process, and what the conversation keeps: a
user of an organisation already made (Chat), or a member of a fresh one (MemberChat: Slack
configured unless other settings are given, so a request may post to a channel; NoSlackChat:
Slack not configured)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from assistant.conversation import ConversationEngine, Turn
from assistant.conversation.reply import Reply
from assistant.tools.toolset import Actor, Toolset
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_org
from models.settings import Settings, load_settings
from models.store.conversations import get_draft, load_state
from models.store.orgs import get_user


class Chat:
    """User `user_id` in conversation `key`, speaking from `tz`, with the clock at `now`."""

    def __init__(
        self,
        engine: Engine,
        user_id: int,
        *,
        key: str = "t",
        tz: str = "UTC",
        now: datetime = NOW,
        settings: Settings | None = None,
    ) -> None:
        self.engine, self.key, self.tz, self.now = engine, key, tz, now
        self.tools = Toolset(engine, settings or load_settings(), clock=lambda: now)
        self.conversation = ConversationEngine(self.tools)
        self.actor = Actor.of(get_user(engine, user_id))

    def say(self, message: str) -> Reply:
        return self.conversation.handle(Turn(self.actor, self.key, tz=self.tz), message)

    def state(self) -> dict[str, Any]:
        actor = self.actor
        return load_state(
            self.engine, org_id=actor.org_id, user_id=actor.user_id, key=self.key, now=self.now
        )

    def pending(self) -> dict[str, Any]:
        return dict(self.state()["pending"] or {})

    def draft(self, reply: Reply | None = None) -> dict[str, Any]:
        """The draft `reply` shows, else the one waiting for an answer."""
        draft_id = (reply.draft_id or 0) if reply is not None else self.pending()["draft_id"]
        return dict(get_draft(self.engine, self.actor.org_id, draft_id).draft)


class MemberChat(Chat):
    """The member of a fresh organisation "acme" (self.org)."""

    def __init__(
        self,
        engine: Engine,
        tz: str = "UTC",
        *,
        now: datetime = NOW,
        settings: Settings | None = None,
    ) -> None:
        self.org = make_org(engine, now, slug="acme")
        settings = settings or load_settings(slack_bot_token="xoxb-configured")
        super().__init__(engine, self.org.member_id, tz=tz, now=now, settings=settings)


class NoSlackChat(MemberChat):
    """The member of a fresh organisation "acme" where Slack is not configured."""

    def __init__(self, engine: Engine, tz: str = "UTC", *, now: datetime = NOW) -> None:
        super().__init__(engine, tz, now=now, settings=load_settings())
