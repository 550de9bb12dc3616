"""One execution path for every run: scheduled, poll, event, manual and test.

execute() turns a claimed run into a RunCompletion: render the skill, resolve recipients,
deliver (tests deliver nothing: the requester sees the preview), decide the status, the retry
and the failure notice. It writes nothing itself except delivery rows (so a crash after a send
never resends it); the tick records completions in batches.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, NamedTuple, Protocol

from sqlalchemy.engine import Engine

from models.errors import DeliveryError, SkilltickError
from models.settings import CoreSettings
from models.store.automations import get_automation
from models.store.completions import RunCompletion
from models.store.orgs import list_users
from models.store.run_history import DEFERRED, deferrals_of, frozen_instant, frozen_targets
from models.store.run_inputs import RunAutomation, RunOrg, RunOwner
from models.store.run_queue import ClaimedRun
from models.tables.automations import Automation
from models.tables.orgs import Organization, User
from skills.ats.demo import DemoAts
from skills.base import OwnerInfo, ReportDocument, SkillContext, SkillOutput, validate_params
from skills.registry import SkillRegistry
from skills.sandbox import template_budget
from skills.scrub import Scrubber
from worker.delivery.base import Channel, Message, Recipient
from worker.delivery.deliver import DeliveryOutcome, deliver
from worker.run.actions import action_rows, aggregate_status, run_actions
from worker.run.recipients import (
    check_recipients,
    first_team,
    quiet_until,
    recipient_ref,
    resolve,
    wants_team,
)
from worker.run.skill_stores import (
    NotQuick,
    ReadOnlySequenceSteps,
    StoredHolidays,
    StoredSequenceSteps,
)
from worker.schedule.for_automation import schedule_of
from worker.schedule.parse import next_fire

log = logging.getLogger(__name__)

#: runs started by the scheduler or the ATS; only these move failure counts and pause state
UNATTENDED = ("schedule", "poll", "event")
#: the scrubber of a run that names no candidate (it holds no state: one serves every run)
NO_NAMES = Scrubber()
#: a system job skipped for these found nothing to do (see RunCompletion.idle)
IDLE_REASONS = frozenset({"nothing_due"})
#: organisations whose ATS and stores an executor keeps at once (then it starts afresh)
ORG_TOOLS_KEPT = 4096


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


def backoff(attempt: int, cap_minutes: int) -> timedelta:
    """1, 2, 4 ... minutes after failed attempt 1, 2, 3 ..., capped."""
    return timedelta(minutes=min(2 ** (attempt - 1), cap_minutes))


def occurrence_key(run: ClaimedRun) -> str:
    """Identifies an occurrence across its attempts and rescues (delivery idempotency)."""
    if run.triggered_by in ("manual", "test"):
        return f"run:{run.run_id}"
    return f"a{run.automation_id}:{_instant_text(run.scheduled_for)}"


@functools.lru_cache(maxsize=4096)
def _instant_text(value: datetime) -> str:
    # a batch shares a handful of instants; formatting each once keeps the hot path lean
    return value.isoformat()


#: outputs up to this long have their hash remembered (fixed texts recur run after run)
HASH_MEMORY_CHARS = 512


def _output_hash(output: str) -> str:
    if len(output) <= HASH_MEMORY_CHARS:
        return _short_output_hash(output)
    return hashlib.sha256(output.encode()).hexdigest()


@functools.lru_cache(maxsize=1024)
def _short_output_hash(output: str) -> str:
    return hashlib.sha256(output.encode()).hexdigest()


@functools.lru_cache(maxsize=4096)
def _owner_info(owner_id: int, email: str, name: str, timezone: str) -> OwnerInfo:
    # immutable, and an owner's automations run again and again: one record serves them all
    return OwnerInfo(id=owner_id, email=email, name=name, timezone=timezone)


@functools.lru_cache(maxsize=64)
def _hours(count: int) -> timedelta:
    return timedelta(hours=count)


def resolve_recipients(
    automation: Automation | RunAutomation, owner: User | RunOwner
) -> list[Recipient]:
    """The output config's `to` list: "me"/"owner" is the owner, anything else an address
    (roles such as "candidate" need a skill's output: see worker.run.recipients)."""
    return resolve(automation, owner).recipients


__all__ = [
    "Executor",
    "RunInputs",
    "backoff",
    "check_recipients",
    "occurrence_key",
    "resolve_recipients",
]


class Executor:
    def __init__(
        self,
        engine: Engine,
        settings: CoreSettings,
        registry: SkillRegistry,
        channels: ChannelFactory,
        llm: LlmSkillRunner | None = None,
    ) -> None:
        self.engine = engine
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
            scrubber = Scrubber(ats.names_of(_candidate_ids(run.trigger_data)))
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
        named = _candidate_ids(run.trigger_data)
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
            owner=_owner_info(
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

    def _finish(
        self,
        run: ClaimedRun,
        inputs: RunInputs,
        now: datetime,
        mode: str,
        output: SkillOutput,
        ats: DemoAts,
        scrubber: Scrubber,
    ) -> RunCompletion:
        """Rows from the skill or its actions go through `scrubber` as they are added; the
        rows this executor writes itself (render, delivery, recipients) hold only codes, counts,
        names of skills and channels and recipient keys, and their error texts go through it."""
        auto = inputs.automation
        targets = (
            scrubber.value(
                [
                    {
                        "target_type": t.target_type,
                        "target_ref": t.target_ref,
                        "status": "completed",
                    }
                    for t in output.targets
                ]
            )
            if output.targets
            else []
        )
        reevaluated: dict[str, int] | None = None
        first_recipients: set[str] = set()
        if run.attempt > 1 or run.rescued:
            reevaluated, first_recipients = self._first_attempt(run, output)
        render = {
            "action_type": "render",
            "status": "completed",
            "started_at": now,
            "completed_at": now,
            "detail": {"skill": auto.skill, "mode": output.llm.get("mode", mode)},
        }
        base = self._completion(run, now, output.summary, output.text, targets, [render])
        if reevaluated is not None:
            base.metrics["targets_reevaluated"] = reevaluated
        _llm_metrics(base, output)
        if output.skipped_reason:
            base.status, base.skipped_reason = "skipped", output.skipped_reason
            # the sequence job checks every minute; a check with nothing due is not history
            base.idle = (
                auto.system
                and run.triggered_by == "schedule"
                and output.skipped_reason in IDLE_REASONS
            )
            return base
        team = (
            first_team(list_users(self.engine, auto.org_id), first_recipients)
            if wants_team(auto)
            else ()
        )
        resolved = resolve(auto, inputs.owner, output.addressees, team)
        zones = resolved.candidate_timezones if output.deliver else []
        if output.actions:
            zones = zones + [a.quiet_tz for a in output.actions if a.quiet_tz]
        if zones and run.triggered_by != "test":
            opening = quiet_until(now, zones, inputs.org.timezone, dict(inputs.org.settings or {}))
            if opening is not None:
                return self._defer(run, now, base, opening)
        if run.triggered_by == "test":
            # a test shows the output to its requester only; nothing is sent or changed, but
            # an action that could not even be planned (a template over its limits) says so
            base.status = "completed"
            broken = [a for a in output.actions if a.error is not None]
            for action in broken:
                base.actions.append(
                    scrubber.value(
                        {
                            "action_type": action.action_type,
                            "status": "failed",
                            "error": action.error,
                            "detail": dict(action.detail),
                        }
                    )
                )
            if broken:
                base.status = "failed" if len(broken) == len(output.actions) else "partial"
                base.error_code, base.error_message = "action_failed", broken[0].error
            base.actions.append(
                {
                    "action_type": "deliver",
                    "status": "skipped",
                    "skipped_reason": "test_run",
                    "detail": {},
                }
            )
            return base
        if output.actions:
            results = run_actions(
                self.engine,
                ats,
                output.actions,
                email=lambda: self.channels("email"),
                org_id=auto.org_id,
                run_id=run.run_id,
                occurrence_key=occurrence_key(run),
                now=now,
                chain_depth=_chain_depth(run.trigger_data) + 1,
            )
            if output.after_actions is not None:
                output.after_actions(results)
            base.actions.extend(scrubber.value(action_rows(results, now)))
            status = aggregate_status(results)
            base.metrics["actions"] = {
                s: sum(r.status == s for r in results) for s in ("completed", "skipped", "failed")
            }
            if not output.deliver:
                base.status = status
                if status != "completed":
                    base.error_code = "action_failed"
                    base.error_message = next(r.error for r in results if r.error)
                if run.triggered_by in UNATTENDED:
                    base.outcome = "failed" if status == "failed" else "succeeded"
                return base
        if not output.deliver:
            base.status = "completed"
            return base
        for role in resolved.missing_roles:
            base.targets.append(
                {
                    "target_type": "recipient",
                    "target_ref": role,
                    "status": "skipped",
                    "skipped_reason": f"no_{role}",
                }
            )
        if not resolved.recipients:
            return self._failed(
                run,
                now,
                "no_recipients",
                "Nobody to send to: " + ", ".join(resolved.missing_roles) + " unknown for this run",
                retryable=False,
                inputs=inputs,
                base=base,
            )
        return self._deliver(
            run,
            inputs,
            now,
            base,
            output.subject,
            output.text,
            output.html,
            resolved.recipients,
            output.document,
            scrubber,
        )

    def _first_attempt(
        self, run: ClaimedRun, output: SkillOutput
    ) -> tuple[dict[str, int] | None, set[str]]:
        """For a retry: what its occurrence's first attempt acted on, as counts when this
        attempt acts on other targets (else None), and the recipients it resolved (their
        row references)."""
        frozen: set[tuple[str, str]] = set()
        recipients: set[str] = set()
        for t in frozen_targets(self.engine, run.automation_id, run.scheduled_for):
            if t.target_type == "recipient":
                recipients.add(t.target_ref)
            else:
                frozen.add((t.target_type, t.target_ref))
        acted = {(t.target_type, t.target_ref) for t in output.targets}
        if frozen and frozen != acted:
            # the data changed under the retry anyway (a candidate deleted, a record edited
            # in the past): its rows and its run say what it really acted on
            return {"first_attempt": len(frozen), "this_attempt": len(acted)}, recipients
        return None, recipients

    def _defer(
        self, run: ClaimedRun, now: datetime, base: RunCompletion, until: datetime
    ) -> RunCompletion:
        """Quiet hours: nothing sent, the next attempt queued for the recipient's morning."""
        base.status, base.skipped_reason = "skipped", DEFERRED
        base.retry_at = until
        base.metrics["deferred_until"] = until.isoformat()
        base.actions.append(
            {
                "action_type": "deliver",
                "status": "skipped",
                "skipped_reason": DEFERRED,
                "detail": {"until": until.isoformat()},
            }
        )
        return base

    def _deliver(
        self,
        run: ClaimedRun,
        inputs: RunInputs,
        now: datetime,
        base: RunCompletion,
        subject: str,
        text: str,
        html: str | None,
        recipients: list[Recipient],
        document: ReportDocument | None,
        scrubber: Scrubber,
    ) -> RunCompletion:
        auto = inputs.automation
        try:
            channel = self.channels(auto.output_channel)
        except DeliveryError as exc:
            return self._failed(
                run,
                now,
                "delivery_unavailable",
                exc.message,
                retryable=exc.retryable,
                inputs=inputs,
                base=base,
            )
        outcomes = deliver(
            self.engine,
            channel,
            Message(subject=subject, text=text, html=html, document=document),
            recipients,
            org_id=auto.org_id,
            run_id=run.run_id,
            occurrence_key=occurrence_key(run),
            now=now,
        )
        return self._delivered(run, inputs, now, base, channel.name, outcomes, scrubber)

    def _delivered(
        self,
        run: ClaimedRun,
        inputs: RunInputs,
        now: datetime,
        base: RunCompletion,
        name: str,
        outcomes: list[DeliveryOutcome],
        scrubber: Scrubber,
    ) -> RunCompletion:
        """The run as its delivery's outcomes through channel `name` leave it: the recipients'
        rows, the delivery step, and its status, retry or failure."""
        sent = skipped = resent = 0
        failed: list[DeliveryOutcome] = []
        targets = base.targets
        for outcome in outcomes:
            status = outcome.status
            if status == "sent":
                sent += 1
            elif status == "skipped":
                skipped += 1
            else:
                failed.append(outcome)
            resent += outcome.resent_after_unknown
            targets.append(
                {
                    "target_type": "recipient",
                    "target_ref": recipient_ref(outcome.recipient_key),
                    "status": "completed" if status == "sent" else status,
                    "error": scrubber.text(outcome.error) if outcome.error else None,
                    "skipped_reason": outcome.skipped_reason,
                    "detail": {
                        "channel": name,
                        "resent_after_unknown": outcome.resent_after_unknown,
                    },
                }
            )
        base.actions.append(
            {
                "action_type": "deliver",
                "started_at": now,
                "completed_at": now,
                "status": "failed"
                if failed and len(failed) == len(outcomes)
                else ("partial" if failed else "completed"),
                "error": scrubber.text(failed[0].error) if failed and failed[0].error else None,
                "detail": {
                    "channel": name,
                    "sent": sent,
                    "skipped": skipped,
                    "failed": len(failed),
                    "resent_after_unknown": resent,
                },
            }
        )
        base.metrics["delivered"] = sent
        base.metrics["resent_after_unknown"] = resent
        if not failed:
            base.status = "completed"
            base.outcome = "succeeded" if run.triggered_by in UNATTENDED else None
            return base
        retryable = any(o.retryable for o in failed)
        error = failed[0].error or "delivery failed"
        if len(failed) < len(outcomes):
            base.status, base.error_code, base.error_message = "partial", "delivery_failed", error
            if retryable and self._may_retry(run):
                base.retry_at = now + backoff(run.attempt, self.settings.backoff_cap_minutes)
            elif run.triggered_by in UNATTENDED:
                base.outcome = "succeeded"
            return base
        return self._failed(
            run, now, "delivery_failed", error, retryable=retryable, inputs=inputs, base=base
        )

    def _may_retry(self, run: ClaimedRun) -> bool:
        if run.triggered_by == "test":
            return False
        attempts = run.attempt
        if attempts >= self.settings.max_attempts:
            # quiet-hours deferrals are not failed attempts
            attempts -= deferrals_of(self.engine, run.automation_id, run.scheduled_for)
        return attempts < self.settings.max_attempts

    def _completion(
        self,
        run: ClaimedRun,
        now: datetime,
        summary: dict[str, Any],
        output: str | None,
        targets: list[dict[str, Any]] | None = None,
        actions: list[dict[str, Any]] | None = None,
    ) -> RunCompletion:
        ttl = self.settings.output_ttl_hours
        keep = bool(output) and ttl > 0
        return RunCompletion(
            run=run,
            status="completed",
            completed_at=now,
            duration_ms=0,
            summary=summary,
            output_hash=_output_hash(output) if output else None,
            output=output if keep else None,
            output_expires_at=now + _hours(ttl) if keep else None,
            targets=[] if targets is None else targets,
            actions=[] if actions is None else actions,
        )

    def _skipped(self, run: ClaimedRun, now: datetime, reason: str) -> RunCompletion:
        completion = self._completion(run, now, {}, None)
        completion.status, completion.skipped_reason = "skipped", reason
        return completion

    def _failed(
        self,
        run: ClaimedRun,
        now: datetime,
        code: str,
        message: str,
        *,
        retryable: bool,
        inputs: RunInputs | None,
        base: RunCompletion | None = None,
    ) -> RunCompletion:
        completion = base or self._completion(run, now, {}, None)
        completion.status, completion.error_code = "failed", code
        completion.error_message = message[:500]
        if retryable and self._may_retry(run):
            completion.retry_at = now + backoff(run.attempt, self.settings.backoff_cap_minutes)
            return completion
        if run.triggered_by not in UNATTENDED or inputs is None:
            return completion
        completion.outcome = "failed"
        auto = inputs.automation
        will_pause = auto.consecutive_failures + 1 >= self.settings.pause_after_failed_occurrences
        attempts = f"after {run.attempt} attempt{'s' if run.attempt > 1 else ''}"
        completion.notice = (
            f"Your automation “{auto.name}” (#{auto.id}) failed {attempts}: {message}"
            + (
                f" It has now failed {auto.consecutive_failures + 1} times in a row, so I paused"
                " it. Fix the problem, then resume it."
                if will_pause
                else " It will run again at its next scheduled time."
            )
        )
        return completion


class LlmSkillRunner(Protocol):
    def run(self, skill: Any, ctx: SkillContext) -> SkillOutput: ...


def _chain_depth(trigger_data: dict[str, Any]) -> int:
    depth = trigger_data.get("chain_depth")
    return depth if isinstance(depth, int) and depth >= 0 else 0


def _candidate_ids(trigger_data: dict[str, Any]) -> list[int]:
    value = trigger_data.get("candidate_id")
    return [value] if isinstance(value, int) and not isinstance(value, bool) else []


def _llm_metrics(completion: RunCompletion, output: SkillOutput) -> None:
    """Token counts as numbers: the run's llm_* columns, and the LLM mode in metrics."""
    usage = output.llm
    if usage.get("mode", "deterministic") == "deterministic" and "fallback" not in usage:
        return
    completion.metrics["llm"] = {
        k: usage[k]
        for k in (
            "mode",
            "model",
            "fallback",
            "input_tokens",
            "output_tokens",
            "cache_read_tokens",
            "cache_write_tokens",
            "turns",
        )
        if k in usage
    }
    completion.llm_input_tokens = int(usage.get("input_tokens", 0))
    completion.llm_output_tokens = int(usage.get("output_tokens", 0))
    completion.llm_cache_read_tokens = int(usage.get("cache_read_tokens", 0))
    completion.llm_cache_write_tokens = int(usage.get("cache_write_tokens", 0))


def sealed(
    completion: RunCompletion, started: float, scrubber: Scrubber, *, scrubbed: bool = False
) -> RunCompletion:
    """A run's completion as it is recorded: its duration since `started` (perf_counter),
    whether it was rescued, how many occurrences it stands for, and scrubbed (`scrubbed`: its
    summary went through `scrubber` already and its metrics are this executor's counts)."""
    completion.duration_ms = int((time.perf_counter() - started) * 1000)
    run = completion.run
    if run.rescued:
        completion.metrics["rescued"] = True
    if run.missed_count:
        completion.metrics["missed"] = run.missed_count
    if not scrubbed:
        _scrub(completion, scrubber)
    return completion


def _scrub(completion: RunCompletion, scrubber: Scrubber) -> None:
    """Every stored history field, once more through the scrubber (defence in depth): the
    summary, metrics and texts here; target and action rows as they are added (Executor._finish).
    The full output is left whole: it is what a test run previews to its requester, it may name
    candidates like the delivered message does, and the pruner deletes it after its TTL."""
    completion.summary = scrubber.value(completion.summary)
    completion.metrics = scrubber.value(completion.metrics)
    if completion.error_message:
        completion.error_message = scrubber.text(completion.error_message)
    if completion.notice:
        completion.notice = scrubber.text(completion.notice)
