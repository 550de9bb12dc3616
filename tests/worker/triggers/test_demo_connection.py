"""One demo ATS, one connection: a `demo move` made before the demo poll was set up, then a
poll connection added, then more moves: each change is reported once, not once per connection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from models.settings import TriggerSettings
from models.store.events import add_connection, list_connections, list_events
from models.store.polls import demo_snapshot, move_demo_candidate
from skills.ats.seed import seed_demo
from worker.triggers.polling import Poller

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_moves_and_polls_of_the_demo_ats_share_one_connection_and_report_once(
    engine: Engine,
) -> None:
    demo = seed_demo(engine, now=NOW, candidates=8)
    active = [
        a
        for a in demo_snapshot(engine, demo.org_id)["applications"].values()
        if a["status"] == "active" and a["stage"] not in ("Offer", "Screen")
    ]
    first, second = int(active[0]["candidate_id"]), int(active[1]["candidate_id"])
    move_demo_candidate(engine, org_id=demo.org_id, candidate_id=first, stage="Offer", now=NOW)
    add_connection(
        engine, org_id=demo.org_id, provider="demo", secret="", now=NOW, poll_interval_minutes=5
    )
    [connection] = list_connections(engine, demo.org_id)
    assert connection.poll_interval_minutes == 5
    poller = Poller(engine, TriggerSettings())
    poller(NOW + timedelta(minutes=1))
    move_demo_candidate(
        engine,
        org_id=demo.org_id,
        candidate_id=second,
        stage="Offer",
        now=NOW + timedelta(minutes=2),
    )
    poller(NOW + timedelta(minutes=7))
    to_offer = [
        e
        for e in list_events(engine, demo.org_id, limit=100)
        if e.event_type == "candidate.stage_changed" and e.data.get("to_stage") == "Offer"
    ]
    assert len(to_offer) == 2  # one per candidate moved, none twice
