"""Telling owners that an automation failed, was paused or resumed by itself, where they set it up: in the Slack
thread (with Retry and Pause/Resume buttons) when the automation came from Slack, else by email.
At most one message per automation an hour (settings.failure_notice_interval_minutes); notices
that wait are sent together as a digest with the next one. A pause after failures is told at
once, whatever the hour: an earlier message said it would run again, and now it will not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from models.errors import DeliveryError, NotFound
from models.settings import CoreSettings
from models.store.automations import get_automation
from models.store.notices import mark_notices_sent, unsent_notices
from models.store.orgs import get_user
from models.store.run_history import list_runs
from models.tables.automations import Automation
from models.tables.orgs import User
from models.tables.runs import Notice
from worker.delivery.base import Action, Channel, Message, Recipient
from worker.delivery.deliver import DeliveryOutcome, deliver
from worker.run.completing import RUNS_AGAIN


def notice_actions(
    automation_id: int, *, paused: bool, failed_run_id: int | None
) -> tuple[Action, ...]:
    """What the owner may do about a notice: Retry (the failed run) and Pause or Resume. The
    assistant's Slack app handles these action ids."""
    actions: list[Action] = []
    if failed_run_id is not None:
        actions.append(Action("notice_retry", "Retry", str(failed_run_id), primary=True))
    action, label = ("notice_resume", "Resume") if paused else ("notice_pause", "Pause")
    actions.append(Action(action, label, str(automation_id)))
    return tuple(actions)


def notice_group(automation_id: int) -> str:
    """One automation's notice buttons act as one group (a Slack block id)."""
    return f"notice_{automation_id}"


def send_due_notices(
    engine: Engine, settings: CoreSettings, channels: Callable[[str], Channel], now: datetime
) -> int:
    """Send what is due; returns the number of messages sent."""
    interval = timedelta(minutes=settings.failure_notice_interval_minutes)
    sent = 0
    for automation_id, notices in unsent_notices(engine).items():
        try:
            auto = get_automation(engine, notices[0].org_id, automation_id)
            owner = get_user(engine, auto.owner_id)
        except NotFound:
            continue
        last = auto.last_failure_notice_at
        paused = notices[-1].kind == "paused"
        if last is not None and now - last < interval and not paused:
            continue  # wait: these go out together with the next allowed message
        outcomes = _send(engine, channels, auto, owner, notices, now)
        if outcomes and all(o.status != "failed" for o in outcomes):
            mark_notices_sent(engine, automation_id, [n.id or 0 for n in notices], now)
            sent += 1
    return sent


def _compose(auto: Automation, notices: list[Notice]) -> tuple[str, str, bool]:
    # the latest notice says what state the automation is in now (the button offered follows it)
    latest = notices[-1].kind
    paused = latest == "paused"
    subject = {"paused": "Paused", "resumed": "Resumed", "skipped": "Skipped"}.get(
        latest, "Automation failed"
    )
    subject = f"{subject}: {auto.name}"
    lines = [notices[-1].text]
    if len(notices) > 1:
        lines.append("")
        lines.append(f"Earlier since my last message ({len(notices) - 1} more):")
        for n in notices[:-1]:
            # under a pause, an earlier failure's "it will run again" is no longer true
            text = n.text.replace(RUNS_AGAIN, "") if paused else n.text
            lines.append(f"- {n.created_at:%Y-%m-%d %H:%M} UTC: {text}")
    return subject, "\n".join(lines), paused


def _send(
    engine: Engine,
    channels: Callable[[str], Channel],
    auto: Automation,
    owner: User,
    notices: list[Notice],
    now: datetime,
) -> list[DeliveryOutcome]:
    subject, text, paused = _compose(auto, notices)
    key = f"notice:{notices[0].id}-{notices[-1].id}"
    origin = auto.origin or {}
    if origin.get("channel") == "slack" and origin.get("slack_channel"):
        try:
            slack = channels("slack")
        except DeliveryError:
            slack = None  # Slack is not set up here (any more): fall back to email
        if slack is not None:
            failed = _last_failed_run(engine, auto)
            message = Message(
                subject=subject,
                text=text,
                thread=origin.get("thread_ts"),
                actions=notice_actions(auto.id or 0, paused=paused, failed_run_id=failed),
                group=notice_group(auto.id or 0),
            )
            outcomes = deliver(
                engine,
                slack,
                message,
                [Recipient(address=str(origin["slack_channel"]))],
                occurrence_key=key,
                org_id=auto.org_id,
                run_id=None,
                now=now,
            )
            if all(o.status != "failed" for o in outcomes) or any(o.retryable for o in outcomes):
                return outcomes
    channel_name = str(origin.get("channel") or "email")
    if channel_name == "slack":
        channel_name = "email"
    try:
        channel = channels(channel_name)
    except DeliveryError:
        channel = channels("email")
    return deliver(
        engine,
        channel,
        Message(subject=subject, text=text),
        [Recipient(address=owner.email, name=owner.name)],
        occurrence_key=f"{key}:{channel.name}",
        org_id=auto.org_id,
        run_id=None,
        now=now,
    )


def _last_failed_run(engine: Engine, auto: Automation) -> int | None:
    for run in list_runs(engine, auto.org_id, automation_id=auto.id, limit=10):
        if run.status == "failed":
            return run.id
    return None
