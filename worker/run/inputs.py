"""What a run is given besides its claim: the automation, its owner and organisation (RunInputs),
the organisation's ATS and stores (OrgTools), the channels by name and the LLM runner; and the
keys and records derived from them that every run of an occurrence shares."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from models.store.run_inputs import RunAutomation, RunOrg, RunOwner
from models.store.run_queue import ClaimedRun
from models.tables.automations import Automation
from models.tables.orgs import Organization, User
from skills.ats.demo import DemoAts
from skills.base import OwnerInfo, SkillContext, SkillOutput
from worker.delivery.base import Channel, Recipient
from worker.run.recipients import resolve
from worker.run.skill_stores import ReadOnlySequenceSteps, StoredHolidays, StoredSequenceSteps


class OrgTools(NamedTuple):
    """What a skill reads and keeps through for one organisation."""

    ats: DemoAts
    holidays: StoredHolidays
    sequences: StoredSequenceSteps | ReadOnlySequenceSteps


class RunInputs(NamedTuple):
    """What execute() needs besides the claimed run; the tick loads these in batches (a named
    tuple: built for every run, where a frozen dataclass costs several times as much)."""

    automation: RunAutomation
    owner: RunOwner
    org: RunOrg

    @classmethod
    def of(cls, automation: Automation, owner: User, org: Organization) -> RunInputs:
        """From ORM instances (a backtest of one automation)."""
        return cls(RunAutomation.of(automation), RunOwner.of(owner), RunOrg.of(org))


ChannelFactory = Callable[[str], Channel]


class LlmSkillRunner(Protocol):
    def run(self, skill: Any, ctx: SkillContext) -> SkillOutput: ...


def occurrence_key(run: ClaimedRun) -> str:
    """Identifies an occurrence across its attempts and rescues (delivery idempotency)."""
    if run.triggered_by in ("manual", "test"):
        return f"run:{run.run_id}"
    return f"a{run.automation_id}:{_instant_text(run.scheduled_for)}"


@functools.lru_cache(maxsize=4096)
def _instant_text(value: datetime) -> str:
    # a batch shares a handful of instants; formatting each once keeps the hot path lean
    return value.isoformat()


@functools.lru_cache(maxsize=4096)
def owner_info_of(owner_id: int, email: str, name: str, timezone: str) -> OwnerInfo:
    # immutable, and an owner's automations run again and again: one record serves them all
    return OwnerInfo(id=owner_id, email=email, name=name, timezone=timezone)


def chain_depth_of(trigger_data: dict[str, Any]) -> int:
    depth = trigger_data.get("chain_depth")
    return depth if isinstance(depth, int) and depth >= 0 else 0


def candidate_ids_of(trigger_data: dict[str, Any]) -> list[int]:
    value = trigger_data.get("candidate_id")
    return [value] if isinstance(value, int) and not isinstance(value, bool) else []


def resolve_recipients(
    automation: Automation | RunAutomation, owner: User | RunOwner
) -> list[Recipient]:
    """The output config's `to` list: "me"/"owner" is the owner, anything else an address
    (roles such as "candidate" need a skill's output: see worker.run.recipients)."""
    return resolve(automation, owner).recipients
