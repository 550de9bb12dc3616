"""Lever's webhooks name stages by id; "when a candidate moves to Interview" is said by name. An
organisation whose Lever is mirrored gets its stage changes named from the mirror, over the real
webhook HTTP path (Lever's own signature) on both stores; what cannot be named is said, and a
filter written with a Lever stage id still matches."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from assistant.app import AppContext
from assistant.http.app import create_app
from bench.kit.factories import OrgFixture, make_automation, make_org
from bench.kit.peers.lever import LeverPeer
from models.store.ats_sync import connect_source
from models.store.events import list_events
from models.store.run_history import list_runs
from skills.ats.lever_client import LeverClient
from skills.ats.lever_sync import LeverSync
from tests.skills.ats.harvest_org import API_KEY, served
from tests.worker.triggers.trigger_support import (
    connection_url,
    http,
    lever_stage_change,
    make_context,
    serve,
)
from worker.tick.factory import build_worker

NOW = datetime.now(UTC)  # the webhook refuses triggeredAt more than 5 minutes off the clock


@pytest.fixture
def lever_org(
    tmp_path: Path, db_url: str, engine: Engine
) -> Iterator[tuple[AppContext, str, OrgFixture, LeverPeer]]:
    """The app on a real socket over `engine`'s database, with one organisation whose Lever
    (a local peer whose pipeline has a stage named "Interview") is mirrored once."""
    peer = LeverPeer.generated(API_KEY, NOW, contacts=6)
    peer.records["stages"][3]["text"] = "Interview"
    ctx = make_context(tmp_path, db_url)
    try:
        org = make_org(ctx.engine, NOW)
        with served(peer) as lever_url:
            source, _ = connect_source(
                ctx.engine,
                org_id=org.org_id,
                vendor="lever",
                base_url=lever_url,
                api_key=API_KEY,
                now=NOW,
            )
            LeverSync(ctx.engine, source, client=LeverClient(API_KEY, lever_url)).run(NOW)
        with serve(create_app(ctx)) as base:
            yield ctx, base, org, peer
    finally:
        ctx.engine.dispose()


def test_a_lever_move_into_the_interview_stage_fires_the_interview_automation_once(
    lever_org: tuple[AppContext, str, OrgFixture, LeverPeer],
) -> None:
    ctx, base, org, peer = lever_org
    stage_id = {s["text"]: s["id"] for s in peer.records["stages"]}
    to_interview = make_automation(
        ctx.engine,
        org,
        NOW,
        cron=None,
        trigger_type="event",
        event_type="candidate.stage_changed",
        next_run_at=None,
        event_filter={"to_stage": "Interview"},
    )
    by_id = make_automation(  # written before stages were named: the id still matches
        ctx.engine,
        org,
        NOW,
        cron=None,
        trigger_type="event",
        event_type="candidate.stage_changed",
        next_run_at=None,
        event_filter={"from_stage": stage_id["Recruiter screen"]},
    )
    url = connection_url(ctx, base, org.org_id, "lever", NOW)
    moves = [
        ("Recruiter screen", "Interview", "t-1"),
        ("Interview", "Offer", "t-2"),
        ("Interview", "stage-added-since", "t-3"),  # a stage the mirror has not read yet
    ]
    for from_name, to_name, token in moves:
        delivery = lever_stage_change(
            from_stage=stage_id[from_name],
            to_stage=stage_id.get(to_name, to_name),
            token=token,
        )
        answer = http.post(url, content=delivery.body, headers=delivery.headers)
        assert answer.status_code == 200, answer.text
    events = sorted(list_events(ctx.engine, org.org_id), key=lambda e: e.id or 0)
    assert [(e.data["from_stage"], e.data["to_stage"]) for e in events] == [
        ("Recruiter screen", "Interview"),
        ("Interview", "Offer"),
        ("Interview", "stage-added-since"),
    ]
    assert events[0].data["to_stage_id"] == stage_id["Interview"]
    assert [e.data.get("unnamed_stages") for e in events] == [None, None, "to_stage"]
    assert {e.status for e in events} == {"received"}  # none dropped
    build_worker(ctx.engine, ctx.settings).tick()
    assert len(list_runs(ctx.engine, org.org_id, automation_id=to_interview.id)) == 1
    assert len(list_runs(ctx.engine, org.org_id, automation_id=by_id.id)) == 1
