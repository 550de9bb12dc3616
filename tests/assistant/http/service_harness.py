"""Shared parts of the service tests: an application context on a test engine, and the real
app served by uvicorn on 127.0.0.1, port 0, in a thread."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import httpx
from sqlalchemy.engine import Engine

from assistant.app import AppContext
from assistant.http import create_app
from assistant.slack.blocks import SlackBlocks
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import OrgFixture, make_org
from models.settings import Settings, load_settings
from models.store.access import create_token
from models.store.orgs import get_user
from skills.builtin import default_registry
from tests.loopback import serving


def make_context(
    engine: Engine, settings: Settings | None = None, clock: Callable[[], datetime] | None = None
) -> AppContext:
    settings = settings or load_settings()
    registry = default_registry()
    wake = threading.Event()
    tools = Toolset(
        engine, settings, registry=registry, clock=clock, wake=wake.set, slack_layout=SlackBlocks()
    )
    return AppContext(settings, engine, registry, tools, wake)


def free_port() -> int:
    """A port free right now, for a server whose address must be known before it starts (its
    public URL is a setting)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(ctx: AppContext, port: int = 0, *, lifespan: bool = False) -> Iterator[str]:
    """The whole app (every surface) on a real socket; yields its base URL. `lifespan`: run the
    app's startup and shutdown (the MCP session manager needs them)."""
    with serving(create_app(ctx), port=port, lifespan=lifespan) as url:
        yield url


@dataclass(frozen=True)
class Org:
    """An organisation with an admin and a member, and a bearer token for each."""

    fixture: OrgFixture
    admin_token: str
    member_token: str

    def actor(self, engine: Engine, *, admin: bool = False) -> Actor:
        user_id = self.fixture.admin_id if admin else self.fixture.member_id
        return Actor.of(get_user(engine, user_id))


def make_org_with_tokens(
    engine: Engine, now: datetime, *, slug: str, plan: str = "enterprise"
) -> Org:
    org = make_org(engine, now, slug=slug, plan=plan)
    admin = get_user(engine, org.admin_id)
    member = get_user(engine, org.member_id)
    return Org(
        org,
        create_token(engine, user=admin, name="t", now=now).secret,
        create_token(engine, user=member, name="t", now=now).secret,
    )


def client(base_url: str, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=base_url, headers=headers, timeout=30)
