"""`skilltick ats connect greenhouse` (or `--vendor lever`), `ats sync`, `ats status` and
`ats disconnect` as a user runs them (a fresh home, the local Harvest and Lever peers; connect
and the first sync in real processes, the other command lines through the same entry point in
this process): the key comes from the environment and is never printed; a sync prints one line
of counts, or JSON, or that another sync is running."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bench.kit.peers.harvest import HarvestPeer
from bench.kit.peers.lever import LeverPeer
from models.engine import make_engine
from models.store.ats_sync import claim_sync, sync_sources
from models.store.run_queue import db_now
from tests.cli_in_process import run_skilltick
from tests.skills.ats.harvest_org import API_KEY, served

pytestmark = pytest.mark.slow  # command-line processes


def environment(home: Path, key: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SKILLTICK_", "HV_"))}
    env["SKILLTICK_HOME"] = str(home)
    if key is not None:
        env["HV_KEY"] = key
    return env


def skilltick(
    home: Path, *args: str, key: str | None = API_KEY
) -> subprocess.CompletedProcess[str]:
    """A real `skilltick` process."""
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        env=environment(home, key),
        timeout=120,
    )


def said(home: Path, *args: str, key: str | None = API_KEY) -> subprocess.CompletedProcess[str]:
    """The same command line run in this process: its refusals and states are in its words,
    not in how a process starts."""
    return run_skilltick(args, environment(home, key))


def test_connect_then_sync_prints_the_peers_counts(tmp_path: Path) -> None:
    peer = HarvestPeer.generated(API_KEY, datetime.now(UTC), candidates=12)
    records = peer.records
    with served(peer) as url:
        made = said(tmp_path, "orgs", "create", "acme", "--admin", "rita@acme.test")
        assert made.returncode == 0, made.stderr
        connected = skilltick(
            tmp_path, "ats", "connect", "greenhouse", "--org", "acme", "--api-key-env", "HV_KEY",
            "--api-url", url,
        )  # fmt: skip
        assert connected.returncode == 0, connected.stderr
        assert connected.stdout.strip() == (
            "Connected greenhouse for acme. Run `skilltick ats sync --org acme` to mirror it now."
        )
        synced = skilltick(tmp_path, "ats", "sync", "--org", "acme")
        assert synced.returncode == 0, synced.stderr
        assert synced.stdout.strip() == (
            f"acme: 1 users matched, {len(records['jobs'])} jobs, "
            f"{len(records['candidates'])} candidates, "
            f"{len(records['applications'])} applications (0 stage changes), "
            f"{len(records['scheduled_interviews'])} interviews, {len(records['offers'])} offers, "
            "0 removed candidates scrubbed."
        )
        again = said(tmp_path, "ats", "sync", "--json")
    assert again.returncode == 0, again.stderr
    (result,) = json.loads(again.stdout)
    assert result["org"] == "acme" and result["applications"] == 0  # nothing changed since
    for run in (connected, synced, again):
        assert API_KEY not in run.stdout + run.stderr


def test_a_missing_key_or_a_refused_one_is_one_line_and_exit_1(tmp_path: Path) -> None:
    peer = HarvestPeer.generated("the-right-key", datetime.now(UTC), candidates=2)
    with served(peer) as url:
        said(tmp_path, "orgs", "create", "acme", "--admin", "rita@acme.test")
        unset = said(
            tmp_path, "ats", "connect", "greenhouse", "--org", "acme", "--api-key-env", "HV_KEY",
            "--api-url", url, key=None,
        )  # fmt: skip
        assert unset.returncode == 1
        assert unset.stderr.strip() == "error: The environment variable HV_KEY is not set or empty."
        none_yet = said(tmp_path, "ats", "sync", "--org", "acme")
        assert none_yet.returncode == 1 and "No ATS is connected for acme" in none_yet.stderr
        said(
            tmp_path, "ats", "connect", "greenhouse", "--org", "acme", "--api-key-env", "HV_KEY",
            "--api-url", url,
        )  # fmt: skip
        refused = said(tmp_path, "ats", "sync")
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "error: acme: Greenhouse refused the API key on GET /v1/users (HTTP 401): check the key "
        "and its Harvest permissions."
    )
    assert API_KEY not in refused.stderr


def test_sync_while_another_runs_says_so_and_status_shows_each_org(tmp_path: Path) -> None:
    peer = HarvestPeer.generated(API_KEY, datetime.now(UTC), candidates=2)
    with served(peer) as url:
        said(tmp_path, "orgs", "create", "acme", "--admin", "rita@acme.test")
        said(
            tmp_path, "ats", "connect", "greenhouse", "--org", "acme", "--api-key-env", "HV_KEY",
            "--api-url", url,
        )  # fmt: skip
        never = said(tmp_path, "ats", "status")
        assert never.returncode == 0, never.stderr
        assert never.stdout.strip() == (
            "acme (greenhouse): last sync never; next by the worker at its next tick."
        )
        engine = make_engine(f"sqlite:///{tmp_path / 'skilltick.db'}")
        source_id = sync_sources(engine)[0].id or 0
        assert claim_sync(
            engine, source_id, holder="worker-1", now=db_now(engine), lease=timedelta(minutes=10)
        )
        busy = said(tmp_path, "ats", "sync", "--org", "acme")
        running = said(tmp_path, "ats", "status", "--json")
    assert busy.returncode == 0, busy.stderr
    assert busy.stdout.strip() == "acme: a sync is already running; this one was not started."
    assert peer.served == 0  # the refused sync asked Greenhouse nothing
    (row,) = json.loads(running.stdout)
    assert row["org"] == "acme" and row["running_until"] is not None
    assert row["last_synced_at"] is None and row["last_error"] is None
    engine.dispose()


def test_lever_connects_with_vendor_syncs_and_disconnects_and_greenhouse_waits_for_it(
    tmp_path: Path,
) -> None:
    lever = LeverPeer.generated(API_KEY, datetime.now(UTC), contacts=6)
    with served(lever) as url:
        said(tmp_path, "orgs", "create", "acme", "--admin", "rita@acme.test")
        both = said(
            tmp_path, "ats", "connect", "greenhouse", "--vendor", "lever", "--org", "acme",
            "--api-key-env", "HV_KEY",
        )  # fmt: skip
        assert both.returncode == 1
        assert both.stderr.strip() == (
            "error: Two vendors given ('greenhouse' and --vendor 'lever'): give one."
        )
        connected = said(
            tmp_path, "ats", "connect", "--vendor", "lever", "--org", "acme",
            "--api-key-env", "HV_KEY", "--api-url", url, "--json",
        )  # fmt: skip
        assert connected.returncode == 0, connected.stderr
        assert json.loads(connected.stdout) == {
            "org": "acme", "vendor": "lever", "api_url": url, "created": True
        }  # fmt: skip
        second = said(
            tmp_path, "ats", "connect", "greenhouse", "--org", "acme", "--api-key-env", "HV_KEY",
        )  # fmt: skip
        assert second.returncode == 1
        assert second.stderr.strip() == (
            "error: acme already mirrors Lever (one ATS per organisation): run "
            "`skilltick ats disconnect lever --org acme` first, then connect greenhouse."
        )
        synced = said(tmp_path, "ats", "sync", "--org", "acme", "--json")
        status = said(tmp_path, "ats", "status", "--org", "acme")
        gone = said(tmp_path, "ats", "disconnect", "--vendor", "lever", "--org", "acme")
    assert synced.returncode == 0, synced.stderr
    (result,) = json.loads(synced.stdout)
    in_pipeline = [o for o in lever.records["opportunities"] if o["applications"]]
    assert (result["vendor"], result["applications"]) == ("lever", len(in_pipeline))
    assert status.stdout.startswith("acme (lever): last sync 20")
    assert gone.stdout.strip() == "Disconnected lever from acme; the worker no longer syncs it."
    none_left = said(tmp_path, "ats", "status", "--org", "acme")
    assert none_left.returncode == 1 and "No ATS is connected for acme" in none_left.stderr
    switched = said(
        tmp_path, "ats", "connect", "greenhouse", "--org", "acme", "--api-key-env", "HV_KEY",
    )  # fmt: skip
    assert switched.returncode == 0, switched.stderr
    assert switched.stdout.startswith("Connected greenhouse for acme.")
