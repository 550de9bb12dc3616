"""open-roles-report and hiring-metrics over a Greenhouse mirror (a local Harvest peer, synced):
the open jobs, hires, time to hire and offers they report are those of the peer's records,
counted here from its JSON with the mirror's documented reading: a hire's moment is when it
accepted its offer (the offer's `resolved_at`), else the application's last activity."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine

from bench.kit.peers.harvest import HarvestPeer
from skills.ats.demo import DemoAts
from skills.ats.greenhouse_mapping import instant
from skills.base import OwnerInfo, SkillContext, SkillOutput
from skills.builtin import default_registry
from tests.skills.ats.harvest_org import API_KEY, connect, served

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def run(engine: Engine, org_id: int, skill: str, **params: object) -> SkillOutput:
    ctx = SkillContext(
        org_id=org_id,
        owner=OwnerInfo(1, "admin@acme.test", "Ada Admin", "UTC"),
        params=params,
        now=NOW,
        tz="UTC",
        triggered_by="test",
        last_success_at=None,
        trigger_data={},
        ats=DemoAts(engine, org_id),
    )
    return default_registry().get(skill).run(ctx)


def at(value: str) -> datetime:
    moment = instant(value)
    assert moment is not None
    return moment


def test_the_hiring_reports_over_a_greenhouse_mirror(engine: Engine) -> None:
    peer = HarvestPeer.generated(API_KEY, NOW)
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme")
        org.sync(NOW)
    records = peer.records
    open_jobs = sorted(
        (at(j["created_at"]), j["id"]) for j in records["jobs"] if j["status"] == "open"
    )
    roles = run(engine, org.org_id, "open-roles-report", older_than_days=0)
    assert roles.summary["open_roles"] == len(open_jobs) > 0
    by_department: dict[str, int] = {}
    for job in records["jobs"]:
        if job["status"] == "open":
            name = job["departments"][0]["name"] if job["departments"] else ""
            by_department[name] = by_department.get(name, 0) + 1
    assert roles.summary["by_department"] == by_department

    start = NOW - timedelta(days=92)  # a quarter back from Nov 23 is Aug 23
    accepted_at = {
        o["application_id"]: at(o["resolved_at"])
        for o in records["offers"]
        if o["status"] == "accepted"
    }
    hired = [a for a in records["applications"] if a["status"] == "hired" and not a["prospect"]]
    moments = {a["id"]: accepted_at.get(a["id"]) or at(a["last_activity_at"]) for a in hired}
    # both readings occur, and they differ: the offer's is earlier than the last activity
    assert 0 < len(set(moments) & set(accepted_at)) < len(moments)
    assert all(
        accepted_at[i] < at(a["last_activity_at"]) for a in hired if (i := a["id"]) in accepted_at
    )
    hires = [
        (moments[a["id"]] - at(a["applied_at"])).total_seconds() / 86400
        for a in hired
        if start < moments[a["id"]] <= NOW
    ]
    offers = [o for o in records["offers"] if start < at(o["created_at"]) <= NOW]
    metrics = run(engine, org.org_id, "hiring-metrics", period="quarter")
    assert metrics.summary["hires"] == len(hires) > 0
    assert metrics.summary["median_days_to_hire"] == round(statistics.median(hires), 1)
    assert metrics.summary["offers_made"] == len(offers)
    accepted = sum(o["status"] == "accepted" for o in offers)
    decided = sum(o["status"] in ("accepted", "rejected") for o in offers)
    assert metrics.summary["acceptance_rate"] == (round(accepted / decided, 3) if decided else None)


def test_a_greenhouse_hire_is_dated_by_its_accepted_offer_whichever_sync_sees_it_first(
    engine: Engine,
) -> None:
    """An offer accepted in one sync and its application hired in a later one, and an offer
    accepted and its application hired between the same two syncs: each hire is dated when
    its offer was accepted, not when the application last moved."""
    peer = HarvestPeer.generated(API_KEY, NOW, candidates=12)
    records = peer.records
    offered = {o["application_id"] for o in records["offers"] if o["status"] == "unresolved"}
    first, second = [a["id"] for a in records["applications"] if a["id"] in offered][:2]
    with served(peer) as url:
        org = connect(engine, url, NOW, "acme")
        org.sync(NOW)
        peer.accept_offer(first, NOW + timedelta(hours=1))
        org.sync(NOW + timedelta(hours=2))  # the offer accepted, the application not hired yet
        peer.mark_hired(first, NOW + timedelta(hours=3))
        peer.accept_offer(second, NOW + timedelta(hours=2, minutes=30))
        peer.mark_hired(second, NOW + timedelta(hours=3))
        org.sync(NOW + timedelta(hours=4))
    applied = {a["id"]: at(a["applied_at"]) for a in records["applications"]}
    hires = DemoAts(engine, org.org_id).hires_between(NOW, NOW + timedelta(hours=4))
    assert sorted((h.applied_at, h.hired_at) for h in hires) == sorted(
        [
            (applied[first], NOW + timedelta(hours=1)),
            (applied[second], NOW + timedelta(hours=2, minutes=30)),
        ]
    )
