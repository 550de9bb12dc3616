"""Audit entries as the tool set writes them, and in words as every interface shows them.

An entry names what changed by field. Old and new values are kept only for the fields that say
when and how an automation runs (schedule, time zone, state, channel, policies, skill); for its
name, description, params and filter it records that they changed, and for its recipients how
many there were before and after: never message text, candidate data or anyone's address. A
generated name (made of the skill and the schedule) that followed a change keeps both names."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from assistant.language.draft import EVENT_WORDS, skill_title
from assistant.tools.base import Actor
from assistant.tools.naming import when_from_cron
from models.clock import local_time
from models.skip_list import read_skips
from models.tables.audit import AuditEntry
from models.tables.automations import Automation

#: fields whose old and new values an entry keeps, and how they read
SHOWN = {
    "cron_expression": "schedule",
    "rrule": "schedule",
    "run_once_at": "one-off time",
    "schedule_anchor": "schedule start",
    "timezone": "time zone",
    "poll_interval_minutes": "poll interval (minutes)",
    "event_type": "event",
    "enabled": "enabled",
    "status": "status",
    "paused_until": "paused until",
    "output_channel": "channel",
    "misfire_policy": "missed-run policy",
    "overlap_policy": "overlap policy",
    "skip_holidays": "skips holidays",
    "skill": "skill",
    "trigger_type": "trigger",
}
#: fields an entry says changed, without their values
NAMED = {
    "name": "name",
    "description": "description",
    "params": "settings",
    "event_filter": "filter",
}
#: an automation's output channel by name, and how a new automation sends by it
CHANNEL_NAMES = {"email": "email", "slack": "Slack", "webhook": "webhook", "in_app": "Inbox"}
SENT = {"email": "by email", "slack": "in Slack", "webhook": "by webhook", "in_app": "to the Inbox"}
#: bookkeeping a change carries along, never an actor's change
UNRECORDED = {"updated_at", "next_run_at", "consecutive_failures", "paused_reason", "origin"}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _count(config: dict[str, Any] | None) -> int:
    return len((config or {}).get("to") or ["me"])


def field_changes(before: Automation, applied: dict[str, Any]) -> dict[str, Any]:
    """What `applied` (column -> new value) changes on `before`, by field name."""
    changes: dict[str, Any] = {}
    for column, new in applied.items():
        old = getattr(before, column, None)
        if column in UNRECORDED or _plain(old) == _plain(new):
            continue
        if column in SHOWN:
            changes[column] = {"old": _plain(old), "new": _plain(new)}
        elif column == "skips":
            changes[column] = skip_changes(old, new)
        elif column == "owner_id":  # ids, not addresses: the log outlives the users
            changes[column] = {"old": old, "new": new}
        elif column == "output_config":
            if _count(old) != _count(new) or old != new:
                changes["recipients"] = {"old": _count(old), "new": _count(new)}
        elif (
            column in ("params", "event_filter")
            and isinstance(old or {}, dict)
            and isinstance(new, dict)
        ):
            changes[column] = {"changed": True, "keys": _keys_changed(old or {}, new)}
        else:
            changes[column] = {"changed": True}
    return changes


def skip_changes(old: str | None, new: str | None) -> dict[str, list[str]]:
    """The runs a change to the stored skips (models.skip_list) added and removed."""
    before, after = set(read_skips(old)), set(read_skips(new))
    return {
        "added": [t.isoformat() for t in sorted(after - before)],
        "removed": [t.isoformat() for t in sorted(before - after)],
    }


def _skips_words(change: dict[str, Any], tz: str | None) -> str:
    """ "skips the runs of Mon 14 Dec 2026 09:00 EST; no longer skips …"."""
    said = []
    for key, words in (("added", "skips the run"), ("removed", "no longer skips the run")):
        runs = [_instant(t, tz) for t in change.get(key) or []]
        if runs:
            said.append(f"{words}{'s' if len(runs) > 1 else ''} of {', '.join(runs)}")
    return "; ".join(said)


def _keys_changed(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Which settings changed, by name; for numbers and yes/no values also from what to what
    (never a text: a message, a stage or a job may say more than an audit log should)."""
    keys: dict[str, Any] = {}
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        plain = all(isinstance(v, int | float | bool) or v is None for v in (before, after))
        keys[key] = {"old": before, "new": after} if plain else {}
    return keys


def edit_action(changes: dict[str, Any]) -> str:
    return "recipients" if set(changes) == {"recipients"} else "edit"


