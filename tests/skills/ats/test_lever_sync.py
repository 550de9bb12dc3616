"""Mirroring Lever through its API v1 (a local peer speaking Lever's wire format: `data`,
`hasNext`/`next` pagination, `updated_at_start`, 429 and 401 on demand): the pipeline report
over the mirror shows the peer's own counts and the first sync is a baseline, advances between
syncs become stage changes, and a fault mid-sync loses nothing."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bench.kit.peers.lever import HIRED_REASON, STAGES, LeverPeer, ms
from models.store.ats_sync import cursor_of, get_source
from skills.ats.demo import DemoAts
from skills.ats.lever_client import LeverError
from tests.skills.ats.harvest_org import API_KEY, connect, mirror, report, served

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def in_pipeline(peer: LeverPeer) -> list[dict[str, Any]]:
    """The opportunities in a posting's pipeline (a lead in none is no application)."""
    return [o for o in peer.records["opportunities"] if o["applications"]]


def expected_applications(peer: LeverPeer) -> list[tuple[str, str, str]]:
    """(opportunity, stage, status) as Lever's records say, independently of the mapping."""
    expected = []
    for opp in in_pipeline(peer):
        archived = opp["archived"]
        status = (
            "active"
            if archived is None
            else "hired"
            if archived["reason"] == HIRED_REASON
            else "rejected"
        )
        expected.append((opp["id"], peer.stage_name(opp["stage"]), status))
    return sorted(expected)


def active_by_stage(peer: LeverPeer) -> dict[str, int]:
    return dict(
        Counter(peer.stage_name(o["stage"]) for o in in_pipeline(peer) if o["archived"] is None)
    )


def test_the_pipeline_report_over_the_lever_mirror_shows_the_peers_counts(
    engine: Engine,
) -> None:
    peer = LeverPeer.generated(API_KEY, NOW)
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme", vendor="lever")
        counts = org.sync(NOW)
    assert counts.users == 2  # rita@ and hank@ are skilltick users; the others are not
    assert counts.applications == len(in_pipeline(peer))
    assert any("offset=" in q for q in peer.seen_queries)  # 10 a page: several pages
    mirrored = mirror(engine, org.org_id)
    contacts = {o["contact"] for o in peer.records["opportunities"]}
    assert {row[0] for row in mirrored["candidates"]} == contacts  # one row per person
    assert sorted((row[0], row[3], row[4]) for row in mirrored["applications"]) == (
        expected_applications(peer)
    )
    assert {row[0] for row in mirrored["jobs"]} == {p["id"] for p in peer.records["postings"]}
    assert {row[5:7] for row in mirrored["jobs"]} == {("hank@acme.test", "rita@acme.test")}
    interviews = [i for found in peer.interviews.values() for i in found]
    assert len(mirrored["interviews"]) == len(interviews) > 0
    output = report(engine, org.org_id, NOW, None)
    by_stage = output.summary["by_stage"]
    assert {stage: n for stage, n in by_stage.items() if n} == active_by_stage(peer)
    assert list(by_stage)[: len(STAGES)] == list(STAGES)  # Lever's pipeline order
    assert output.summary["moves"] == 0  # the first sync is a baseline, not moves
    assert mirrored["activities"] == []


