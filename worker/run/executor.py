"""One execution path for every run: scheduled, poll, event, manual and test.

execute() turns a claimed run into a RunCompletion: render the skill, resolve recipients,
deliver (tests deliver nothing: the requester sees the preview), decide the status, the retry
and the failure notice. It writes nothing itself except delivery rows (so a crash after a send
never resends it); the tick records completions in batches. What a run is given is in
worker.run.inputs, how its completion is built in worker.run.completing, and its delivery in
worker.run.delivering.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from models.errors import SkilltickError
from models.settings import CoreSettings
from models.store.automations import get_automation
from models.store.completions import RunCompletion
from models.store.run_history import frozen_instant, skipped_before
from models.store.run_inputs import RunAutomation
from models.store.run_queue import ClaimedRun
from skills.ats.demo import DemoAts
from skills.ats.unmirrored import unmirrored_refusal
from skills.base import SkillContext, SkillOutput, validate_params
from skills.registry import SkillRegistry
from skills.sandbox import template_budget
from skills.scrub import Scrubber
from worker.run.completing import NO_NAMES, UNATTENDED, backoff, sealed
from worker.run.finishing import Finishing
from worker.run.inputs import (
    ChannelFactory,
    LlmSkillRunner,
    OrgTools,
    RunInputs,
    candidate_ids_of,
    occurrence_key,
    owner_info_of,
    resolve_recipients,
)
from worker.run.recipients import check_recipients
from worker.run.skill_stores import (
    NotQuick,
    ReadOnlySequenceSteps,
    StoredHolidays,
    StoredSequenceSteps,
)
from worker.schedule.for_automation import schedule_of
from worker.schedule.parse import next_fire

log = logging.getLogger(__name__)

#: organisations whose ATS and stores an executor keeps at once (then it starts afresh)
ORG_TOOLS_KEPT = 4096
#: why a run of a skill the organisation's mirrored ATS cannot feed is skipped
UNMIRRORED = "ats_unmirrored"
#: what its owner can do about it
AFTER_UNFED = "pause or delete it."

__all__ = [
    "NO_NAMES",
    "Executor",
    "LlmSkillRunner",
    "OrgTools",
    "RunInputs",
    "backoff",
    "check_recipients",
    "occurrence_key",
    "resolve_recipients",
    "sealed",
]


class Executor(Finishing):
    """Runs claimed runs: see the module's docstring."""

    def __init__(
        self,
        engine: Engine,
        settings: CoreSettings,
        registry: SkillRegistry,
        channels: ChannelFactory,
        llm: LlmSkillRunner | None = None,
        footers: Callable[[int], str] | None = None,
    ) -> None:
        self.engine = engine
        # what an organisation's messages end with (worker.run.footers.OrgFooters); None: the
        # templates' own
        self.footers = footers
        self.settings = settings
        self.registry = registry
        self.channels = channels
        # LLM and hybrid skills run through it; None: hybrid skills run deterministically
        self.llm = llm
        # organisation id -> its ATS and stores; they hold only the engine and the id, so one
        # set serves every run of the organisation
        self._org_tools: dict[int, OrgTools] = {}

    def _tools(self, org_id: int) -> OrgTools:
        tools = self._org_tools.get(org_id)
        if tools is None:
            if len(self._org_tools) >= ORG_TOOLS_KEPT:
                self._org_tools.clear()
            engine = self.engine
            tools = OrgTools(
                DemoAts(engine, org_id),
                StoredHolidays(engine, org_id),
                StoredSequenceSteps(engine, org_id),
            )
            self._org_tools[org_id] = tools
        return tools

    def runs_quick(self, auto: RunAutomation) -> bool:
        """Whether a run of `auto` may be executed before its claim is written (and recorded by
        it when it completes cleanly): its skill is deterministic and its output channel sends
        nothing outside the transaction that records the run (Channel.in_transaction)."""
        try:
            skill = self.registry.get(auto.skill)
            channel = self.channels(auto.output_channel)
        except SkilltickError:
            return False
        return skill.spec.mode == "deterministic" and getattr(channel, "in_transaction", False)

    def execute(self, run: ClaimedRun, inputs: RunInputs | None, now: datetime) -> RunCompletion:
        return self._run(run, inputs, now, quick=False)

    def execute_quick(
        self, run: ClaimedRun, inputs: RunInputs, now: datetime
    ) -> RunCompletion | None:
        """execute() for a run that may be recorded by its claim (worker.tick.quick), or None
        when it turns out not to be quick: its skill planned actions or would write its own
        state (claim sequence steps). Nothing of such a run has happened (its skill only read),
        and it is run again the usual way."""
        try:
            return self._run(run, inputs, now, quick=True)
        except NotQuick:
            return None

    def _run(
        self, run: ClaimedRun, inputs: RunInputs | None, now: datetime, *, quick: bool
    ) -> RunCompletion:
        started = time.perf_counter()
        scrubber = NO_NAMES
        try:
            with template_budget():
                completion, scrubber = self._execute(run, inputs, now, quick)
        except NotQuick:
            raise
        except Exception as exc:  # a bug in a skill or channel must not take the worker down
            log.exception("run %s crashed", run.run_id)
            completion = self._failed(
                run,
                now,
                "internal_error",
                f"Internal error: {type(exc).__name__}",
                retryable=True,
                inputs=inputs,
            )
        return sealed(completion, started, scrubber)

    def _execute(
        self, run: ClaimedRun, inputs: RunInputs | None, now: datetime, quick: bool = False
    ) -> tuple[RunCompletion, Scrubber]:
        none = NO_NAMES
        if inputs is None:
            return self._skipped(run, now, "automation_deleted"), none
        auto = inputs.automation
        if run.triggered_by in UNATTENDED and not auto.enabled:
            return self._skipped(run, now, "paused"), none
        if refusal := unmirrored_refusal(self.engine, auto.org_id, auto.skill):
            return self._unfed(run, now, refusal), none
        try:
            skill = self.registry.get(auto.skill)
            # a skill without parameters, given none, has nothing to check
            params = (
                validate_params(skill.spec, auto.params) if auto.params or skill.spec.params else {}
            )
        except SkilltickError as exc:
            fail = self._failed(run, now, exc.code, exc.message, retryable=False, inputs=inputs)
            return fail, none
        tools = self._tools(auto.org_id)
        if quick:
            tools = tools._replace(sequences=ReadOnlySequenceSteps(tools.sequences))
        ats = tools.ats
        as_of = now
        if run.attempt > 1 or run.rescued:
            # a retry reads the data as the first attempt did: an application that arrived
            # in between belongs to the next occurrence, not to this one's retry
            first = frozen_instant(self.engine, auto.id or 0, run.scheduled_for)
            if first is not None and first < now:
                as_of = first
        ctx = self._context(inputs, params, as_of, run.triggered_by, run.trigger_data, tools)
        if run.triggered_by == "schedule":
            ctx.occurrence = run.scheduled_for
        try:
            output = self._run_skill(skill, ctx)
        except SkilltickError as exc:
            scrubber = Scrubber(ats.names_of(candidate_ids_of(run.trigger_data)))
            # an LLM skill whose API is briefly down is worth another attempt (skills.llm.runner)
            fail = self._failed(
                run,
                now,
                exc.code,
                exc.message,
                retryable=bool(getattr(exc, "retryable", False)),
                inputs=inputs,
            )
            return fail, scrubber
        if quick and (output.actions or output.after_actions is not None):
            raise NotQuick("a run whose skill planned actions is not quick")
        named = candidate_ids_of(run.trigger_data)
        if output.targets:
            named += [
                int(t.target_ref)
                for t in output.targets
                if t.target_type == "candidate" and t.target_ref.isdigit()
            ][:500]
        names = ats.names_of(named) if named else []
        if output.addressees:
            names += [a.name for a in output.addressees.values() if a.role == "candidate"]
        scrubber = Scrubber(names) if names else NO_NAMES
        completion = self._finish(run, inputs, now, skill.spec.mode, output, ats, scrubber)
        if as_of < now:
            completion.evaluated_at = as_of
        return completion, scrubber

    def _unfed(self, run: ClaimedRun, now: datetime, refusal: str) -> RunCompletion:
        """A run of a skill the organisation's mirrored ATS cannot feed (made before the ATS
        was connected) would always send nothing: it is skipped, its owner told the first
        time, when no earlier run was skipped for it."""
        completion = self._skipped(run, now, UNMIRRORED)
        told = skipped_before(self.engine, run.automation_id, UNMIRRORED, before_id=run.run_id)
        if run.triggered_by in UNATTENDED and not told:
            completion.notice = f"{refusal} Its runs are skipped and send nothing: {AFTER_UNFED}"
            completion.notice_kind = "skipped"
        return completion

    def preview(
        self, inputs: RunInputs, trigger_data: dict[str, Any], now: datetime
    ) -> SkillOutput:
        """Render what the automation would produce for `trigger_data`, deterministically,
        without running actions, delivering or recording anything (backtests)."""
        auto = inputs.automation
        skill = self.registry.get(auto.skill)
        params = validate_params(skill.spec, auto.params)
        tools = self._tools(auto.org_id)
        with template_budget():
            return skill.run(self._context(inputs, params, now, "test", trigger_data, tools))

    def _context(
        self,
        inputs: RunInputs,
        params: dict[str, Any],
        now: datetime,
        triggered_by: str,
        trigger_data: dict[str, Any],
        tools: OrgTools,
    ) -> SkillContext:
        """What a skill is told about one run of `inputs.automation`."""
        auto, owner = inputs.automation, inputs.owner
        return SkillContext(
            org_id=auto.org_id,
            owner=owner_info_of(
                owner.id or 0, owner.email, owner.name, owner.timezone or auto.timezone
            ),
            params=params,
            now=now,
            tz=auto.timezone,
            triggered_by=triggered_by,
            last_success_at=auto.last_success_at,
            trigger_data=trigger_data,
            ats=tools.ats,
            holidays=tools.holidays,
            sequences=tools.sequences,
            org_name=inputs.org.name,
            org_timezone=inputs.org.timezone,
            org_settings=dict(inputs.org.settings or {}),
            next_run_after=functools.partial(self._next_run_after, auto.org_id, auto.id),
            footer=self.footers(auto.org_id) if self.footers is not None else None,
        )

    def _next_run_after(self, org_id: int, automation_id: int, after: datetime) -> datetime | None:
        """The automation's first scheduled run after `after`, by its schedule as stored now
        (None when it has none, no run follows, or it is gone)."""
        try:
            schedule = schedule_of(get_automation(self.engine, org_id, automation_id))
        except SkilltickError:
            return None
        return next_fire(schedule, after) if schedule is not None else None

    def _run_skill(self, skill: Any, ctx: SkillContext) -> SkillOutput:
        """The skill's output; LLM and hybrid skills go through the LLM when it is set up."""
        if self.llm is not None and skill.spec.mode in ("llm", "hybrid"):
            return self.llm.run(skill, ctx)
        return skill.run(ctx)
