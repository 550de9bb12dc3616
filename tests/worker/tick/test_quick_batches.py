"""A claim batch's quick runs execute as a batch, grouped by skill, channel, output config and
organisation. A batch mixing them must leave each run's history and its automation exactly as
the leased way leaves them, and a run the batch does not expect goes the usual way."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import update
from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from models.store.occurrence_rows import GROUPED_FROM
from models.store.run_queue import automations
from models.tables.automations import Automation
from skills.base import SkillContext, SkillOutput
from skills.builtin.noop import NoopSkill
from tests.worker.tick.quick_support import (
    NEXT_NINE,
    NINE,
    NOW,
    LeasedNoop,
    automation_state,
    comparable_run,
    quick_worker,
    skill_spec,
)
from tests.worker.tick.tick_support import at, reload, runs_of
from worker.delivery.base import Channel
from worker.delivery.noop import NoopChannel
from worker.tick.tick import Worker


class DigestSkill:
    """A deterministic report whose text depends on its owner and organisation, and whose
    summary holds text as well as numbers."""

    spec = skill_spec("digest", "A weekly digest (tests).")

    def run(self, ctx: SkillContext) -> SkillOutput:
        text = f"Digest for {ctx.owner.name} at {ctx.org_name}\n"
        return SkillOutput(
            subject="Weekly digest",
            text=text,
            html=f"<p>{text}</p>",
            # an address slipped into the summary: history keeps it scrubbed, either way
            summary={
                "title": "Weekly digest",
                "jobs": 3,
                "stages": ["screen", "offer"],
                "reply_to": ctx.owner.email,
            },
        )


class QuietChannel(NoopChannel):
    """A second channel whose sends stay in the recording transaction."""

    name = "quiet"


class LeasedQuiet(QuietChannel):
    in_transaction = False


def _worker(engine: Engine, tmp_path: Path, **channels: Channel) -> Worker:
    return quick_worker(engine, tmp_path, [NoopSkill(), DigestSkill()], **channels)


def test_a_mixed_batch_of_quick_runs_leaves_the_history_the_leased_way_leaves(
    engine: Engine, tmp_path: Path
) -> None:
    orgs = [make_org(engine, NOW), make_org(engine, NOW, slug="beta", timezone="Europe/Paris")]
    autos: list[Automation] = []
    for org in orgs:
        for skill in ("noop", "digest"):
            for channel in ("noop", "quiet"):
                for to in (["me"], ["me", "ops@example.com"], ["owner"]):
                    autos.append(
                        make_automation(
                            engine,
                            org,
                            NOW,
                            skill=skill,
                            channel=channel,
                            to=to,
                            name=f"{skill} {channel} {len(to)}",
                            owner_id=org.admin_id if to == ["owner"] else None,
                            consecutive_failures=1,
                        )
                    )
    # in the same batch, a run the batch leaves to the usual way: it fails
    failing = make_automation(engine, orgs[1], NOW, skill="digest", to=["candidate"])

    quick = _worker(engine, tmp_path, quiet=QuietChannel())
    first = quick.tick(now=NINE)
    assert (first.claimed, first.quick) == (len(autos) + 1, len(autos))
    assert first.statuses == {"completed": len(autos), "failed": 1}
    [failed] = runs_of(engine, failing)
    assert (failed.status, failed.error_code) == ("failed", "no_recipients")
    states = {a.id: automation_state(engine, a, runs_of(engine, a)[0].id or 0) for a in autos}

    with engine.begin() as conn:
        conn.execute(update(automations).values(consecutive_failures=1))
    leased = _worker(engine, tmp_path, noop=LeasedNoop(), quiet=LeasedQuiet())
    second = leased.tick(now=NEXT_NINE)
    assert (second.claimed, second.quick) == (len(autos) + 1, 0)
    for auto in autos:
        run_a, run_b = runs_of(engine, auto)
        assert comparable_run(engine, auto, run_a.id or 0) == comparable_run(
            engine, auto, run_b.id or 0
        )
        assert states[auto.id] == automation_state(engine, auto, run_b.id or 0)
        assert reload(engine, auto).next_run_at == at("2026-03-04T09:00:00Z")
    digest = [a for a in autos if a.skill == "digest"]
    assert {runs_of(engine, a)[0].output_summary["reply_to"] for a in digest} == {"[email]"}
    outputs = {runs_of(engine, a)[0].output for a in digest}
    assert outputs == {
        "Digest for Max Member at Acme\n",
        "Digest for Ada Admin at Acme\n",
        "Digest for Max Member at Beta\n",
        "Digest for Ada Admin at Beta\n",
    }


def test_runs_delivered_alike_in_one_batch_each_keep_the_history_the_leased_way_leaves(
    engine: Engine, tmp_path: Path
) -> None:
    """Runs of one group delivered to the same recipients share their recorded steps: each
    still gets its own occurrence count, recipients and outcome."""
    org = make_org(engine, NOW)
    hourly = "0 * * * *"
    # enough alike for their rows to be written with one statement (GROUPED_FROM)
    alike = [make_automation(engine, org, NOW, name=f"alike {i}") for i in range(GROUPED_FROM)]
    to_admin = make_automation(engine, org, NOW, owner_id=org.admin_id, to=["owner"])
    missed = make_automation(engine, org, NOW, cron=hourly, next_run_at=at("2026-03-02T06:00:00Z"))
    autos = [*alike, to_admin, missed]

    quick = _worker(engine, tmp_path)
    first = quick.tick(now=NINE)
    assert (first.claimed, first.quick) == (len(autos), len(autos))
    states = {a.id: automation_state(engine, a, runs_of(engine, a)[-1].id or 0) for a in autos}

    with engine.begin() as conn:
        conn.execute(
            update(automations)
            .where(automations.c.id == missed.id)
            .values(next_run_at=at("2026-03-03T06:00:00Z"))
        )
    leased = _worker(engine, tmp_path, noop=LeasedNoop())
    second = leased.tick(now=NEXT_NINE)
    assert (second.claimed, second.quick) == (len(autos), 0)
    for auto in autos:
        ran = [r for r in runs_of(engine, auto) if r.status == "completed"]
        run_a, run_b = ran[0], ran[-1]
        assert comparable_run(engine, auto, run_a.id or 0) == comparable_run(
            engine, auto, run_b.id or 0
        )
        assert states[auto.id] == automation_state(engine, auto, run_b.id or 0)
    counts = [runs_of(engine, a)[-1].missed_count for a in autos]
    assert counts[:-1] == [0] * (len(autos) - 1) and counts[-1] == 3


def test_a_poll_and_a_schedule_due_alike_keep_each_how_it_was_triggered(
    engine: Engine, tmp_path: Path
) -> None:
    """A poll every 15 minutes and a cron every 15 minutes due at the same instant plan the same
    runs and next instant; each run still says what started it."""
    org = make_org(engine, NOW)
    cron = make_automation(engine, org, NOW, cron="*/15 * * * *", next_run_at=NINE)
    poll = make_automation(
        engine,
        org,
        NOW,
        cron=None,
        trigger_type="poll",
        poll_interval_minutes=15,
        next_run_at=NINE,
    )
    report = _worker(engine, tmp_path).tick(now=NINE)
    assert (report.claimed, report.quick) == (2, 2)
    [cron_run], [poll_run] = runs_of(engine, cron), runs_of(engine, poll)
    assert (cron_run.triggered_by, poll_run.triggered_by) == ("schedule", "poll")
    assert cron_run.scheduled_for == poll_run.scheduled_for
    later = at("2026-03-02T09:15:00Z")
    assert reload(engine, cron).next_run_at == reload(engine, poll).next_run_at == later
