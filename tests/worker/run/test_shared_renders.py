"""Runs of a quick batch whose skill reads the same values share one render. A run must get
exactly the output its own render would give it: whatever its skill reads, in whatever order,
and however the read values differ (by type, by zone, in a nested setting). What runs share is
stored as each would store its own."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine

from models.settings import load_settings
from models.store.bulk import BulkWriter
from models.store.completions import RunCompletion, SharedDocument, run_values
from models.store.run_inputs import RunAutomation, RunOrg, RunOwner
from models.store.run_queue import ClaimedRun
from skills.base import SkillContext, SkillOutput, SkillSpec
from tests.examples import examples
from worker.delivery.noop import NoopChannel
from worker.run.executor import NO_NAMES, Executor, RunInputs
from worker.run.quick_batch import execute_quick_batch
from worker.run.shared_renders import PLAIN, SERVICE, TOOLS, frozen

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")
SPEC = SkillSpec(
    name="reads",
    description="Renders the context fields it is told to read (tests).",
    mode="deterministic",
    params={},
    triggers=("cron",),
    default_output="noop",
    path=None,
)


class ReadingSkill:
    """Renders what it reads: the fields named, then, when the first one's text has an even
    length, a further field (what a render reads may depend on what it read)."""

    spec = SPEC

    def __init__(self, names: list[str], then: str) -> None:
        self.names, self.then = names, then

    def run(self, ctx: SkillContext) -> SkillOutput:
        read = [repr(getattr(ctx, name)) for name in self.names]
        if read and len(read[0]) % 2 == 0:
            read.append(repr(getattr(ctx, self.then)))
        text = "|".join(read)
        return SkillOutput(subject="reads", text=text, html=text, summary={"length": len(text)})


class ToolSkill:
    """Looks at a tool (the organisation's holidays) and renders a count of its runs: a skill
    using a tool may render differently for runs whose context holds the same values."""

    spec = SPEC

    def __init__(self) -> None:
        self.count = itertools.count()

    def run(self, ctx: SkillContext) -> SkillOutput:
        assert ctx.holidays is not None
        text = f"run {next(self.count)}"
        return SkillOutput(subject="tool", text=text, html=text, summary={})


class OneSkill:
    def __init__(self, skill: Any) -> None:
        self.skill = skill

    def get(self, name: str) -> Any:
        return self.skill


def _executor(skill: Any) -> Executor:
    channel = NoopChannel()
    engine = create_engine("sqlite://")  # the organisations' tools hold it; nothing reads it
    return Executor(engine, load_settings().core, OneSkill(skill), lambda name: channel)  # type: ignore[arg-type]


# values that are equal, or print alike, yet render differently
LAST_SUCCESS = [None, datetime(2026, 3, 1, 9, tzinfo=UTC), datetime(2026, 3, 1, 10, tzinfo=PARIS)]
SETTINGS: list[dict[str, Any]] = [{}, {"n": 1}, {"n": True}, {"n": 1.0}, {"n": [1]}, {"n": (1,)}]
OWNERS = [
    RunOwner(7, "ada@acme.test", "Ada", None),
    RunOwner(7, "ada@acme.test", "Ada", "Europe/Paris"),
    RunOwner(8, "max@acme.test", "Max", None),
]
ORGS = [
    RunOrg(1, "team", "UTC", {}, "Acme"),
    RunOrg(1, "team", "UTC", {}, "Beta"),
    RunOrg(2, "team", "Europe/Paris", {}, "Acme"),
]
SCHEDULED = [NOW, datetime(2026, 3, 2, 8, 0, tzinfo=UTC)]

run_shapes = st.tuples(
    st.integers(0, len(OWNERS) - 1),
    st.integers(0, len(ORGS) - 1),
    st.sampled_from(["UTC", "Europe/Paris"]),
    st.integers(0, len(LAST_SUCCESS) - 1),
    st.integers(0, len(SETTINGS) - 1),
    st.sampled_from(["schedule", "poll"]),
    st.integers(0, len(SCHEDULED) - 1),
)


#: runs configured alike share one output config (as a claim decodes each distinct one once),
#: and so fall into one group
TO_OWNER = {"to": ["me"]}


def _batch(shapes: list[tuple[Any, ...]]) -> list[tuple[ClaimedRun, RunInputs]]:
    chosen = []
    for i, (owner, org, tz, last, org_settings, triggered_by, scheduled) in enumerate(shapes):
        the_org = dataclasses.replace(ORGS[org], settings=SETTINGS[org_settings])
        auto = RunAutomation(
            i + 1, the_org.id, OWNERS[owner].id, f"auto {i}", "reads", {}, True, tz, "noop",
            TO_OWNER, 0, LAST_SUCCESS[last],
        )  # fmt: skip
        run = ClaimedRun(-(i + 1), i + 1, the_org.id, triggered_by, SCHEDULED[scheduled], 1, NOW)
        chosen.append((run, RunInputs(auto, OWNERS[owner], the_org)))
    return chosen


def _alone(skill: Any, chosen: list[tuple[ClaimedRun, RunInputs]]) -> dict[int, RunCompletion]:
    """Each run's completion with its render made for it alone."""
    done = {}
    for got in chosen:
        done.update(execute_quick_batch(_executor(skill), [got], NOW))
    return done


def test_every_context_field_is_a_value_the_memo_compares_a_tool_or_the_services() -> None:
    fields = {f.name for f in dataclasses.fields(SkillContext)}
    assert fields == PLAIN.keys() | TOOLS | SERVICE
    assert not PLAIN.keys() & TOOLS and not (PLAIN.keys() | TOOLS) & SERVICE


@settings(max_examples=examples(120), deadline=None, database=None)
@given(st.lists(run_shapes, min_size=1, max_size=12))
def test_the_memo_reads_each_field_as_the_run_context_holds_it(
    shapes: list[tuple[Any, ...]],
) -> None:
    executor = _executor(ReadingSkill([], "now"))
    tools = executor._tools(1)
    for run, inputs in _batch(shapes):
        ctx = executor._context(inputs, {}, NOW, run.triggered_by, run.trigger_data, tools)
        if run.triggered_by == "schedule":
            ctx.occurrence = run.scheduled_for
        for name, field in PLAIN.items():
            assert frozen(field(run, inputs, {}, NOW)) == frozen(getattr(ctx, name)), name


@settings(max_examples=examples(200), deadline=None, database=None)
@given(
    st.lists(st.sampled_from(sorted(PLAIN)), max_size=4),
    st.sampled_from(sorted(PLAIN)),
    st.lists(run_shapes, min_size=2, max_size=16),
)
def test_a_run_sharing_a_render_gets_the_output_its_own_render_gives(
    names: list[str], then: str, shapes: list[tuple[Any, ...]]
) -> None:
    skill = ReadingSkill(names, then)
    chosen = _batch(shapes)
    executor = _executor(skill)
    together = execute_quick_batch(executor, chosen, NOW)
    assert executor.channels("noop").sent == len(chosen)  # type: ignore[attr-defined]
    alone = _alone(skill, chosen)
    assert together.keys() == alone.keys() == {run.automation_id for run, _ in chosen}
    for aid, completion in together.items():
        own = alone[aid]
        assert (completion.output, completion.output_hash, completion.summary) == (
            own.output,
            own.output_hash,
            own.summary,
        )
        assert completion.metrics == own.metrics and completion.outcome == own.outcome


def test_runs_of_a_skill_using_a_tool_each_render_their_own() -> None:
    chosen = _batch([(0, 0, "UTC", 0, 0, "schedule", 0)] * 5)
    done = execute_quick_batch(_executor(ToolSkill()), chosen, NOW)
    assert sorted(c.output or "" for c in done.values()) == [f"run {i}" for i in range(5)]


class FooterSkill:
    """Renders the organisation's name over the service's footer, counting its renders."""

    spec = SPEC

    def __init__(self) -> None:
        self.renders = 0

    def run(self, ctx: SkillContext) -> SkillOutput:
        self.renders += 1
        text = f"{ctx.org_name}\n{ctx.footer}"
        return SkillOutput(subject="footer", text=text, html=text, summary={})


def test_runs_reading_the_services_footer_still_share_one_render() -> None:
    skill = FooterSkill()
    executor = _executor(skill)
    footer = "Sent by skilltick. To pause or change this automation, open x."
    executor.footers = lambda org_id: footer
    chosen = _batch([(0, 0, "UTC", 0, 0, "schedule", 0)] * 5 + [(0, 1, "UTC", 0, 0, "poll", 0)])
    done = execute_quick_batch(executor, chosen, NOW)
    assert skill.renders == 2  # one per organisation name
    assert sorted(c.output or "" for c in done.values()) == sorted(
        [f"Acme\n{footer}"] * 5 + [f"Beta\n{footer}"]
    )


def test_values_equal_in_python_but_rendered_differently_are_kept_apart() -> None:
    alike = [1, True, 1.0, [1], (1,), {"n": 1}, {"n": True}]
    assert len({frozen(v) for v in alike}) == len(alike)
    utc_nine = datetime(2026, 3, 1, 9, tzinfo=UTC)
    assert frozen(utc_nine) != frozen(utc_nine.astimezone(PARIS))
    assert frozen({"a": [1, {"b": "x"}]}) == frozen({"a": [1, {"b": "x"}]})


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=examples(80), deadline=None, database=None)
@given(st.dictionaries(st.text(), json_values, min_size=1, max_size=4))
def test_a_document_runs_share_is_stored_as_each_run_would_store_its_own(
    value: dict[str, Any],
) -> None:
    shared = SharedDocument(value)
    plain = RunCompletion(_batch([(0, 0, "UTC", 0, 0, "schedule", 0)])[0][0], "completed", NOW, 0)
    plain.summary, plain.metrics = dict(value), dict(value)
    alike = dataclasses.replace(plain, summary=shared, metrics=shared)
    doc = BulkWriter.document
    assert run_values(alike, "now", str, doc) == run_values(plain, "now", str, doc)
    with pytest.raises(TypeError):
        shared["more"] = 1
    assert shared == value and shared.text == doc(value)


def test_a_document_runs_share_is_scrubbed_as_a_dict_is() -> None:
    named = SharedDocument({"note": "write to ada@acme.test", "jobs": 3})
    assert NO_NAMES.value(named) == {"note": "write to [email]", "jobs": 3}
    clean = SharedDocument({"jobs": 3})
    assert NO_NAMES.value(clean) is clean
