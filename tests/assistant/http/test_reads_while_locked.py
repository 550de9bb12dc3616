"""On SQLite, reading never queues for the write lock: while another connection holds it (a
tick completing its runs, a webhook burst), the tool set's list/show/history tools, the REST
API's GETs, the MCP read tools and the dashboard's pages answer at once, and a write still
waits for the lock and then goes through."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
import httpx
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation
from models.store.access import list_tokens
from models.store.single_writer import write
from tests.assistant.http.service_harness import live_server, make_context, make_org_with_tokens
from tests.login import sign_in

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
# far below the engine's busy timeout (30 s): a read that queued for the lock would miss it
ANSWER_WITHIN_S = 10


@contextmanager
def write_lock_held(engine: Engine) -> Iterator[None]:
    """Another connection to the same file inside BEGIN IMMEDIATE, with a write pending."""
    path = Path(str(engine.url.database))
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("UPDATE automations SET description = 'being written' WHERE id > 0")
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def within(pool: ThreadPoolExecutor, call: Callable[[], Any]) -> Any:
    return pool.submit(call).result(timeout=ANSWER_WITHIN_S)


def mcp_list(base: str, token: str) -> Any:
    async def go() -> Any:
        http = httpx2.AsyncClient(
            headers={"Authorization": f"Bearer {token}"}, timeout=ANSWER_WITHIN_S
        )
        async with (
            http,
            Client(streamable_http_client(f"{base}/mcp", http_client=http), mode="legacy") as mcp,
        ):
            return (await mcp.call_tool("list_automations", {})).structured_content

    return anyio.run(go)


def test_reads_answer_while_another_connection_holds_the_write_lock(
    sqlite_engine: Engine,
) -> None:
    engine = sqlite_engine
    ctx = make_context(engine, clock=lambda: NOW)
    acme = make_org_with_tokens(engine, NOW, slug="acme")
    member = acme.actor(engine)
    auto = make_automation(engine, acme.fixture, NOW, name="Pipeline digest")
    run = ctx.tools.run_now(member, auto.id or 0)
    tools = ctx.tools
    with (
        live_server(ctx, lifespan=True) as base,
        ThreadPoolExecutor(4) as pool,
        httpx.Client(base_url=base, timeout=ANSWER_WITHIN_S) as browser,
        httpx.Client(
            base_url=base,
            headers={"Authorization": f"Bearer {acme.member_token}"},
            timeout=ANSWER_WITHIN_S,
        ) as api,
    ):
        assert sign_in(browser, acme.member_token).status_code == 303
        with write_lock_held(engine):
            # the tool set, as Slack and the CLI call it
            listed = within(pool, lambda: tools.list_automations(member))
            assert [a.name for a in listed] == ["Pipeline digest"]
            assert within(pool, lambda: tools.get_automation(member, auto.id or 0)).id == auto.id
            assert [
                r.id for r in within(pool, lambda: tools.list_runs(member, automation_id=auto.id))
            ] == [run.id]
            assert within(pool, lambda: tools.get_run(member, run.id)).id == run.id
            # the REST API (a first use of the token: its last use is recorded later)
            page = api.get("/api/automations")
            assert page.status_code == 200
            assert [a["id"] for a in page.json()["items"]] == [auto.id]
            assert api.get(f"/api/automations/{auto.id}").json()["name"] == "Pipeline digest"
            runs = api.get(f"/api/automations/{auto.id}/runs").json()["items"]
            assert [r["id"] for r in runs] == [run.id]
            assert api.get(f"/api/runs/{run.id}").json()["status"] == "pending"
            # MCP over HTTP
            assert [a["id"] for a in mcp_list(base, acme.member_token)["result"]] == [auto.id]
            # the dashboard
            home = browser.get("/")
            assert home.status_code == 200 and "Pipeline digest" in home.text
            detail = browser.get(f"/automations/{auto.id}")
            assert detail.status_code == 200 and f"/runs/{run.id}" in detail.text
            assert browser.get(f"/runs/{run.id}").status_code == 200

            # a write queues for the lock: it cannot finish while the lock is held
            pausing: Future[httpx.Response] = pool.submit(
                lambda: api.post(
                    f"/api/automations/{auto.id}/toggle", json={"enabled": False}, timeout=60
                )
            )
            assert within(pool, lambda: tools.list_automations(member))[0].enabled
            assert not pausing.done()
        paused = pausing.result(timeout=60)
        assert paused.status_code == 200, paused.text
        assert paused.json()["enabled"] is False
    # the token's use, queued behind the lock, is written once the lock is free: a later write
    # through the same single writer returns only once everything queued before it committed
    write(engine, lambda conn: None)
    (token,) = [t for t in list_tokens(engine, acme.fixture.org_id) if t.user_id == member.user_id]
    assert token.last_used_at is not None