def test_a_second_lever_sync_after_three_advances_finds_three_stage_changes(
    engine: Engine,
) -> None:
    peer = LeverPeer.generated(API_KEY, NOW)
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme", vendor="lever")
        org.sync(NOW)
        movable = [
            o
            for o in in_pipeline(peer)
            if o["archived"] is None and peer.stage_name(o["stage"]) == "New applicant"
        ][:3]
        assert len(movable) == 3
        for n, opp in enumerate(movable):
            peer.move(opp["id"], "Recruiter screen", NOW + timedelta(minutes=30 + n))
        peer.seen_queries.clear()
        later = NOW + timedelta(hours=1)
        counts = org.sync(later)
        again = org.sync(later + timedelta(minutes=15))
    assert counts.stage_changes == 3
    assert counts.applications == 3  # only what changed since the last sync was read
    since = ms(NOW - timedelta(minutes=5))
    assert any(f"updated_at_start={since}" in q for q in peer.seen_queries)
    assert again.stage_changes == 0  # a move is recorded once
    moves = mirror(engine, org.org_id)["activities"]
    assert sorted((m[0], m[2], m[3]) for m in moves) == sorted(
        (o["id"], "New applicant", "Recruiter screen") for o in movable
    )
    output = report(engine, org.org_id, later, NOW)
    assert output.summary["moves"] == 3
    by_stage = output.summary["by_stage"]
    assert {stage: n for stage, n in by_stage.items() if n} == active_by_stage(peer)


def test_a_500_mid_lever_sync_then_a_rerun_gives_the_uninterrupted_mirror(
    engine: Engine,
) -> None:
    peer = LeverPeer.generated(API_KEY, NOW)
    with served(peer) as url:
        whole = connect(engine, url, NOW, "whole", vendor="lever")
        whole.sync(NOW)
        broken = connect(engine, url, NOW, "broken", vendor="lever")
        # users, stages, archive reasons, postings, the first page of opportunities and the
        # interviews of some of it: then Lever fails
        peer.served, peer.fail_after = 0, 9
        with pytest.raises(LeverError) as failed:
            broken.sync(NOW, attempts=3)
        message = str(failed.value)
        assert message.startswith("Lever GET /v1/opportunities/")
        assert message.endswith(" failed: HTTP 500 after 3 attempts.") and "\n" not in message
        assert broken.sleeps == [1.0, 2.0]  # backed off, bounded
        source = get_source(engine, broken.source_id)
        assert source.last_error == message and source.last_synced_at is None
        assert cursor_of(engine, broken.source_id, "postings") is not None
        assert cursor_of(engine, broken.source_id, "opportunities") is None  # not finished
        partial = mirror(engine, broken.org_id)
        assert 0 < len(partial["applications"]) < len(in_pipeline(peer))
        peer.fail_after = None
        broken.sync(NOW)
    assert mirror(engine, broken.org_id) == mirror(engine, whole.org_id)
    assert get_source(engine, broken.source_id).last_error is None


def test_lever_rate_limits_are_waited_out_as_retry_after_says(engine: Engine) -> None:
    peer = LeverPeer.generated(API_KEY, NOW, contacts=5)
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme", vendor="lever")
        peer.throttle = 2
        counts = org.sync(NOW)
    assert org.sleeps == [2.0, 2.0]
    assert counts.applications == len(in_pipeline(peer))


def test_a_refused_lever_key_is_one_line_naming_the_endpoint_and_changes_nothing(
    engine: Engine,
) -> None:
    peer = LeverPeer.generated("another-key", NOW, contacts=5)
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme", vendor="lever")
        before = mirror(engine, org.org_id)
        with pytest.raises(LeverError) as refused:
            org.sync(NOW)
    message = str(refused.value)
    assert message == (
        "Lever refused the API key on GET /v1/users (HTTP 401): check the key (Lever: "
        "Settings, Integrations and API, API Credentials)."
    )
    assert API_KEY not in message
    assert mirror(engine, org.org_id) == before


def test_a_contact_gone_from_lever_loses_its_personal_fields(engine: Engine) -> None:
    peer = LeverPeer.generated(API_KEY, NOW, contacts=8)
    gone = in_pipeline(peer)[2]
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme", vendor="lever")
        org.sync(NOW)
        peer.records["opportunities"] = [
            o for o in peer.records["opportunities"] if o["contact"] != gone["contact"]
        ]
        counts = org.sync(NOW + timedelta(days=1), full=True)
    assert counts.scrubbed == 1
    rows = {row[0]: row for row in mirror(engine, org.org_id)["candidates"]}
    assert rows[gone["contact"]][1:5] == ("", "", "", "")
    apps = [a for a in mirror(engine, org.org_id)["applications"] if a[1] == gone["contact"]]
    assert apps  # their applications stay, so counts over time hold


