"""Durability with a real server process: killed right after answering 2xx, the event is
still processed when the service comes back."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from bench.kit.factories import make_automation, make_org
from models.engine import make_engine
from models.migrate import upgrade
from models.store.events import add_connection, list_events
from models.store.run_history import list_runs
from tests.worker.triggers.trigger_support import generic_event, http

SERVER = Path(__file__).with_name("trigger_server.py")
ROOT = Path(__file__).resolve().parents[3]


@contextmanager
def server_process(
    env: dict[str, str], *, worker: bool
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    command = [sys.executable, str(SERVER), *(["--worker"] if worker else [])]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()  # blocks until the server listens (or dies)
        assert line.startswith("port="), f"server did not start: {line!r}"
        yield proc, f"http://127.0.0.1:{line.strip().split('=')[1]}"
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
        if proc.stdout:
            proc.stdout.close()


def test_an_event_acknowledged_just_before_the_server_is_killed_is_processed_on_restart(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path}/skilltick.db"
    engine = make_engine(url)
    upgrade(engine)
    now = datetime.now(UTC)
    org = make_org(engine, now)
    connection = add_connection(
        engine, org_id=org.org_id, provider="generic", secret="s3cret-signing-key", now=now
    )
    auto = make_automation(
        engine,
        org,
        now,
        cron=None,
        trigger_type="event",
        event_type="candidate.stage_changed",
        next_run_at=None,
    )
    env = {
        **os.environ,
        "SKILLTICK_DATABASE_URL": url,
        "SKILLTICK_HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }

    with server_process(env, worker=False) as (proc, base):
        delivery = generic_event()
        response = http.post(
            f"{base}/webhooks/ats/generic/{connection.key}",
            content=delivery.body,
            headers=delivery.headers,
        )
        proc.kill()  # SIGKILL right after the 2xx: no shutdown, no flush
        assert response.status_code == 200
    [event] = list_events(engine, org.org_id)
    assert event.status == "received"

    with server_process(env, worker=True):
        deadline = time.monotonic() + 20
        while not [
            r
            for r in list_runs(engine, org.org_id, automation_id=auto.id)
            if r.status == "completed"
        ]:
            assert time.monotonic() < deadline, "the event was not processed after restart"
            time.sleep(0.05)
    [event] = list_events(engine, org.org_id)
    assert (event.status, event.runs_started) == ("processed", 1)
    engine.dispose()
