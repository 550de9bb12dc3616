"""Renders a batch's runs share: a skill run once for runs whose context it reads alike.

A deterministic skill's output follows from what it reads. A skill that reads nothing but the
plain fields of its context (ids, names, instants, params, settings: PLAIN) and none of its
tools (the ATS, the stores, the schedule) renders the same output for two runs that hold the
same values in the fields it read: run on either, it reads the same values in the same order
and so takes the same path. So each render is run on a context that notes the fields read
(ReadingContext), and its output is kept under the values of exactly those fields; a later run
whose values in those fields are equal takes that output without building a context at all.
A render that touched a tool, or a value whose equality is not sameness (an unknown type), is
not kept, and the group stops noting reads: its runs render each on a plain context.

Values are compared by type as well as by value (True == 1 == 1.0 render differently), and
instants by their zone as well (one instant in two zones prints differently).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, TypeVar

from models.store.run_queue import ClaimedRun
from skills.base import OwnerInfo, SkillContext
from worker.run.inputs import RunInputs, owner_info_of

#: what a context's plain field holds for a run, as Executor._context fills it (tests compare
#: every field of a built context with these): (run, inputs, validated params, now) -> value
T = TypeVar("T")

Field = Callable[[ClaimedRun, RunInputs, dict[str, Any], datetime], Any]


def _owner(run: ClaimedRun, inputs: RunInputs, params: dict[str, Any], now: datetime) -> Any:
    owner = inputs.owner
    return owner_info_of(
        owner.id or 0, owner.email, owner.name, owner.timezone or inputs.automation.timezone
    )


def _occurrence(run: ClaimedRun, inputs: RunInputs, params: dict[str, Any], now: datetime) -> Any:
    return run.scheduled_for if run.triggered_by == "schedule" else None


PLAIN: dict[str, Field] = {
    "org_id": lambda run, inputs, params, now: inputs.automation.org_id,
    "owner": _owner,
    "params": lambda run, inputs, params, now: params,
    "now": lambda run, inputs, params, now: now,
    "tz": lambda run, inputs, params, now: inputs.automation.timezone,
    "triggered_by": lambda run, inputs, params, now: run.triggered_by,
    "last_success_at": lambda run, inputs, params, now: inputs.automation.last_success_at,
    "trigger_data": lambda run, inputs, params, now: run.trigger_data,
    "org_name": lambda run, inputs, params, now: inputs.org.name,
    "org_timezone": lambda run, inputs, params, now: inputs.org.timezone,
    "org_settings": lambda run, inputs, params, now: inputs.org.settings or {},
    "occurrence": _occurrence,
}
#: the context's fields that read the database or the schedule when used: a render using one
#: depends on more than its context's values
TOOLS = frozenset({"ats", "holidays", "sequences", "next_run_after"})
#: the context's fields an executor fills alike for every run of an organisation (its footer):
#: a group's runs are one organisation's, so they are no part of a kept render's key
SERVICE = frozenset({"footer"})


class Unshareable(Exception):
    """A value the memo cannot tell apart by equality."""


_SCALARS = frozenset({int, float, bool, complex})


def frozen(value: Any) -> Any:
    """A hashable value equal to frozen(other) only when `value` and `other` render alike."""
    kind = type(value)
    if kind is str or value is None:
        return value
    if kind in _SCALARS:
        return (kind, value)
    if kind is dict:
        return (dict, tuple((frozen(k), frozen(v)) for k, v in value.items()))
    if kind is list or kind is tuple:
        return (kind, tuple(frozen(v) for v in value))
    if kind is datetime:
        return (datetime, value, value.tzinfo, value.fold)
    if kind is OwnerInfo:
        return (OwnerInfo, value.id, value.email, value.name, value.timezone)
    raise Unshareable(kind.__name__)


class ReadingContext(SkillContext):
    """A SkillContext that notes the names of the fields read from it."""

    __slots__ = ("read",)
    read: set[str]

    def __getattribute__(self, name: str) -> Any:
        if name[0] != "_" and name != "read":
            try:
                object.__getattribute__(self, "read").add(name)
            except AttributeError:  # a copy (dataclasses.replace) made after every field was read
                pass
        return object.__getattribute__(self, name)


def reading(ctx: SkillContext) -> ReadingContext:
    """`ctx`'s values in a ReadingContext that has noted nothing yet."""
    copy = object.__new__(ReadingContext)
    for name in SkillContext.__dataclass_fields__:
        object.__setattr__(copy, name, getattr(ctx, name))
    copy.read = set()
    return copy


#: renders kept without one being shared yet, after which a group stops noting reads (its runs
#: read values that differ run by run: a reminder's own text)
KEPT_UNSHARED = 32


class RenderMemo(Generic[T]):
    """One group's kept renders (T: a render and what follows from it alone): by the fields a
    render read, then by their values."""

    __slots__ = ("every", "hits", "on", "renders")

    def __init__(self) -> None:
        self.on = True
        self.hits = 0
        self.renders: dict[tuple[str, ...], dict[tuple[Any, ...], T]] = {}
        # a render that read nothing: every run of the group has it (a skill that reads
        # nothing once reads nothing on any run, and renders alike)
        self.every: T | None = None

    def get(
        self, run: ClaimedRun, inputs: RunInputs, params: dict[str, Any], now: datetime
    ) -> T | None:
        """The render kept for a run holding the same values in the fields its render read."""
        for names, kept in self.renders.items():
            if not names:  # a render that read nothing serves every run of the group
                got = kept.get(())
            else:
                try:
                    key = tuple([frozen(PLAIN[name](run, inputs, params, now)) for name in names])
                except Unshareable:
                    continue
                got = kept.get(key)
            if got is not None:
                self.hits += 1
                return got
        return None

    def keep(self, ctx: ReadingContext, render: T) -> None:
        """Keeps `render`, made from `ctx`, under the values of the fields it read; a render
        that used a tool, or read a value it cannot compare, turns the memo off."""
        names = tuple(sorted(ctx.read.difference(SERVICE)))
        if TOOLS.intersection(names) or not PLAIN.keys() >= set(names):
            self.on = False
            return
        try:
            key = tuple([frozen(object.__getattribute__(ctx, name)) for name in names])
        except Unshareable:
            self.on = False
            return
        self.renders.setdefault(names, {})[key] = render
        if not names:
            self.every = render
        if not self.hits and sum(map(len, self.renders.values())) >= KEPT_UNSHARED:
            self.on = False
