"""What a run needs to know about its automation, owner and organisation, loaded for a whole
claimed batch as plain Core rows into small frozen records.

The tick loads these for every run it executes; building ORM instances (identity map, attribute
instrumentation, a JSON decode per column per row) cost more than the run itself for quick
skills. Only the columns the executor reads are selected, and on SQLite a batch's identical
JSON texts (most automations share `{}` params and one output config) are decoded once; the
records are frozen, and readers treat their dicts as read-only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import String, select, type_coerce
from sqlalchemy.engine import Engine

from models.engine import read_only
from models.tables import table_of
from models.tables.automations import Automation
from models.tables.orgs import Organization, User

automations_t = table_of(Automation)
users_t = table_of(User)
orgs_t = table_of(Organization)

# SQLite's default limit on bound parameters is 999 in older builds
_CHUNK = 900


class RunAutomation(NamedTuple):
    """An automation as its run reads it (a named tuple: built for every run a tick claims,
    where a frozen dataclass costs several times as much)."""

    id: int
    org_id: int
    owner_id: int
    name: str
    skill: str
    params: dict[str, Any]
    enabled: bool
    timezone: str
    output_channel: str
    output_config: dict[str, Any]
    consecutive_failures: int
    last_success_at: datetime | None
    system: bool = False  # one of the organisation's fixed jobs

    @classmethod
    def of(cls, auto: Automation) -> RunAutomation:
        return cls(
            id=auto.id or 0,
            org_id=auto.org_id,
            owner_id=auto.owner_id,
            name=auto.name,
            skill=auto.skill,
            params=auto.params,
            enabled=auto.enabled,
            timezone=auto.timezone,
            output_channel=auto.output_channel,
            output_config=auto.output_config,
            consecutive_failures=auto.consecutive_failures,
            last_success_at=auto.last_success_at,
            system=auto.system,
        )


@dataclass(frozen=True, slots=True)
class RunOwner:
    id: int
    email: str
    name: str
    timezone: str | None

    @classmethod
    def of(cls, user: User) -> RunOwner:
        return cls(id=user.id or 0, email=user.email, name=user.name, timezone=user.timezone)


@dataclass(frozen=True, slots=True)
class RunOrg:
    id: int
    plan: str
    timezone: str
    settings: dict[str, Any]
    name: str = ""  # signs what goes out on the organisation's behalf

    @classmethod
    def of(cls, org: Organization) -> RunOrg:
        return cls(
            id=org.id or 0,
            plan=org.plan,
            timezone=org.timezone,
            settings=org.settings or {},
            name=org.name,
        )


#: the automation columns a run's inputs come from, in RunAutomation's order; JSON columns are
#: read as text, so a batch's identical texts are decoded once (JsonCache)
AUTOMATION_INPUT_COLUMNS = (
    automations_t.c.id,
    automations_t.c.org_id,
    automations_t.c.owner_id,
    automations_t.c.name,
    automations_t.c.skill,
    type_coerce(automations_t.c.params, String),
    automations_t.c.enabled,
    automations_t.c.timezone,
    automations_t.c.output_channel,
    type_coerce(automations_t.c.output_config, String),
    automations_t.c.consecutive_failures,
    automations_t.c.last_success_at,
    automations_t.c.system,
)


class JsonCache:
    """Decodes JSON column texts, each distinct text once (most automations share `{}` params
    and one output config)."""

    def __init__(self) -> None:
        self._decoded: dict[str | None, Any] = {}

    def __call__(self, text: Any) -> Any:
        if text is not None and type(text) is not str:
            return text  # PostgreSQL's driver decodes JSON itself
        value = self._decoded.get(text)
        if value is None:
            value = self._decoded[text] = json.loads(text) if text else {}
        return value


def automation_input(
    row: Sequence[Any],
    json_of: JsonCache,
    instant: Callable[[Any], datetime] | None = None,
) -> RunAutomation:
    """A RunAutomation from a row of AUTOMATION_INPUT_COLUMNS; `instant` reads its one
    timestamp when the row holds the driver's own values (InstantReader)."""
    success = row[11]
    if instant is not None and success is not None:
        success = instant(success)
    # built as the tuple it is: a named tuple's own constructor is a Python function
    return _new(
        RunAutomation,
        (
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            json_of(row[5]),
            bool(row[6]),
            row[7],
            row[8],
            json_of(row[9]),
            row[10],
            success,
            bool(row[12]),
        ),
    )


_new = tuple.__new__


def load_run_inputs(
    engine: Engine,
    automation_ids: list[int],
    known: dict[int, RunAutomation] | None = None,
) -> dict[int, tuple[RunAutomation, RunOwner, RunOrg]]:
    """Automations with their owners and organisations, in a few queries for a whole batch.
    Automations in `known` (read by the claim that made their runs) are not read again."""
    u, o = users_t.c, orgs_t.c
    json_of = JsonCache()
    wanted = set(automation_ids)
    autos: list[RunAutomation] = [a for i, a in known.items() if i in wanted] if known else []
    unique = sorted(wanted.difference(known or ()))
    with read_only(engine).connect() as conn:
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            rows = conn.execute(
                select(*AUTOMATION_INPUT_COLUMNS).where(automations_t.c.id.in_(chunk))
            )
            autos.extend(automation_input(row, json_of) for row in rows)
        owner_ids = sorted({x.owner_id for x in autos})
        org_ids = sorted({x.org_id for x in autos})
        owners = {
            r.id: RunOwner(r.id, r.email, r.name, r.timezone)
            for r in conn.execute(
                select(u.id, u.email, u.name, u.timezone).where(u.id.in_(owner_ids))
            )
        }
        orgs = {
            r.id: RunOrg(r.id, r.plan, r.timezone, r.settings or {}, r.name)
            for r in conn.execute(
                select(o.id, o.plan, o.timezone, o.settings, o.name).where(o.id.in_(org_ids))
            )
        }
    return {x.id: (x, owners[x.owner_id], orgs[x.org_id]) for x in autos}
