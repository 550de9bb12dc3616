"""The scripted conversation suite's machinery, shared by every door: each script gets its own
organisation (so one database holds a whole run), its automations, and after each turn the
reply, the stored conversation state and the stored automations are checked against the
script's expectations."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bench.kit.factories import make_automation, make_org
from models.store.automations import list_automations
from models.store.conversations import load_state
from models.store.orgs import create_user
from models.tables.conversations import AutomationDraft

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
SCRIPTS: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "scripts.yaml").read_text())
# a server process's Slack settings: a bot token (its Web API is a closed local port, so
# nothing leaves the machine)
SLACK_CONFIGURED = {
    "SKILLTICK_SLACK_BOT_TOKEN": "xoxb-configured",
    "SKILLTICK_SLACK_API_URL": "http://127.0.0.1:9/",
}
# one door's way of saying a message: (org slug, user email, conversation key, message) -> reply
Say = Callable[[str, str, str, str], dict[str, Any]]


@dataclass
class World:
    """One script's organisation: users by role, automations by key."""

    slug: str
    org_id: int
    users: dict[str, tuple[int, str]]  # role -> (user id, email)
    ids: dict[str, int] = field(default_factory=dict)
    now: datetime = NOW  # the door's clock when the script started
    zone: str = "UTC"  # the zone the door's speaker speaks in (a Slack profile's)


def next_monday(now: datetime, zone: str = "UTC") -> datetime:
    """Midnight starting the first Monday after today in `zone` (the speaker's), in UTC."""
    local = now.astimezone(ZoneInfo(zone))
    days = (7 - local.weekday()) % 7 or 7
    midnight = datetime.combine(local.date() + timedelta(days=days), time(0), ZoneInfo(zone))
    return midnight.astimezone(UTC)


def as_expected(value: Any, world: World) -> Any:
    """A script's expectation with "{monday}" (or "{monday:FORMAT}") for the door's next
    Monday: the scripts hold for whatever day the door's clock says."""
    if not isinstance(value, str):
        return value
    monday = next_monday(world.now, world.zone)
    return re.sub(
        r"\{monday(?::([^}]*))?\}",
        lambda m: monday.strftime(m.group(1)) if m.group(1) else monday.isoformat(),
        value,
    )


def build_world(
    engine: Engine, index: int, script: dict[str, Any], now: datetime = NOW, zone: str = "UTC"
) -> World:
    slug = f"s{index}"
    org = make_org(engine, now, slug=slug)
    dana = create_user(
        engine, org_id=org.org_id, email=f"dana@{slug}.test", name="Dana Recruiter", now=now
    )
    users = {
        "admin": (org.admin_id, org.admin_email),
        "member": (org.member_id, org.member_email),
        "dana": (dana.id or 0, dana.email),
    }
    world = World(slug, org.org_id, users, now=now, zone=zone)
    for key, spec in (script.get("automations") or {}).items():
        spec = dict(spec)
        owner = users[spec.pop("owner", "member")][0]
        auto = make_automation(
            engine,
            org,
            now,
            owner_id=owner,
            channel=spec.pop("channel", "email"),
            cron=spec.pop("cron", "0 9 * * *"),
            **spec,
        )
        world.ids[key] = auto.id or 0
    other = make_org(engine, now, slug=f"other{index}")
    world.ids["foreign"] = make_automation(engine, other, now, name="Theirs").id or 0
    return world


def _created(engine: Engine, world: World) -> Any:
    setup = set(world.ids.values())
    made = [a for a in list_automations(engine, world.org_id) if a.id not in setup]
    return max(made, key=lambda a: a.id or 0) if made else None


def message_of(turn: dict[str, Any], world: World, engine: Engine) -> str:
    text = str(turn["say"])
    for key, value in world.ids.items():
        text = text.replace("{" + key + "}", str(value))
    if "{created}" in text:
        text = text.replace("{created}", str(_created(engine, world).id))
    return text


def check_turn(
    engine: Engine, world: World, turn: dict[str, Any], reply: dict[str, Any], key: str, role: str
) -> None:
    said = f"after {turn['say']!r}: {reply.get('text')!r}"
    if "kind" in turn:
        assert reply["kind"] == turn["kind"], said
    text = str(reply.get("text", "")).lower()
    for part in turn.get("has", []):
        part = as_expected(part, world)
        assert part.lower() in text, f"missing {part!r} {said}"
    for part in turn.get("lacks", []):
        assert part.lower() not in text, f"unexpected {part!r} {said}"
    state = load_state(
        engine, org_id=world.org_id, user_id=world.users[role][0], key=key, now=world.now
    )
    if "pending" in turn:
        pending = (state.get("pending") or {}).get("kind", "none")
        assert pending == turn["pending"], f"pending {pending} {said}"
    if "focus" in turn:
        wanted = turn["focus"]
        created = _created(engine, world)
        expected = {"none": None, "created": created.id if created else -1}.get(
            wanted, world.ids.get(wanted)
        )
        assert state.get("focus") == expected, f"focus {state.get('focus')} {said}"
    checks = dict(turn.get("check") or {})
    stored = {a.id: a for a in list_automations(engine, world.org_id)}
    if "count" in checks:
        assert len(stored) == checks.pop("count"), f"count {len(stored)} {said}"
    if "drafts" in checks:
        _check_drafts(engine, world, checks.pop("drafts"), said)
    for name, fields in checks.items():
        auto = _created(engine, world) if name == "created" else stored.get(world.ids[name])
        assert auto is not None, f"{name} is gone {said}"
        for column, value in fields.items():
            got = getattr(auto, column)
            got = got.isoformat() if isinstance(got, datetime) else got
            value = as_expected(value, world)
            assert got == value, f"{name}.{column} = {got!r}, wanted {value!r} {said}"


def _check_drafts(engine: Engine, world: World, wanted: dict[str, int], said: str) -> None:
    with Session(engine) as s:
        drafts = list(s.exec(select(AutomationDraft).where(AutomationDraft.org_id == world.org_id)))
    for status, count in wanted.items():
        having = [d for d in drafts if d.status == status]
        assert len(having) == count, f"{len(having)} {status} drafts {said}"
    assert all(d.automation_id is None for d in drafts if d.status == "deleted"), said


def run_script(
    engine: Engine,
    index: int,
    script: dict[str, Any],
    say: Say,
    door: str,
    now: datetime = NOW,
    zone: str = "UTC",
) -> int:
    """Play one script through `say` (a door whose clock reads `now`, whose speakers speak
    in `zone`); returns the number of turns."""
    world = build_world(engine, index, script, now, zone)
    for turn in script["turns"]:
        role = turn.get("as") or script.get("as") or "member"
        key = f"{door}-{index}"
        reply = say(world.slug, world.users[role][1], key, message_of(turn, world, engine))
        check_turn(engine, world, turn, reply, door_key(door, key), role)
    return len(script["turns"])


def door_key(door: str, key: str) -> str:
    """The conversation key each door stores state under."""
    return {"cli": f"cli:{key}", "mcp": f"mcp:{key}", "slack": f"slack:D{key}"}.get(door, key)
