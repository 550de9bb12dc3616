"""What a run's skill output comes to: its target rows, the render step, a skip, a deferral for
quiet hours, a test run's preview, the skill's actions, and then the delivery to its recipients
(for a retry, as its occurrence's first attempt resolved them)."""

from __future__ import annotations

from datetime import datetime

from models.store.completions import RunCompletion
from models.store.orgs import list_users
from models.store.run_history import frozen_targets
from models.store.run_queue import ClaimedRun
from skills.ats.demo import DemoAts
from skills.base import SkillOutput
from skills.scrub import Scrubber
from worker.run.actions import action_rows, aggregate_status, run_actions
from worker.run.completing import UNATTENDED, add_llm_metrics
from worker.run.copies import messages_of
from worker.run.delivering import Delivering
from worker.run.inputs import RunInputs, chain_depth_of, occurrence_key
from worker.run.recipients import first_team, quiet_until, resolve, wants_team

#: a system job skipped for these found nothing to do (see RunCompletion.idle)
IDLE_REASONS = frozenset({"nothing_due"})


class Finishing(Delivering):
    """The run from its skill's output on (mixed into Executor)."""

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
        add_llm_metrics(base, output)
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
                chain_depth=chain_depth_of(run.trigger_data) + 1,
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
        return self._deliver(run, inputs, now, base, messages_of(output, resolved), scrubber)

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
