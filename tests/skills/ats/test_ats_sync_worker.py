"""The worker keeps connected ATS mirrors fresh by itself (a local Harvest peer, both stores):
it syncs when a source is due and not before, beside the tick; one sync of an organisation
runs at a time across holders and a dead holder's lease is taken over; a failing peer is
recorded on the source, never breaks the tick, and pushes the next sync back."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from bench.kit.peers.harvest import HarvestPeer
from models.settings import CoreSettings, Settings
from models.store.ats_sync import claim_sync, connect_source, get_source
from skills.ats.leased_sync import LEASE, SyncOutcome, leased_sync
from tests.skills.ats.harvest_org import API_KEY, connect, mirror, served
from worker.run.ats_syncs import AtsSyncs
from worker.tick.factory import build_worker
from worker.tick.tick import Worker

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
INTERVAL = timedelta(minutes=15)


def syncs_of(worker: Worker) -> AtsSyncs:
    return next(hook for hook in worker.before_claim if isinstance(hook, AtsSyncs))


def tick(worker: Worker, now: datetime) -> None:
    """One tick at `now`, then wait for the sync it may have started beside itself."""
    worker.tick(now)
    syncs_of(worker).join(timeout=120)


def test_the_worker_syncs_when_due_and_not_before(engine: Engine) -> None:
    peer = HarvestPeer.generated(API_KEY, NOW, candidates=12)
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme")
        worker = build_worker(engine, Settings())
        tick(worker, NOW)
        first = get_source(engine, org.source_id)
        assert first.last_synced_at == NOW and first.last_error is None
        assert first.last_full_at == NOW  # the first sync reads everything
        assert first.next_sync_at == NOW + INTERVAL
        assert first.lease_owner is None and first.lease_until is None
        assert mirror(engine, org.org_id)["candidates"]
        served_after_first = peer.served

        tick(worker, NOW + INTERVAL - timedelta(minutes=1))
        assert peer.served == served_after_first  # not due yet: Harvest was not asked

        peer.move(peer.records["applications"][0]["id"], "Offer", NOW + timedelta(minutes=5))
        tick(worker, NOW + INTERVAL)
        second = get_source(engine, org.source_id)
        assert peer.served > served_after_first
        assert second.last_synced_at == NOW + INTERVAL
        assert second.last_full_at == NOW  # incremental: the daily full read is not due
        assert second.next_sync_at == NOW + 2 * INTERVAL
        stages = {row[3] for row in mirror(engine, org.org_id)["applications"]}
        assert "Offer" in stages

        tick(worker, NOW + timedelta(days=1))
        assert get_source(engine, org.source_id).last_full_at == NOW + timedelta(days=1)


def test_a_setting_of_zero_turns_the_worker_syncs_off(engine: Engine) -> None:
    peer = HarvestPeer.generated(API_KEY, NOW, candidates=5)
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme")
        worker = build_worker(engine, Settings(core=CoreSettings(ats_sync_minutes=0)))
        tick(worker, NOW)
    assert peer.served == 0
    assert get_source(engine, org.source_id).last_synced_at is None


def test_two_syncs_of_one_org_at_once_one_runs_the_mirror_is_one_syncs(engine: Engine) -> None:
    peer = HarvestPeer.generated(API_KEY, NOW, candidates=12)
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme")
        alone = connect(engine, url, NOW, "solo")
        source = get_source(engine, org.source_id)
        together = threading.Barrier(2)
        outcomes: list[SyncOutcome] = []

        def sync(holder: str) -> None:
            together.wait()
            outcomes.append(
                leased_sync(engine, source, NOW, holder=holder, interval=INTERVAL, per_page=5)
            )

        threads = [threading.Thread(target=sync, args=(h,)) for h in ("worker-a", "cli")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        solo = leased_sync(
            engine, get_source(engine, alone.source_id), NOW, holder="x", interval=INTERVAL
        )
    assert sorted(o.busy for o in outcomes) == [False, True]
    ran = next(o for o in outcomes if not o.busy)
    assert ran.error is None and ran.counts is not None
    assert solo.counts is not None
    assert mirror(engine, org.org_id) == mirror(engine, alone.org_id)
    assert get_source(engine, org.source_id).lease_owner is None


def test_a_dead_holders_lease_is_taken_over_once_it_expires(engine: Engine) -> None:
    peer = HarvestPeer.generated(API_KEY, NOW, candidates=5)
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme")
        assert claim_sync(engine, org.source_id, holder="dead", now=NOW, lease=LEASE)
        source = get_source(engine, org.source_id)
        early = leased_sync(engine, source, NOW + LEASE / 2, holder="worker", interval=INTERVAL)
        assert early.busy and peer.served == 0
        worker = build_worker(engine, Settings())
        tick(worker, NOW + LEASE / 2)  # the worker skips a leased source
        assert peer.served == 0
        tick(worker, NOW + LEASE)
    after = get_source(engine, org.source_id)
    assert after.last_synced_at == NOW + LEASE and after.lease_owner is None
    assert mirror(engine, org.org_id)["candidates"]


def test_a_failing_peer_is_recorded_backs_off_and_never_breaks_the_tick(engine: Engine) -> None:
    peer = HarvestPeer.generated(API_KEY, NOW, candidates=5)
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme")
        connect_source(
            engine, org_id=org.org_id, vendor="greenhouse", base_url=url, api_key="revoked",
            now=NOW,
        )  # fmt: skip
        worker = build_worker(engine, Settings())
        tick(worker, NOW)  # returns: the failure stays beside the tick
        failed = get_source(engine, org.source_id)
        assert failed.last_error is not None and "401" in failed.last_error
        assert failed.last_synced_at is None and failed.failures == 1
        assert failed.next_sync_at == NOW + 2 * INTERVAL  # backed off
        assert failed.lease_owner is None
        asked = peer.served

        tick(worker, NOW + INTERVAL)
        assert peer.served == asked  # not retried before its backed-off time

        tick(worker, NOW + 2 * INTERVAL)
        again = get_source(engine, org.source_id)
        assert again.failures == 2 and again.next_sync_at == NOW + 2 * INTERVAL + 4 * INTERVAL

        connect_source(
            engine, org_id=org.org_id, vendor="greenhouse", base_url=url, api_key=API_KEY, now=NOW
        )
        tick(worker, NOW + 6 * INTERVAL)
    healed = get_source(engine, org.source_id)
    assert healed.last_error is None and healed.failures == 0
    assert healed.last_synced_at == NOW + 6 * INTERVAL
    assert healed.next_sync_at == NOW + 7 * INTERVAL
