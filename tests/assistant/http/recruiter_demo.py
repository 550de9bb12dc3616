"""The demo organisation a recruiter's browser reads, served once for a test module: made as
`serve --demo` makes it, every automation run once, and a page signed in with a token."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.app import AppContext
from assistant.demo import (
    ServiceDemo,
    ensure_service_demo,
    move_a_candidate_to_interview,
)
from assistant.tools.base import Actor
from models.engine import make_engine
from models.store.orgs import find_org, find_user
from models.store.run_queue import db_now
from tests.assistant.http.service_harness import live_server, make_context
from tests.assistant.http.test_dashboard_browser import chromium  # noqa: F401
from tests.login import signed_in_page


@dataclass(frozen=True)
class Demo:
    url: str
    ctx: AppContext
    service: ServiceDemo
    recruiter: Actor


@pytest.fixture(scope="module", name="demo")
def served_demo(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Demo]:
    """The demo organisation as `serve --demo` makes it, every automation run once."""
    path = tmp_path_factory.mktemp("recruiter") / "skilltick.db"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    ctx = make_context(engine)
    service = ensure_service_demo(ctx, db_now(engine))
    org = find_org(engine, service.setup.org_slug)
    recruiter = Actor.of(find_user(engine, org.id or 0, service.setup.member_emails[0]))
    for view in service.automations:
        ctx.tools.run_now(recruiter, view.id)
    assert move_a_candidate_to_interview(ctx, service.setup) is not None  # the workflow's event
    ctx.build_worker().tick()
    try:
        with live_server(ctx) as url:
            yield Demo(url, ctx, service, recruiter)
    finally:
        engine.dispose()


def signed_in(browser: object, demo: Demo, token: str) -> object:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    page = signed_in_page(browser, demo.url, token)
    page.get_by_role("heading", name="Automations").wait_for()
    return page
