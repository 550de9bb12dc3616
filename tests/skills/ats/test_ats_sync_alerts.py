"""Admins hear when the ATS mirror stops syncing (a local Harvest peer that refuses the key, or
answers 500): after the third failure in a row each admin, and only admins, has one message in
their skilltick inbox saying what failed and what to do (after the second, when it has gone
more than an hour without a good sync); the attempts after add none; the
next good sync sends one "recovered" message; a later outage is told again. The command the
message gives is a real command line of `skilltick`, for the vendor that failed (Lever too)."""

from __future__ import annotations

import re
import shlex
from datetime import UTC, datetime, timedelta

import typer
from sqlalchemy.engine import Engine

from assistant.cli.ats import ats_app
from assistant.tools.toolset import Actor, Toolset
from bench.kit.peers.harvest import HarvestPeer
from bench.kit.peers.lever import LeverPeer
from models.settings import load_settings
from models.store.ats_sync import get_source
from models.store.inbox import list_inbox
from models.store.orgs import get_user, list_users
from skills.ats.leased_sync import SyncOutcome, leased_sync
from skills.ats.sync_alerts import OUTAGE_AFTER
from tests.skills.ats.harvest_org import API_KEY, Connected, connect, served

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
INTERVAL = timedelta(minutes=15)


def attempt(org: Connected, at: datetime) -> SyncOutcome:
    source = get_source(org.engine, org.source_id)
    return leased_sync(
        org.engine,
        source,
        at,
        holder="test",
        interval=INTERVAL,
        max_attempts=1,
        sleep=lambda seconds: None,
    )


def inboxes(engine: Engine, org_id: int) -> dict[str, list[tuple[str, str]]]:
    """Each user's messages, oldest first: (subject, text)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for user in list_users(engine, org_id):
        rows = list_inbox(engine, org_id, user.id or 0, limit=50)
        found[user.email] = [(m.subject, m.text) for m in reversed(rows)]
    return found


def test_admins_hear_once_of_an_outage_with_what_to_do_and_once_of_its_end(
    sqlite_engine: Engine,
) -> None:
    peer = HarvestPeer.generated(API_KEY, NOW, candidates=3)
    with served(peer) as url:
        org = connect(sqlite_engine, url, NOW, "acme")
        tools = Toolset(sqlite_engine, load_settings(), clock=lambda: NOW)
        users = list_users(sqlite_engine, org.org_id)
        admin = Actor.of(next(u for u in users if u.role == "admin"))
        admins = {u.email for u in users if u.role == "admin"}
        assert attempt(org, NOW).error is None

        # the key is revoked in Greenhouse: 401 on every read
        peer.api_key = "hv-another-key"
        times = [NOW + INTERVAL * n for n in range(1, 7)]
        for n, at in enumerate(times[: OUTAGE_AFTER - 1], start=1):
            assert "HTTP 401" in (attempt(org, at).error or "")
            assert not any(inboxes(sqlite_engine, org.org_id).values()), n
        for at in times[OUTAGE_AFTER - 1 :]:
            assert attempt(org, at).error
        seen = inboxes(sqlite_engine, org.org_id)
        assert {who for who, got in seen.items() if got} == admins
        [(subject, text)] = seen[admin.email]
        assert subject == "Greenhouse sync is failing for acme"
        assert f"the last {OUTAGE_AFTER} syncs failed in a row" in text
        assert "refused the API key" in text and "no longer accepts the API key" in text
        assert peer.api_key not in text and API_KEY not in text
        [command] = re.findall(r"^  (skilltick ats connect .*?) \(", text, re.MULTILINE)
        words = shlex.split(command)[3:]  # after "skilltick ats connect"
        connect_command = typer.main.get_command(ats_app).commands["connect"]  # type: ignore[attr-defined]
        parsed = connect_command.make_context("connect", words)
        assert parsed.params["org"] == "acme" and parsed.params["api_key_env"] == "VAR"

        # reconnected with the new key: the next sync works, and admins hear it once
        tools.connect_ats_sync(admin, "greenhouse", base_url=url, api_key="hv-another-key")
        assert attempt(org, NOW + timedelta(hours=3)).error is None
        assert attempt(org, NOW + timedelta(hours=4)).error is None
        seen = inboxes(sqlite_engine, org.org_id)
        assert [s for s, _ in seen[admin.email]] == [
            "Greenhouse sync is failing for acme",
            "Greenhouse sync recovered for acme",
        ]
        assert "succeeded after" in seen[admin.email][1][1]

        # Greenhouse goes down an hour after the last good sync: a new outage, told at its
        # second failure (more than an hour without a sync), once, with its own advice
        peer.fail_after = 0
        for n in range(OUTAGE_AFTER + 1):
            assert "HTTP 500" in (attempt(org, NOW + timedelta(hours=5, minutes=n)).error or "")
            told = len(inboxes(sqlite_engine, org.org_id)[admin.email])
            assert told == (2 if n == 0 else 3), n
        seen = inboxes(sqlite_engine, org.org_id)
        assert "did not answer as it should" in seen[admin.email][2][1]
        member = get_user(sqlite_engine, next(u.id or 0 for u in users if u.role != "admin"))
        assert seen[member.email] == []


def test_a_lever_outage_names_lever_and_its_key_and_the_command_reconnects_lever(
    sqlite_engine: Engine,
) -> None:
    peer = LeverPeer.generated("lv-revoked-key", NOW, contacts=2)
    with served(peer) as url:
        org = connect(sqlite_engine, url, NOW, "acme", vendor="lever")
        for n in range(OUTAGE_AFTER):
            assert "Lever refused the API key" in (attempt(org, NOW + INTERVAL * n).error or "")
    admin = next(u for u in list_users(sqlite_engine, org.org_id) if u.role == "admin")
    [(subject, text)] = inboxes(sqlite_engine, org.org_id)[admin.email]
    assert subject == "Lever sync is failing for acme"
    assert "Lever no longer accepts the API key" in text and "Harvest" not in text
    [command] = re.findall(
        r"^  (skilltick ats connect .*?) \(VAR holding a new (.*?) with", text, re.M
    )
    assert command[1] == "Lever API key"
    connect_command = typer.main.get_command(ats_app).commands["connect"]  # type: ignore[attr-defined]
    parsed = connect_command.make_context("connect", shlex.split(command[0])[3:])
    assert (parsed.params["vendor"], parsed.params["org"]) == ("lever", "acme")
