"""Running a skill's planned workflow actions in order, each to its own result.

send_email goes through the email channel with a delivery row keyed by the action (so a retry or
a rescued run never sends it twice); create_task is keyed the same way in the ATS; update_field
sets a value, which is idempotent by nature. A stage change made by update_field is recorded as
the ATS's own moves are (activity and canonical events in the inbox), one link further down the
chain than the event that started the run, so automations chain and the chain-depth limit holds.
One failing action never stops the next.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from models.errors import DeliveryError, SkilltickError
from models.store.polls import move_demo_application
from skills.actions import ActionResult, PlannedAction
from worker.delivery.base import Channel, Message, Recipient
from worker.delivery.deliver import deliver

log = logging.getLogger(__name__)


def run_actions(
    engine: Engine,
    ats: Any,
    actions: list[PlannedAction],
    *,
    email: Callable[[], Channel],
    org_id: int,
    run_id: int,
    occurrence_key: str,
    now: datetime,
    chain_depth: int = 0,
) -> list[ActionResult]:
    """`chain_depth`: the depth of the events these actions cause (the triggering event's
    depth + 1)."""
    results = []
    for position, action in enumerate(actions):
        key = action.key or f"{occurrence_key}:action{position}"
        if action.error is not None:
            results.append(ActionResult(action, "failed", error=action.error))
            continue
        try:
            results.append(
                _run_one(
                    engine,
                    ats,
                    action,
                    key,
                    email=email,
                    org_id=org_id,
                    run_id=run_id,
                    now=now,
                    chain_depth=chain_depth,
                )
            )
        except SkilltickError as exc:
            results.append(ActionResult(action, "failed", error=exc.message))
        except Exception as exc:  # one broken action must not stop the others
            log.exception("action %s failed unexpectedly", action.action_type)
            results.append(ActionResult(action, "failed", error=f"unexpected {type(exc).__name__}"))
    return results


def _run_one(
    engine: Engine,
    ats: Any,
    action: PlannedAction,
    key: str,
    *,
    email: Callable[[], Channel],
    org_id: int,
    run_id: int,
    now: datetime,
    chain_depth: int,
) -> ActionResult:
    if action.action_type == "send_email":
        if not action.to_email:
            return ActionResult(action, "failed", error="no recipient address")
        channel = email()
        [outcome] = deliver(
            engine,
            channel,
            Message(subject=action.subject, text=action.text),
            [Recipient(action.to_email, action.to_name)],
            org_id=org_id,
            run_id=run_id,
            occurrence_key=key,
            now=now,
        )
        status = {"sent": "completed"}.get(outcome.status, outcome.status)
        return ActionResult(
            action,
            status,
            error=outcome.error,
            skipped_reason=outcome.skipped_reason,
            detail={"channel": channel.name},
        )
    if (
        action.action_type == "update_field"
        and action.entity == "application"
        and action.field_name == "stage"
        and action.entity_id is not None
    ):
        events = move_demo_application(
            engine,
            org_id=org_id,
            application_id=action.entity_id,
            stage=action.value or "",
            now=now,
            chain_depth=chain_depth,
        )
        return ActionResult(
            action,
            "skipped" if events is None else "completed",
            skipped_reason="already_set" if events is None else None,
            detail={} if events is None else {"event_ids": events},
        )
    if action.action_type == "update_field":
        previous = ats.update_field(
            action.entity, action.entity_id, action.field_name, action.value
        )
        # field names and allowed values (stage, priority) are not PII; free text is not kept
        changed = previous != action.value
        return ActionResult(
            action,
            "completed" if changed else "skipped",
            skipped_reason=None if changed else "already_set",
        )
    if action.action_type == "create_task":
        task_id, created = ats.create_task(
            title=action.title,
            due_at=action.due_at or now,
            now=now,
            owner_id=action.owner_id,
            candidate_id=action.candidate_id,
            application_id=action.application_id,
            source_key=key[:120],
        )
        return ActionResult(
            action,
            "completed" if created else "skipped",
            skipped_reason=None if created else "already_created",
            detail={"task_id": task_id},
        )
    raise DeliveryError(f"unknown action type {action.action_type}", retryable=False)


def action_rows(results: list[ActionResult], now: datetime) -> list[dict[str, Any]]:
    """run_actions rows: PII-free (ids, field names, roles, statuses)."""
    return [
        {
            "action_type": r.action.action_type,
            "status": r.status,
            "error": r.error,
            "skipped_reason": r.skipped_reason,
            "started_at": now,
            "completed_at": now,
            "detail": {**r.action.detail, **r.detail},
        }
        for r in results
    ]


def aggregate_status(results: list[ActionResult]) -> str:
    failed = sum(r.status == "failed" for r in results)
    if not failed:
        return "completed"
    return "failed" if failed == len(results) else "partial"