#: Lever's offer statuses once the candidate has the offer, as the mirror's (drafts and offers
#: awaiting approval are not the candidate's yet)
OFFER_STATUS = {
    "sent": "extended",
    "sent-manually": "extended",
    "opened": "extended",
    "signed": "accepted",
    "denied": "declined",
}


def test_lever_offers_are_mirrored_and_one_signed_later_is_accepted_at_the_next_sync(
    engine: Engine,
) -> None:
    peer = LeverPeer.generated(API_KEY, NOW)
    offers = [(opp, found[-1]) for opp, found in peer.offers.items() if found]
    statuses = ["approval-sent", "sent", "opened", "denied", "signed", "draft", "sent-manually"]
    assert len(offers) >= 5
    for (_, offer), status in zip(offers, statuses, strict=False):
        offer["status"] = status
    expected = sorted(
        (
            offer["id"],
            opp,
            OFFER_STATUS[offer["status"]],
            str(datetime.fromtimestamp(offer["fields"][0]["value"] / 1000, tz=UTC).date()),
        )
        for opp, offer in offers
        if offer["status"] in OFFER_STATUS
    )
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme", vendor="lever")
        counts = org.sync(NOW)
        first = [(o, a, s, str(d)) for o, a, s, d in mirror(engine, org.org_id)["offers"]]
        assert counts.offers == len(expected) and sorted(first) == expected
        sent = next(opp for opp, offer in offers if offer["status"] == "sent")
        peer.sign(sent, NOW + timedelta(minutes=40))
        again = org.sync(NOW + timedelta(hours=1))
    assert again.offers == 1  # only the opportunity that changed was read again
    rows = {row[1]: row for row in mirror(engine, org.org_id)["offers"]}
    assert rows[sent][2] == "accepted"


def _moment(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, tz=UTC)


def expected_hires(peer: LeverPeer) -> list[tuple[datetime, datetime]]:
    """(applied, hired) of each hired candidacy as Lever's records say: hired when its offer
    was signed (the signed document's upload), else when it last advanced."""
    hires = []
    for opp in in_pipeline(peer):
        if (opp["archived"] or {}).get("reason") != HIRED_REASON:
            continue
        signed = [
            o["signedDocument"]["uploadedAt"]
            for o in peer.offers.get(opp["id"], [])
            if o["status"] == "signed" and o["signedDocument"]
        ]
        hired = max(signed) if signed else opp["lastAdvancedAt"]
        hires.append((_moment(opp["createdAt"]), _moment(hired)))
    return sorted(hires)


def test_a_lever_hire_is_dated_by_its_signed_offer_whichever_sync_sees_it_first(
    engine: Engine,
) -> None:
    peer = LeverPeer.generated(API_KEY, NOW, seed=15)  # a seed whose account has hires
    hired = [
        o["id"]
        for o in in_pipeline(peer)
        if (o["archived"] or {}).get("reason") == HIRED_REASON and peer.offers.get(o["id"])
    ]
    assert len(hired) >= 2
    late = hired[0]  # hired before its offer is seen signed
    peer.offers[late][-1].update(status="sent", signedDocument=None)
    wide = (NOW - timedelta(days=3650), NOW + timedelta(days=1))
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme", vendor="lever")
        org.sync(NOW)
        first = sorted(
            (h.applied_at, h.hired_at) for h in DemoAts(engine, org.org_id).hires_between(*wide)
        )
        assert first == expected_hires(peer)
        peer.sign(late, NOW + timedelta(minutes=40))
        org.sync(NOW + timedelta(hours=1))
    again = sorted(
        (h.applied_at, h.hired_at) for h in DemoAts(engine, org.org_id).hires_between(*wide)
    )
    assert again == expected_hires(peer) != first
