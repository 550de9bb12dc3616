"""Mirroring Greenhouse through its Harvest API (a local peer speaking Harvest's wire format):
the pipeline report over the mirror shows the peer's own counts, stage moves become stage
changes, syncs are incremental and idempotent, and a fault mid-sync loses nothing."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bench.kit.peers.harvest import HarvestPeer
from models.store.ats_sync import cursor_of, get_source
from models.store.members import remove_user
from models.store.orgs import create_user
from skills.ats.greenhouse_client import HarvestError
from tests.skills.ats.harvest_org import API_KEY, connect, mirror, report, served

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def active_by_stage(peer: HarvestPeer) -> dict[str, int]:
    return dict(
        Counter(
            a["current_stage"]["name"]
            for a in peer.records["applications"]
            if a["status"] == "active" and not a["prospect"]
        )
    )


def test_the_pipeline_report_over_the_mirror_shows_the_peers_counts(engine: Engine) -> None:
    peer = HarvestPeer.generated(API_KEY, NOW)
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme")
        counts = org.sync(NOW)
    assert counts.applications == len(peer.records["applications"])
    assert counts.candidates == len(peer.records["candidates"])
    assert counts.users == 2  # rita@ and hank@ are skilltick users; the others are not
    output = report(engine, org.org_id, NOW, None)
    by_stage = output.summary["by_stage"]
    assert {stage: n for stage, n in by_stage.items() if n} == active_by_stage(peer)
    assert output.summary["active"] == sum(active_by_stage(peer).values())
    # the pipeline order is Greenhouse's: Take Home Test (one job's) after Phone Screen
    assert list(by_stage)[:3] == ["Application Review", "Phone Screen", "Take Home Test"]
    assert output.summary["moves"] == 0  # a first mirror finds no movement


def test_a_second_sync_after_three_moves_finds_three_stage_changes(engine: Engine) -> None:
    peer = HarvestPeer.generated(API_KEY, NOW)
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme")
        org.sync(NOW)
        movable = [
            a
            for a in peer.records["applications"]
            if a["status"] == "active" and a["current_stage"]["name"] == "Application Review"
        ][:3]
        assert len(movable) == 3
        for n, app in enumerate(movable):
            peer.move(app["id"], "Phone Screen", NOW + timedelta(minutes=30 + n))
        peer.seen_queries.clear()
        later = NOW + timedelta(hours=1)
        counts = org.sync(later)
    assert counts.stage_changes == 3
    assert counts.applications == 3  # only what changed since the last sync was read
    assert any(
        q.startswith("/v1/applications?") and "last_activity_after=2026-11-23T13%3A55" in q
        for q in peer.seen_queries
    )
    output = report(engine, org.org_id, later, NOW)
    assert output.summary["moves"] == 3
    by_stage = output.summary["by_stage"]
    assert {stage: n for stage, n in by_stage.items() if n} == active_by_stage(peer)


def test_syncing_twice_gives_the_same_mirror(engine: Engine) -> None:
    peer = HarvestPeer.generated(API_KEY, NOW)
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme")
        org.sync(NOW)
        first = mirror(engine, org.org_id)
        again = org.sync(NOW + timedelta(minutes=15), full=True)
    assert again.stage_changes == 0
    assert mirror(engine, org.org_id) == first


def test_a_fault_mid_sync_then_a_rerun_gives_the_uninterrupted_mirror(engine: Engine) -> None:
    peer = HarvestPeer.generated(API_KEY, NOW)
    with served(peer) as url:
        whole = connect(engine, url, NOW, "whole")
        whole.sync(NOW)
        broken = connect(engine, url, NOW, "broken")
        # users (1), jobs (1 page, 3 stage lists), then 2 of the 4 pages of candidates
        peer.served, peer.fail_after = 0, 7
        with pytest.raises(HarvestError) as failed:
            broken.sync(NOW, attempts=3)
        assert str(failed.value) == (
            "Greenhouse GET /v1/candidates failed: HTTP 500 after 3 attempts."
        )
        assert broken.sleeps == [1.0, 2.0]  # backed off, bounded
        source = get_source(engine, broken.source_id)
        assert source.last_error == str(failed.value) and source.last_synced_at is None
        assert cursor_of(engine, broken.source_id, "jobs") is not None
        assert cursor_of(engine, broken.source_id, "candidates") is None  # not finished
        partial = mirror(engine, broken.org_id)
        assert 0 < len(partial["candidates"]) < len(peer.records["candidates"])
        peer.fail_after = None
        broken.sync(NOW)
    assert mirror(engine, broken.org_id) == mirror(engine, whole.org_id)
    assert get_source(engine, broken.source_id).last_error is None


def test_rate_limits_are_waited_out_as_retry_after_says(engine: Engine) -> None:
    peer = HarvestPeer.generated(API_KEY, NOW, candidates=5)
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme")
        peer.throttle = 2
        counts = org.sync(NOW)
    assert org.sleeps == [2.0, 2.0]
    assert counts.candidates == 5


def test_a_refused_key_is_one_line_naming_the_endpoint_and_changes_nothing(
    engine: Engine,
) -> None:
    peer = HarvestPeer.generated("another-key", NOW, candidates=5)
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme")
        before = mirror(engine, org.org_id)
        with pytest.raises(HarvestError) as refused:
            org.sync(NOW)
    message = str(refused.value)
    assert message == (
        "Greenhouse refused the API key on GET /v1/users (HTTP 401): "
        "check the key and its Harvest permissions."
    )
    assert API_KEY not in message and "\n" not in message
    assert mirror(engine, org.org_id) == before


def test_a_candidate_gone_from_greenhouse_loses_its_personal_fields(engine: Engine) -> None:
    peer = HarvestPeer.generated(API_KEY, NOW, candidates=8)
    gone = peer.records["candidates"][3]
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme")
        org.sync(NOW)
        peer.delete_candidate(gone["id"])
        counts = org.sync(NOW + timedelta(days=1), full=True)
    assert counts.scrubbed == 1
    rows = {row[0]: row for row in mirror(engine, org.org_id)["candidates"]}
    assert rows[str(gone["id"])][1:5] == ("", "", "", "")
    kept = peer.records["candidates"][0]
    assert rows[str(kept["id"])][1:3] == (kept["first_name"], kept["last_name"])
    # their applications stay, so counts over time hold
    apps = [a for a in mirror(engine, org.org_id)["applications"] if a[1] == str(gone["id"])]
    assert len(apps) == len(gone["application_ids"])


def test_a_mirrored_row_removed_by_hand_comes_back_on_the_next_full_sync(engine: Engine) -> None:
    peer = HarvestPeer.generated(API_KEY, NOW, candidates=12)
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme")
        org.sync(NOW)
        before = mirror(engine, org.org_id)
        assert before["offers"]
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM ats_offers WHERE org_id = :o"), {"o": org.org_id})
        org.sync(NOW + timedelta(hours=1), full=True)
    assert mirror(engine, org.org_id) == before


def test_a_user_removed_from_skilltick_owns_nothing_until_added_again(engine: Engine) -> None:
    peer = HarvestPeer.generated(API_KEY, NOW, candidates=6)
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme")
        org.sync(NOW)
        before = mirror(engine, org.org_id)
        assert {row[5] for row in before["candidates"]} == {"rita@acme.test"}
        rita = find_user(engine, org.org_id, "rita@acme.test")
        admin = find_user(engine, org.org_id, "admin@acme.test")
        remove_user(engine, org.org_id, rita, heir_id=admin, now=NOW)
        org.sync(NOW + timedelta(hours=1), full=True)
        assert {row[5] for row in mirror(engine, org.org_id)["candidates"]} == {None}
        create_user(engine, org_id=org.org_id, email="rita@acme.test", name="Rita", now=NOW)
        org.sync(NOW + timedelta(hours=2), full=True)
    assert mirror(engine, org.org_id) == before


def find_user(engine: Engine, org_id: int, email: str) -> int:
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT id FROM users WHERE org_id = :o AND email = :e"), {"o": org_id, "e": email}
        ).scalar_one()
    return int(found)
