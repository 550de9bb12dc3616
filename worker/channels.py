"""Which channel delivers an automation's output. Email is built in (SMTP, or the local outbox
when no SMTP server is configured); noop serves benchmarks. Other channels register here."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.engine import Engine

from models.errors import DeliveryError
from models.settings import Settings
from worker.delivery import Channel, NoopChannel, email_channel


class ChannelRegistry:
    def __init__(self, engine: Engine, settings: Settings) -> None:
        self._factories: dict[str, Callable[[], Channel]] = {
            "email": lambda: email_channel(settings, engine),
            "noop": NoopChannel,
        }
        self._built: dict[str, Channel] = {}

    def register(self, name: str, channel: Channel) -> None:
        """Use `channel` for `name` (tests and adapters plug in here)."""
        self._built[name] = channel

    def get(self, name: str) -> Channel:
        if name not in self._built:
            factory = self._factories.get(name)
            if factory is None:
                raise DeliveryError(
                    f"The {name} channel is not set up on this server.", retryable=False
                )
            self._built[name] = factory()
        return self._built[name]
