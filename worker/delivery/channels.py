"""Which channel delivers an automation's output: email (SMTP, or the local outbox when no SMTP
server is configured), slack (a bot token), webhook (a signing secret), in_app (the inbox
table), and noop for benchmarks. A channel whose settings are missing says so when first asked
for (the run fails with that message, not retried); the others work regardless. Slack messages
are laid out by `slack_layout`, which the Slack app hands over (plain text without it)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine

from models.errors import DeliveryError
from models.settings import Settings
from models.store.conversations import bot_token_for_org
from worker.delivery.base import Channel, ChatLayout
from worker.delivery.breaker import Breakers
from worker.delivery.email import email_channel
from worker.delivery.inapp import InAppChannel
from worker.delivery.noop import NoopChannel
from worker.delivery.slack import SlackChannel
from worker.delivery.webhook import WebhookChannel


class ChannelRegistry:
    def __init__(
        self, engine: Engine, settings: Settings, *, slack_layout: ChatLayout | None = None
    ) -> None:
        # built when first asked for: a deployment without Slack or webhooks never builds them
        self._factories: dict[str, Callable[[], Channel]] = {
            "email": lambda: email_channel(settings.smtp, engine),
            "slack": lambda: SlackChannel(
                settings.slack,
                token_for_org=lambda org_id: bot_token_for_org(engine, org_id),
                layout=slack_layout,
            ),
            "webhook": lambda: WebhookChannel(settings.webhooks, layout=slack_layout),
            "in_app": lambda: InAppChannel(engine),
            "noop": NoopChannel,
        }
        self._built: dict[str, Channel] = {}
        self._lock = threading.Lock()  # runs execute on several threads

    def register(self, name: str, channel: Channel) -> None:
        """Use `channel` for `name` (tests and adapters plug in here)."""
        self._built[name] = channel

    def get(self, name: str) -> Channel:
        # a channel once built is only ever read (dict reads are atomic): every run asks
        built = self._built.get(name)
        if built is not None:
            return built
        with self._lock:
            return self._get(name)

    def _get(self, name: str) -> Channel:
        if name not in self._built:
            factory = self._factories.get(name)
            if factory is None:
                raise DeliveryError(
                    f"The {name} channel is not set up on this server.", retryable=False
                )
            # a missing token raises DeliveryError here; nothing is cached, so setting it and
            # restarting is enough
            self._built[name] = factory()
        return self._built[name]

    def open_breakers(self) -> list[dict[str, Any]]:
        """Destinations failing fast now, over every channel built so far."""
        with self._lock:
            channels = list(self._built.values())
        found: list[dict[str, Any]] = []
        for channel in channels:
            breakers: Breakers | None = getattr(channel, "breakers", None)
            if breakers is not None:
                found.extend(breakers.open())
        return found
