"""A claim batch's quick runs, executed as a batch.

The runs of one batch fall into a few groups: the same skill, output channel, output config and
organisation. What every run of a group shares is prepared once for the group: the skill, the
channel and how a send goes through it (worker.delivery.deliver.Sender), the organisation's ATS
and stores, and how its recipients follow from the owner. Per
run only what depends on that run is done: its render, its message id and its completion, each
by the executor's own pieces (Executor._context, deliver(), Executor._completion,
Executor._delivered, sealed()), so a batch run's history is the one the general path leaves.
Runs whose skill would read the same values share one render, and with it its message, its
scrubbed summary and its output hash (worker.run.shared_renders). A group's runs delivered
alike (the same outcomes, sent to the same recipients, as many occurrences missed) record the
same steps: the first builds them through the general pieces, and the others take a copy of
what it recorded.

A run the batch does not expect (its group cannot be prepared, its automation is paused, its
skill raises, its output names candidates, is skipped, asks for the team or a role, or holds
LLM usage) goes through Executor.execute_quick as a run of its own, exactly as before; one
whose skill planned actions is not quick (None, as there).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from models.errors import SkilltickError
from models.store.completions import (
    Outcome,
    RunCompletion,
    SharedDocument,
    recordable_at_claim,
)
from models.store.run_inputs import RunOwner
from models.store.run_queue import ClaimedRun
from skills.base import SkillOutput, validate_params
from skills.sandbox import template_budget
from worker.delivery.base import Channel, Message, Recipient
from worker.delivery.deliver import DeliveryOutcome, Sender
from worker.run.executor import NO_NAMES, Executor, OrgTools, RunInputs, occurrence_key, sealed
from worker.run.recipients import by_owner
from worker.run.shared_renders import ReadingContext, RenderMemo, reading
from worker.run.skill_stores import NotQuick, ReadOnlySequenceSteps


class QuickGroup:
    """What every quick run of one skill, channel, output config and organisation shares."""

    __slots__ = (
        "_clean",
        "_message",
        "channel",
        "checks_params",
        "memo",
        "mode",
        "recipients",
        "send",
        "skill",
        "steps",
        "tools",
    )

    def __init__(
        self,
        skill: Any,
        channel: Channel,
        tools: OrgTools,
        recipients: Callable[[RunOwner], list[Recipient]],
        send: Sender,
    ) -> None:
        self.skill, self.channel, self.tools, self.recipients = skill, channel, tools, recipients
        self.send = send
        self.mode: str = skill.spec.mode
        self.checks_params = bool(skill.spec.params)  # a skill with parameters checks each run's
        self._message: Message | None = None
        self._clean: dict[str, Any] | None = None  # the last summary found clean
        # (render mode, delivery outcomes' ids, how triggered, occurrences missed) -> the
        # metrics (its steps folded in) and outcome the general path left a run so delivered
        # with, and those outcomes (kept alive: no other object takes their ids meanwhile)
        self.steps: dict[
            tuple[Any, ...], tuple[dict[str, Any], Outcome, list[DeliveryOutcome]]
        ] = {}
        self.memo: RenderMemo[Rendered] = RenderMemo()

    def summary(self, summary: dict[str, Any]) -> dict[str, Any]:
        """`summary` scrubbed (it names no candidate: the name-less scrubber). Only texts can
        hold what is scrubbed, and a summary equal to one found clean holds the same texts: it
        is clean as it is (the very same dict is looked at again: it may have changed)."""
        clean = self._clean
        if clean is not None and summary is not clean and summary == clean:
            return summary
        scrubbed = NO_NAMES.value(summary)
        if scrubbed is summary:
            self._clean = summary
        return scrubbed

    def message(self, output: SkillOutput) -> Message:
        """The message of `output`; runs rendering the same text send one (immutable) object."""
        last = self._message
        if (
            last is not None
            and last.text == output.text
            and last.subject == output.subject
            and last.html == output.html
            and last.document == output.document
        ):
            return last
        self._message = Message(output.subject, output.text, output.html, output.document)
        return self._message


#: a group key -> its group, or None when its runs go the general way
Groups = dict[tuple[str, str, int, int], QuickGroup | None]


def execute_quick_batch(
    executor: Executor, chosen: list[tuple[ClaimedRun, RunInputs]], now: datetime
) -> dict[int, RunCompletion]:
    """The completions of the quick runs in `chosen`, by automation id; a run that turned out
    not to be quick has none (see Executor.execute_quick)."""
    groups: Groups = {}
    done: dict[int, RunCompletion] = {}
    for run, inputs in chosen:
        auto = inputs.automation
        # a batch decodes each distinct output config once: runs configured alike share it
        key = (auto.skill, auto.output_channel, id(auto.output_config), auto.org_id)
        group = groups.get(key, ...)
        if group is ...:
            group = groups[key] = _prepare(executor, inputs)
        completion = None
        # a retry or a rescue reads as its first attempt did, and a trigger may name candidates
        if (
            group is not None
            and auto.enabled
            and run.attempt == 1
            and not run.rescued
            and not run.trigger_data
        ):
            try:
                completion = _execute(executor, group, run, inputs, now)
            except NotQuick:
                continue
            except Exception:  # the general path records what went wrong, as for any run
                completion = None
        if completion is None:
            completion = executor.execute_quick(run, inputs, now)
        if completion is not None:
            done[run.automation_id] = completion
    return done


def _prepare(executor: Executor, inputs: RunInputs) -> QuickGroup | None:
    auto = inputs.automation
    try:
        skill = executor.registry.get(auto.skill)
        channel = executor.channels(auto.output_channel)
    except SkilltickError:
        return None
    recipients = by_owner(auto)
    if recipients is None:
        return None
    tools = executor._tools(auto.org_id)
    tools = tools._replace(sequences=ReadOnlySequenceSteps(tools.sequences))
    return QuickGroup(skill, channel, tools, recipients, Sender(executor.engine, channel))


def _usual(output: SkillOutput) -> bool:
    """An output the batch records as it is: delivered, naming nobody, without LLM usage."""
    return (
        output.deliver
        and output.skipped_reason is None
        and not output.targets
        and not output.addressees
        and (not output.llm or output.llm == {"mode": "deterministic"})
    )


class Rendered:
    """A run's render and what follows from it alone; runs whose skill read the same values
    share one (worker.run.shared_renders)."""

    __slots__ = ("kept", "message", "mode", "output", "summary")

    def __init__(self, group: QuickGroup, output: SkillOutput) -> None:
        self.output = output
        self.mode: str = output.llm.get("mode", group.mode)
        summary = group.summary(output.summary)
        # runs sharing the render store its summary alike: encoded once
        self.summary = SharedDocument(summary) if summary else summary
        self.message = group.message(output)
        # the completion's output hash, kept output and its expiry, once a run has made them
        self.kept: tuple[str | None, str | None, datetime | None] | None = None


def _render(
    executor: Executor,
    group: QuickGroup,
    run: ClaimedRun,
    inputs: RunInputs,
    params: dict[str, Any],
    now: datetime,
) -> Rendered | None:
    """The run's render, kept for runs that would read the same; None when the general path
    must run it."""
    ctx = executor._context(inputs, params, now, run.triggered_by, run.trigger_data, group.tools)
    if run.triggered_by == "schedule":
        ctx.occurrence = run.scheduled_for
    memo = group.memo
    if memo.on:
        ctx = reading(ctx)
    with template_budget():
        output = group.skill.run(ctx)
    if output.actions or output.after_actions is not None:
        raise NotQuick("a run whose skill planned actions is not quick")
    if not _usual(output):
        return None
    rendered = Rendered(group, output)
    if isinstance(ctx, ReadingContext):
        memo.keep(ctx, rendered)
    return rendered


def _execute(
    executor: Executor, group: QuickGroup, run: ClaimedRun, inputs: RunInputs, now: datetime
) -> RunCompletion | None:
    """The run's completion, or None when the general path must run it."""
    started = time.perf_counter()
    auto = inputs.automation
    params = auto.params
    if params or group.checks_params:
        params = validate_params(group.skill.spec, params)
    memo = group.memo
    rendered = memo.every
    if rendered is None and memo.on:
        rendered = memo.get(run, inputs, params, now)
    if rendered is None:
        rendered = _render(executor, group, run, inputs, params, now)
        if rendered is None:
            return None
    recipients = group.recipients(inputs.owner)
    if not recipients:
        return None
    send = group.send
    if send.direct and len(recipients) == 1:
        # a direct send's occurrence key names its message id alone, which some channels lack
        occurrence = occurrence_key(run) if send.message_ids else ""
        outcomes = [send.to_one(rendered.message, recipients[0], auto.org_id, occurrence)]
    else:
        outcomes = send(
            rendered.message,
            recipients,
            org_id=auto.org_id,
            run_id=run.run_id,
            occurrence_key=occurrence_key(run),
            now=now,
        )
    mode = rendered.mode
    # the outcomes by identity: a send that went as an earlier one did gives the very outcome
    # object it gave (worker.delivery.deliver), and group.steps keeps alive those in its keys
    key = (mode, tuple(map(id, outcomes)), run.triggered_by, run.missed_count)
    steps = group.steps.get(key)
    kept = rendered.kept
    if steps is not None and kept is not None:
        # rendered and delivered as an earlier run of the group was: its completion, as that
        # run's was built, with this run's own claim
        metrics, outcome, _ = steps
        output_hash, output, expires = kept
        return RunCompletion(
            run,
            "completed",
            now,
            int((time.perf_counter() - started) * 1000),
            rendered.summary,
            output_hash,
            output,
            expires,
            metrics=metrics,
            outcome=outcome,
        )
    summary, text = rendered.summary, rendered.output.text
    if steps is not None:
        # delivered as an earlier run of the group was: its steps, as that run recorded them
        metrics, outcome, _ = steps
        completion = executor._completion(run, now, summary, text)
        rendered.kept = (completion.output_hash, completion.output, completion.output_expires_at)
        completion.metrics = metrics
        completion.outcome = outcome
        completion.duration_ms = int((time.perf_counter() - started) * 1000)
        return completion
    render = {
        "action_type": "render",
        "status": "completed",
        "started_at": now,
        "completed_at": now,
        "detail": {"skill": auto.skill, "mode": mode},
    }
    base = executor._completion(run, now, summary, text, [], [render])
    rendered.kept = (base.output_hash, base.output, base.output_expires_at)
    completion = executor._delivered(run, inputs, now, base, group.channel.name, outcomes, NO_NAMES)
    if completion.summary is not summary or completion.error_message:
        return sealed(completion, started, NO_NAMES)
    # its summary is scrubbed above, its metrics hold the executor's delivery counts
    completion = sealed(completion, started, NO_NAMES, scrubbed=True)
    if _all_sent(outcomes) and recordable_at_claim(completion):
        # its steps are folded into its metrics now; runs delivered alike share them
        group.steps[key] = (SharedDocument(completion.metrics), completion.outcome, outcomes)
    return completion


def _all_sent(outcomes: list[DeliveryOutcome]) -> bool:
    return all(o.status == "sent" and not o.resent_after_unknown for o in outcomes)
