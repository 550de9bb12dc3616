"""Changing a draft in words before it is confirmed ("make it 8am", "weekdays only", "also post
it in #hiring"): the same reading of changes as for an active automation, applied to the draft's
JSON, read back as a fresh draft that replaces the old one."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from assistant.language import Draft
from assistant.language.notes import dst_notes
from assistant.language.output_steps import adds_output
from assistant.language.place_words import Here
from assistant.language.step_edits import workflow_changes
from assistant.language.teammate_words import Teammate
from assistant.tools.drafts import spec_of
from models.clock import parse_instant
from models.errors import InvalidInput, NotFound
from models.store.conversations import add_draft, drop_pending_draft, get_draft
from models.store.orgs import list_users
from models.tables.automations import Automation
from models.tables.conversations import AutomationDraft
from skills.param_words import SpecsBySkill
from worker.schedule.parse import parse_schedule

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset


_UNDERSTOOD = "Here's what I understood:"


def _as_automation(actor: Actor, shown: dict[str, Any], request: str, now: datetime) -> Automation:
    spec = spec_of(shown, request, {})
    anchor = (shown.get("trigger") or {}).get("anchor")
    return Automation(
        org_id=actor.org_id,
        owner_id=actor.user_id,
        name=spec.name,
        skill=spec.skill,
        params=dict(spec.params),
        trigger_type=spec.trigger_type,
        cron_expression=spec.cron,
        rrule=spec.rrule,
        run_once_at=spec.once,
        schedule_anchor=parse_instant(anchor) if anchor else None,
        timezone=spec.timezone or "UTC",
        event_type=spec.event_type,
        event_filter=dict(spec.event_filter),
        poll_interval_minutes=spec.poll_interval_minutes,
        output_channel=spec.output_channel,
        output_config={"to": list(spec.to)},
        created_at=now,
        updated_at=now,
    )


def _read_back(
    shown: dict[str, Any],
    request: str,
    now: datetime,
    specs: SpecsBySkill,
    names: dict[str, str] | None = None,
) -> Draft:
    """The draft, with its next runs, notes and summary written again; `specs` say how its
    params read, `names` the teammates' names by address."""
    schedule, trigger, event = shown["schedule"], shown["trigger"], shown.get("event") or {}
    draft = Draft(
        request=request,
        tz=schedule["tz"],
        status="ok",
        trigger_type=trigger.get("type"),
        poll_interval_minutes=trigger.get("interval_minutes"),
        event_type=event.get("type"),
        event_filter=dict(event.get("filter") or {}),
        skill=shown["skill"],
        params=dict(shown["params"]),
        channel=shown["output"]["channel"],
        to=list(shown["output"]["to"]),
        also=[dict(o) for o in shown.get("also") or []],
        specs=specs,
        names=dict(names or {}),
        skip_holidays=bool(shown.get("skip_holidays")),
    )
    if draft.trigger_type == "cron":
        draft.schedule = parse_schedule(
            cron=schedule.get("cron"),
            rrule=schedule.get("rrule"),
            once=parse_instant(schedule["once"]) if schedule.get("once") else None,
            tz=draft.tz,
            anchor=parse_instant(trigger["anchor"]) if trigger.get("anchor") else None,
        )
    draft.next_runs = draft.fires(now, 3)
    if draft.trigger_type != "event" and not draft.next_runs:
        raise InvalidInput("With that change it would never run; say another time.")
    draft.notes.extend(dst_notes(draft, now))
    draft.write_summary()
    return draft