def automation_entry(
    actor: Actor | None,
    action: str,
    auto: Automation,
    now: datetime,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """An entry about `auto` by `actor` (None: the service itself)."""
    return AuditEntry(
        org_id=auto.org_id,
        actor_user_id=actor.user_id if actor is not None else None,
        action=action,
        automation_id=auto.id,
        owner_user_id=auto.owner_id,
        at=now,
        changes=changes or {},
    )


def created(auto: Automation) -> dict[str, Any]:
    """A new automation's shown fields (those set), as changes from nothing."""
    return {
        column: {"old": None, "new": _plain(getattr(auto, column))}
        for column in SHOWN
        if getattr(auto, column, None) not in (None, "")
        and column not in ("status",)
        and (column != "skip_holidays" or auto.skip_holidays)  # said only when it does
    }


def org_entry(actor: Actor, action: str, now: datetime, **changes: Any) -> AuditEntry:
    """An entry about the organisation's tokens, users or invitations."""
    return AuditEntry(
        org_id=actor.org_id, actor_user_id=actor.user_id, action=action, at=now, changes=changes
    )


# --- in words --------------------------------------------------------------------------------


def _value(column: str, value: Any, tz: str | None = None) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if column in ("run_once_at", "paused_until", "schedule_anchor") and isinstance(value, str):
        return _instant(value, tz)
    # said as the automation's name says them ("weekdays 8:00", "Pipeline report"); the
    # stored change keeps the codes for programs
    if column == "cron_expression" and isinstance(value, str):
        return when_from_cron(value) or value
    if column == "skill" and isinstance(value, str):
        title = skill_title(value)  # "Stale candidate SLA", said mid-sentence
        return title if title[1:2].isupper() else title[:1].lower() + title[1:]
    if column == "event_type" and isinstance(value, str):
        return EVENT_WORDS.get(value, value)
    if column == "output_channel" and isinstance(value, str):
        return CHANNEL_NAMES.get(value, value.replace("_", " "))
    return str(value)


def _instant(value: str, tz: str | None) -> str:
    """A stored ISO instant as the reader reads times: "Fri 04 Dec 2026 09:00 GMT" in their
    zone, else in UTC."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return local_time(moment, tz)  # a zone no longer known reads in UTC


def _keys_words(change: Any) -> str:
    """ " (business days 5 → 3; stage)": the settings an entry says changed."""
    keys = change.get("keys") if isinstance(change, dict) else None
    if not isinstance(keys, dict) or not keys:
        return ""
    said = [
        f"{key.replace('_', ' ')} {_value(key, value['old'])} → {_value(key, value['new'])}"
        if isinstance(value, dict) and "new" in value
        else key.replace("_", " ")
        for key, value in keys.items()
    ]
    return " (" + "; ".join(said) + ")"


def _fields(changes: dict[str, Any], tz: str | None = None) -> str:
    parts: list[str] = []
    for key, change in changes.items():
        if key == "status" and "enabled" in changes:
            continue  # the run state a pause or resume moves along with it
        if key == "enabled" and isinstance(change, dict):
            old, new = ("active" if change.get(k) else "paused" for k in ("old", "new"))
            parts.append(f"{old} → {new}")
        elif key in SHOWN and isinstance(change, dict):
            parts.append(
                f"{SHOWN[key]} {_value(key, change.get('old'), tz)} → "
                f"{_value(key, change.get('new'), tz)}"
            )
        elif key == "name" and isinstance(change, dict) and "new" in change:
            parts.append(f"name “{change.get('old')}” → “{change.get('new')}”")
        elif key == "recipients" and isinstance(change, dict):
            parts.append(f"recipients {change.get('old')} → {change.get('new')}")
        elif key == "skips" and isinstance(change, dict):
            parts.append(_skips_words(change, tz))
        elif key == "owner_id" and isinstance(change, dict):
            parts.append(f"owner user #{change.get('old')} → user #{change.get('new')}")
        elif key in NAMED:
            parts.append(f"{NAMED[key]} changed" + _keys_words(change))
    return "; ".join(parts)


def in_words(entry: AuditEntry, user_names: dict[int, str], tz: str | None = None) -> str:
    """What the entry records, after its actor's name: "paused #3", "changed #3: schedule …";
    instants in `tz` (the reader's zone), else UTC."""
    c = entry.changes or {}
    auto = f"#{entry.automation_id}" if entry.automation_id else ""
    person = user_names.get(int(c.get("user_id") or 0), f"user #{c.get('user_id')}")
    role = c.get("role")
    match entry.action:
        case "create":
            made = [
                ("when " if k == "event_type" else "") + _value(k, (c.get(k) or {}).get("new"))
                for k in ("skill", "cron_expression", "rrule", "run_once_at", "event_type")
                if k in c
            ]
            channel = (c.get("output_channel") or {}).get("new")
            made += [SENT.get(channel, f"by {channel}")] if channel else []
            return f"created {auto}" + (f" ({', '.join(made)})" if made else "")
        case "edit" | "skip" | "unskip":  # a skip's entry says which runs, as an edit's does
            return f"changed {auto}" + (f": {_fields(c, tz)}" if c else "")
        case "recipients":
            return f"changed the recipients of {auto}: {_fields(c, tz)}"
        case "undo":
            return f"took back the last change to {auto}" + (f": {_fields(c, tz)}" if c else "")
        case "pause" if entry.actor_user_id is None:
            return f"paused {auto} after {c.get('failed_in_a_row', 'several')} failed runs in a row"
        case "pause":
            until = (c.get("paused_until") or {}).get("new")
            return f"paused {auto}" + (
                f" until {_value('paused_until', until, tz)}" if until else ""
            )
        case "resume" if c.get("pause_ended"):
            return f"resumed {auto} when its pause ended"
        case "resume":
            return f"resumed {auto}"
        case "delete":
            return f"deleted {auto}" + (f" ({c['skill']})" if c.get("skill") else "")
        case "run_now":
            return f"ran {auto} now (run #{c.get('run_id')})"
        case "retry":
            return f"retried run #{c.get('retry_of')} of {auto} (run #{c.get('run_id')})"
        case "token_create" | "token_revoke":
            return _token_words(entry.action, c, person, user_names)
        case "user_add":
            return f"added {person} as {role}"
        case "user_role" if isinstance(role, dict):
            return f"made {person} {role.get('new')} (was {role.get('old')})"
        case "user_remove":
            moved = c.get("automations_moved", 0)
            heir = f" to user #{c['heir_id']}" if c.get("heir_id") else ""
            return f"removed user #{c.get('user_id')} ({moved} automations moved{heir})"
        case "invite":
            return f"invited someone as {role} (invitation #{c.get('invitation_id')})"
        case "invite_revoke":
            return f"revoked invitation #{c.get('invitation_id')}"
        case "invite_accept":
            return f"joined as {role} (invitation #{c.get('invitation_id')})"
    return _service_words(entry.action, c, auto, person) or f"{entry.action} {auto}".strip()


def _token_words(action: str, c: dict[str, Any], person: str, user_names: dict[int, str]) -> str:
    if action == "token_create":
        return f"created API token #{c.get('token_id')}"
    if not c.get("made_by"):
        return f"revoked API token #{c.get('token_id')}"
    # revoked with its maker's admin role: the maker may have kept a copy
    maker = user_names.get(int(c["made_by"]), f"user #{c['made_by']}")
    return f"revoked API token #{c.get('token_id')} of {person}, made by {maker}: {c.get('why')}"


def _service_words(action: str, c: dict[str, Any], auto: str, person: str) -> str | None:
    """Entries about an automation's tests and history, and the organisation's plan,
    holidays, sequence enrolments, ATS and Slack, in words."""
    match action:
        case "test":
            return f"test-ran {auto}, sending nothing (run #{c.get('run_id')})"
        case "preview":
            return f"previewed {c.get('skill')} once for themselves, sending nothing"
        case "history_clear":
            return f"cleared the run history of {auto} ({c.get('runs_removed', 0)} runs removed)"
        case "plan" if isinstance(c.get("plan"), dict):
            return f"changed the plan from {c['plan'].get('old')} to {c['plan'].get('new')}"
        case "org_create":
            return f"created the organisation on the {c.get('plan')} plan, with {person} as admin"
        case "operator" if isinstance(c.get("operator"), dict):
            made = "an operator of" if c["operator"].get("new") else "no longer an operator of"
            return f"made {person} {made} the service (its whole status and metrics)"
    return _connection_words(action, c)


def _connection_words(action: str, c: dict[str, Any]) -> str | None:
    """Entries about the organisation's ATS and Slack connections, holidays and sequence
    enrolments, in words."""
    match action:
        case "ats_connect" if c.get("reconnected"):
            return f"reconnected the {c.get('provider')} ATS (new key or address)"
        case "ats_connect":
            return f"connected the {c.get('provider')} ATS"
        case "ats_disconnect":
            return f"disconnected the {c.get('provider')} ATS"
        case "slack_install":
            return f"connected Slack workspace {c.get('team_id')}"
        case "slack_uninstall":
            return f"Slack workspace {c.get('team_id')} removed the skilltick app"
        case "holiday_add":
            return f"added the holiday {c.get('day')}"
        case "holiday_remove":
            return f"removed the holiday {c.get('day')}"
        case "enrol":
            return (
                f"enrolled candidate #{c.get('candidate_id')} in sequence #{c.get('sequence_id')}"
            )
        case "unenrol":
            return (
                f"took candidate #{c.get('candidate_id')} out of sequence #{c.get('sequence_id')}"
            )
    return None
