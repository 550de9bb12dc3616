"""Telling owners that an automation failed or was paused: at most one message per automation
an hour (settings.failure_notice_interval_minutes); notices that wait are sent together as a
digest with the next one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from models import records
from models.errors import NotFound
from models.settings import Settings
from worker.delivery import Channel, Message, Recipient, deliver


def send_due_notices(
    engine: Engine, settings: Settings, channels: Callable[[str], Channel], now: datetime
) -> int:
    """Send what is due; returns the number of messages sent."""
    interval = timedelta(minutes=settings.failure_notice_interval_minutes)
    sent = 0
    for automation_id, notices in records.unsent_notices(engine).items():
        try:
            auto = records.get_automation(engine, notices[0].org_id, automation_id)
            owner = records.get_user(engine, auto.owner_id)
        except NotFound:
            continue
        last = auto.last_failure_notice_at
        if last is not None and now - last < interval:
            continue  # wait: these go out together with the next allowed message
        channel_name = str(auto.origin.get("channel") or "email")
        try:
            channel = channels(channel_name)
        except Exception:
            channel = channels("email")
        paused = any(n.kind == "paused" for n in notices)
        subject = (
            f"Paused: {auto.name}" if paused else f"Automation failed: {auto.name}"
        )
        lines = [notices[-1].text]
        if len(notices) > 1:
            lines.append("")
            lines.append(f"Earlier since my last message ({len(notices) - 1} more):")
            lines.extend(f"- {n.created_at:%Y-%m-%d %H:%M} UTC: {n.text}" for n in notices[:-1])
        text = "\n".join(lines)
        key = f"notice:{notices[0].id}-{notices[-1].id}"
        outcomes = deliver(
            engine, channel, Message(subject=subject, text=text),
            [Recipient(address=owner.email, name=owner.name)],
            org_id=auto.org_id, run_id=None, occurrence_key=key, now=now,
        )
        if all(o.status != "failed" for o in outcomes):
            records.mark_notices_sent(engine, automation_id, [n.id or 0 for n in notices], now)
            sent += 1
    return sent