def edit_draft(
    tools: Toolset, actor: Actor, draft_id: int, text: str
) -> tuple[int, dict[str, Any]]:
    """Apply `text` to the pending draft; returns the new draft's id and JSON (its read-back
    under "summary"). The old draft
    is cancelled only once the new one is kept; unclear words change nothing."""
    now = tools.clock()
    row = get_draft(tools.engine, actor.org_id, draft_id)
    said_in = (row.origin or {}).get("slack_channel")
    shown = dict(row.draft)
    changes = workflow_changes(
        _as_automation(actor, shown, row.request, now),
        text,
        now,
        # "email it to sam too": a first name one user has is that user, as in a request
        [Teammate(u.name, u.email) for u in list_users(tools.engine, actor.org_id)],
        specs=tools.registry.specs(),
        job_titles=tools.job_titles(actor),
        # "post it here": where the request was said, as when it was first read
        here=Here.of(said_in, "slack" if said_in else "email"),
    )
    if "event_filter" in changes:
        changes.pop("name", None)  # the name that says the wait is made when it is activated
    if "name" in changes:  # "rename it to …": the automation is made with that name
        shown["name"] = changes["name"]
    schedule = dict(shown["schedule"])
    for key in ("cron", "rrule", "once"):
        if key in changes:
            was_rrule = schedule.get("rrule") is not None
            schedule.update(cron=None, rrule=None, once=None)
            value = changes[key]
            schedule[key] = value.isoformat() if isinstance(value, datetime) else value
            anchor = (shown.get("trigger") or {}).get("anchor") if was_rrule else None
            shown["trigger"] = {"type": "cron"}
            if "anchor" in changes:
                zone = ZoneInfo(schedule["tz"])
                shown["trigger"]["anchor"] = changes["anchor"].astimezone(zone).isoformat()
            elif key == "rrule" and anchor:  # a new time or days: its weeks count as before
                shown["trigger"]["anchor"] = anchor
            shown["event"] = None
    shown["schedule"] = schedule
    if ("output_channel" in changes or "to" in changes) and adds_output(text):
        # "also post it in #hiring": one more place, the places said before kept
        _add_output(
            shown,
            changes.get("output_channel", shown["output"]["channel"]),
            list(changes.get("to", shown["output"]["to"])),
        )
    elif "output_channel" in changes or "to" in changes:
        shown["output"] = {
            "channel": changes.get("output_channel", shown["output"]["channel"]),
            "to": changes.get("to", shown["output"]["to"]),
        }
        # another output through the channel now chosen is the same output
        also, shown["also"] = shown.get("also") or [], []
        for other in also:
            _add_output(shown, other["channel"], list(other["to"]))
    if "params" in changes:
        shown["params"] = changes["params"]
    if "event_filter" in changes and shown.get("event"):
        shown["event"] = {**shown["event"], "filter": changes["event_filter"]}
    return _replace(tools, actor, row, shown, f"{row.request} ({text})"[:2000])


def _add_output(shown: dict[str, Any], channel: str, to: list[str]) -> None:
    """One more place for the draft's output, as add_output does for a request's draft."""
    first = shown["output"]
    if channel == first["channel"]:
        shown["output"] = {**first, "to": list(dict.fromkeys([*first["to"], *to]))}
        return
    also = [dict(o) for o in shown.get("also") or []]
    for other in also:
        if other["channel"] == channel:
            other["to"] = list(dict.fromkeys([*other["to"], *to]))
            break
    else:
        also.append({"channel": channel, "to": to})
    shown["also"] = also


def restore_draft(
    tools: Toolset, actor: Actor, draft_id: int, previous_id: int
) -> tuple[int, dict[str, Any]]:
    """Put back the draft as it was before its last change: a new draft with the earlier one's
    schedule, action and output (its next runs counted from now) replaces `draft_id`."""
    row = get_draft(tools.engine, actor.org_id, draft_id)
    try:
        before = get_draft(tools.engine, actor.org_id, previous_id)
    except NotFound:
        raise InvalidInput(
            "The draft before that change is no longer kept; say the change you want instead."
        ) from None
    return _replace(tools, actor, row, dict(before.draft), before.request)


def _replace(
    tools: Toolset, actor: Actor, row: AutomationDraft, shown: dict[str, Any], request: str
) -> tuple[int, dict[str, Any]]:
    now = tools.clock()
    # a teammate it goes to reads back by name and address, as in the request's read-back
    places = [shown["output"], *(shown.get("also") or [])]
    users = {u.email.lower(): u.name for u in list_users(tools.engine, actor.org_id) if u.name}
    names = {t: users[t.lower()] for place in places for t in place["to"] if t.lower() in users}
    # the Slack channel the request was said in is "this channel", as in its first read-back
    said_in = (row.origin or {}).get("slack_channel")
    here = Here.of(said_in, "slack")
    if here.to == said_in and any(
        place["channel"] == "slack" and said_in in place["to"] for place in places
    ):
        names[said_in] = here.said
    # what activating it would refuse is noted, as for a new request
    # and the holidays it skips or runs on, as in the first read-back
    drafted = _read_back(shown, request, now, tools.registry.specs(), names)
    drafted = tools.holidays_checked(actor, request, drafted, now)
    fresh = tools.activation_checked(actor, drafted).as_json()
    if shown.get("name"):  # a name given while it waits is kept and read back
        fresh["name"] = shown["name"]
        fresh["summary"] = str(fresh["summary"]).replace(
            _UNDERSTOOD, f"{_UNDERSTOOD}\n- Name: {shown['name']}", 1
        )
    kept = add_draft(
        tools.engine,
        org_id=actor.org_id,
        user_id=actor.user_id,
        request=request,
        draft=fresh,
        origin=row.origin,
        now=now,
    )
    drop_pending_draft(tools.engine, row.id or 0)  # one confirmed meanwhile stays so
    return kept.id or 0, fresh
