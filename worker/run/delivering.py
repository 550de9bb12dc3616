"""Delivering a run's message to its recipients through its channel, and what the outcomes leave
of the run: the recipients' rows, the delivery step and its status, retry or failure; and the
deferral of a run for quiet hours."""

from __future__ import annotations

from datetime import datetime

from models.errors import DeliveryError
from models.store.completions import RunCompletion
from models.store.run_history import DEFERRED
from models.store.run_queue import ClaimedRun
from skills.scrub import Scrubber
from worker.delivery.base import Message, Recipient
from worker.delivery.deliver import DeliveryOutcome, deliver
from worker.run.completing import UNATTENDED, Completing, backoff
from worker.run.inputs import ChannelFactory, RunInputs, occurrence_key
from worker.run.recipients import recipient_ref


class Delivering(Completing):
    """Delivery and deferral (mixed into Executor)."""

    channels: ChannelFactory

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
        messages: list[tuple[Message, list[Recipient]]],
        scrubber: Scrubber,
    ) -> RunCompletion:
        """Each message to its recipients (worker.run.copies), their outcomes in that order."""
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
        outcomes = [
            outcome
            for message, recipients in messages
            for outcome in deliver(
                self.engine,
                channel,
                message,
                recipients,
                org_id=auto.org_id,
                run_id=run.run_id,
                occurrence_key=occurrence_key(run),
                now=now,
            )
        ]
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
