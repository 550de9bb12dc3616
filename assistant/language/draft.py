"""A draft automation: what was understood from a request, as the JSON every interface shows
(`skilltick understand --json`, Slack, MCP, REST), its summary in plain English, and the spec
that creates it once confirmed."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from assistant.language.action_words import action_words, briefing_window_words
from assistant.language.holiday_words import holiday_lines
from models.clock import local_time
from skills.param_words import (
    SpecsBySkill,
    action_in_words,
    join_words,
    template_in_words,
)
from skills.windows import LOOKAHEAD_DAYS, lookahead_end, until_next_run
from worker.schedule.describe import describe
from worker.schedule.parse import Schedule, next_fires

# cron-descriptor takes milliseconds per expression; recruiters reuse a few hundred schedules
_describe = lru_cache(maxsize=4096)(describe)

EVENT_WORDS = {
    "candidate.created": "a candidate is added",
    "application.created": "someone applies",
    "candidate.stage_changed": "a candidate changes stage",
    "interview.scheduled": "an interview is scheduled",
    "interview.rescheduled": "an interview is rescheduled",
    "interview.cancelled": "an interview is cancelled",
    "interview.completed": "an interview is completed",
    "offer.created": "an offer is made",
    "offer.accepted": "an offer is accepted",
    "candidate.replied": "a candidate replies",
    "candidate.withdrawn": "a candidate withdraws",
    "candidate.hired": "a candidate is hired",
    "candidate.rejected": "a candidate is rejected",
}


_TEAM = "your team (everyone in your organisation, as of each run)"


@dataclass
class Draft:
    """The understanding of one request. status "question" means nothing may be created."""

    request: str
    tz: str
    status: str = "question"
    question: str | None = None
    trigger_type: str | None = None  # cron | event | poll
    schedule: Schedule | None = None
    poll_interval_minutes: int | None = None
    event_type: str | None = None
    event_filter: dict[str, Any] = field(default_factory=dict)
    skill: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    channel: str = "email"
    to: list[str] = field(default_factory=lambda: ["me"])
    names: dict[str, str] = field(default_factory=dict)  # teammates in `to`, by address
    next_runs: list[datetime] = field(default_factory=list)
    # how the skills' params read in the summary (SkillRegistry.specs() of the caller)
    specs: SpecsBySkill = field(default_factory=dict, repr=False, compare=False)
    notes: list[str] = field(default_factory=list)
    defaults: list[str] = field(default_factory=list)
    # more outputs through other channels: one more automation each, the same in all else,
    # made with it when it is confirmed ({"channel": ..., "to": [...]})
    also: list[dict[str, Any]] = field(default_factory=list)
    plan_refuses: bool = False  # a plan limit would refuse it: do not offer to confirm
    channel_refuses: bool = False  # its output channel cannot deliver here: same
    actor_refuses: bool = False  # the requester may not have it (a system job's reach): same
    # it skips the organisation's holidays; holiday_days: the local dates of its runs in the
    # next 90 days on those holidays (None until the tool set has read the calendar)
    skip_holidays: bool = False
    holiday_days: list[date] | None = None
    summary: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def trigger_words(self) -> str:
        if self.trigger_type == "poll":
            return f"Checks {interval_words(self.poll_interval_minutes or 0)} ({self.tz})"
        if self.trigger_type == "event":
            return event_words(self.event_type or "", self.event_filter)
        return _describe(self.schedule) if self.schedule else "No schedule"

    def output_words(self) -> str:
        return output_words(self.channel, self.to, names=self.names)

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(ZoneInfo(self.tz))

    def _first_run_clock(self) -> tuple[int, int] | None:
        """The hour and minute of the first run on the automation's clock, when there is one."""
        if not self.next_runs:
            return None
        first = self.local(self.next_runs[0])
        return first.hour, first.minute

    def as_json(self) -> dict[str, Any]:
        """The stable JSON shape: other programs read it."""
        trigger: dict[str, Any] = {"type": None}
        if self.ok:
            trigger = {"type": self.trigger_type}
            if self.trigger_type == "poll":
                trigger["interval_minutes"] = self.poll_interval_minutes
            if self.trigger_type == "event":
                trigger["event_type"] = self.event_type
            if self.schedule is not None and self.schedule.anchor is not None:
                trigger["anchor"] = self.local(self.schedule.anchor).isoformat()
        schedule = self.schedule
        return (
            {
                "status": self.status,
                "question": self.question,
                "trigger": trigger,
                "schedule": {
                    "cron": schedule.expression if schedule and schedule.kind == "cron" else None,
                    "rrule": schedule.expression if schedule and schedule.kind == "rrule" else None,
                    "once": self.local(schedule.once_at).isoformat()
                    if schedule and schedule.once_at
                    else None,
                    "tz": self.tz,
                },
                "event": {"type": self.event_type, "filter": dict(self.event_filter)}
                if self.event_type and self.ok
                else None,
                "skill": self.skill if self.ok else "",
                "params": dict(self.params) if self.ok else {},
                "output": {
                    "channel": self.channel if self.ok else None,
                    "to": list(self.to) if self.ok else [],
                },
                "next_runs": [self.local(t).isoformat() for t in self.next_runs],
                # false when the plan or the output channel would refuse it as it is
                "can_activate": self.ok
                and not (self.plan_refuses or self.channel_refuses or self.actor_refuses),
                "summary": self.summary,
            }
            | ({"also": [dict(o) for o in self.also]} if self.ok and self.also else {})
            | ({"skip_holidays": True} if self.ok and self.skip_holidays else {})
        )

    def fires(self, after: datetime, count: int) -> list[datetime]:
        """The next `count` fire times after `after` (polls: every interval from `after`)."""
        if self.trigger_type == "poll" and self.poll_interval_minutes:
            step = timedelta(minutes=self.poll_interval_minutes)
            return [after + step * (i + 1) for i in range(count)]
        if self.schedule is None:
            return []
        return next_fires(self.schedule, after, count)

    def name(self) -> str:
        """A short name the owner recognises in listings."""
        if self.trigger_type == "event":
            return event_name(self.skill, self.event_type or "", self.event_filter)
        base = skill_title(self.skill)
        words = self.trigger_words()
        return f"{base}: {words[0].lower()}{words[1:]}"[:200]

    def write_summary(self) -> None:
        if not self.ok:
            self.summary = self.question or ""
            return
        label: str | None = None
        shown = dict(self.params)
        if self.skill == "interview-briefing" and self.trigger_type == "cron":
            # on a schedule a briefing covers the interviews of a window: say it in words
            lead = shown.pop("lead_minutes", None)
            label = (
                briefing_until_next(
                    [self.next_runs[0], *self.fires(self.next_runs[0], _GAPS)], self.tz
                )
                if lead is None and self.next_runs
                else "briefings on your interviews "
                + briefing_window_words(int(lead or 0), self._first_run_clock())
            ) + " (interview-briefing)"
        lines = ["Here's what I understood:", f"- Trigger: {self.trigger_words()}"]
        steps = workflow_step_words(self.params) if self.skill == "workflow" else []
        if steps:
            # each step says whom it reaches: a workflow has no output of its own
            lines.extend(f"- Step {n}: {step}" for n, step in enumerate(steps, start=1))
        else:
            lines.append(
                f"- Action: {action_words(self.skill, shown, label=label, specs=self.specs)}"
            )
        if not steps or self.channel != "noop":
            lines.append(f"- Output: {self.output_words()}")
        lines.extend(
            f"- Also: {output_words(o['channel'], o['to'], names=self.names)} (one more "
            "automation, the same but for where it goes)"
            for o in self.also
        )
        holidays, holiday_notes = holiday_lines(self.skip_holidays, self.holiday_days)
        lines.extend(holidays)
        if self.next_runs:
            lines.append("Next runs: " + "; ".join(local_time(t, self.tz) for t in self.next_runs))
        lines.extend(f"I assumed {d}." for d in self.defaults)
        lines.extend(f"Note: {n}" for n in [*self.notes, *holiday_notes])
        if self.plan_refuses:
            lines.append("The plan would refuse it as it is: change it first (or ask an admin).")
        elif self.channel_refuses:
            lines.append("It cannot be activated as it is: choose another output first.")
        elif self.actor_refuses:
            lines.append(
                "It cannot be activated as it is for you: change it first (or ask an admin)."
            )
        elif self.also:
            count = len(self.also) + 1
            lines.append(f"Confirm to activate {'both' if count == 2 else f'all {count}'}?")
        else:
            lines.append("Confirm to activate?")
        self.summary = "\n".join(lines)


def workflow_step_words(params: dict[str, Any]) -> list[str]:
    """A workflow's actions as its read-back says them, one each: "Email the job's hiring
    manager “Offer for the candidate's name”, saying “…”"."""
    actions = params.get("actions")
    if not isinstance(actions, list):
        return []
    said = []
    for action in actions:
        if not isinstance(action, dict):
            continue
        words = action_in_words(action)
        body = action.get("body")
        if action.get("type") == "send_email" and body and body != action.get("subject"):
            words += f", saying “{template_in_words(body)}”"
        said.append(words[:1].upper() + words[1:])
    return said


#: the gaps between runs a read-back looks at, for a briefing that covers each one
_GAPS = 12
#: who a `to` list names by role ("me", "owner" and the roles a skill fills), in words
RECIPIENT_WORDS = {
    "me": "you",
    "owner": "you",
    "candidate": "the candidate",
    "interviewer": "the interviewer",
    "hiring_manager": "the job's hiring manager",
    "team": _TEAM,
}


def output_words(
    channel: str, to: list[str], owner: str | None = None, names: dict[str, str] | None = None
) -> str:
    """Where an automation's output goes, in words: "email to you and the #hiring channel";
    `owner`: who "me" is when someone else reads it (else "you"); `names`: teammates' names
    by address ("Sam Sourcer (sam@acme.com)")."""
    names = names or {}
    joined = " and ".join(
        owner
        if owner and t.lower() in ("me", "owner")
        else f"{names[t]} ({t})"
        if t in names
        else recipient_words(t)
        for t in to
    )
    return {
        "email": f"email to {joined}",
        "slack": f"Slack message to {joined}",
        "webhook": f"POST to {joined}",
        "in_app": "in-app notification",
        "noop": "no message of its own",
    }.get(channel, f"{channel} to {joined}")


def recipient_words(entry: str) -> str:
    """One entry of a `to` list in words: a role ("the job's hiring manager"), a Slack channel
    ("the #hiring channel"), else the address as given."""
    if entry.startswith("#"):
        return f"the {entry} channel"
    return RECIPIENT_WORDS.get(entry.lower(), entry)


def briefing_until_next(fires: list[datetime], tz: str) -> str:
    """The window of an interview briefing on a schedule that covers the interviews until its
    next run, in words; `fires`: its first runs (one alone: a run no other follows)."""
    if len(fires) < 2:
        return "a briefing on your interviews of the 24 hours after it runs"
    zone = ZoneInfo(tz)
    first, end = fires[0], until_next_run(fires[0], fires[1], tz)
    words = (
        f"briefings on your interviews from each run until the next one (the first from "
        f"{first.astimezone(zone):%a %d %b %H:%M} to {end.astimezone(zone):%a %d %b %H:%M})"
    )
    if any(b > lookahead_end(a, tz) for a, b in itertools.pairwise(fires)):
        words += (
            f", each looking at most {LOOKAHEAD_DAYS} days ahead: the interviews later in a "
            "longer gap between runs are not briefed"
        )
    return words


def interval_words(minutes: int) -> str:
    """A repeat interval in its largest whole unit: 120 -> "every 2 hours", 90 -> "every 90
    minutes", 1440 -> "every day", 60 -> "every hour"."""
    for size, unit in ((1440, "day"), (60, "hour"), (1, "minute")):
        if minutes >= size and minutes % size == 0:
            count = minutes // size
            return f"every {unit}" if count == 1 else f"every {count} {unit}s"
    return f"every {minutes} minutes"


def event_name(skill: str, event_type: str, filters: dict[str, Any]) -> str:
    """The name an event automation is given: "Candidate note: 2 days after a candidate is
    rejected"."""
    words = event_words(event_type, filters)
    return f"{skill_title(skill)}: {words[0].lower()}{words[1:]}"[:200]


#: words of skill names that are acronyms, as they are written
_ACRONYMS = {"sla": "SLA", "ats": "ATS", "hr": "HR", "cv": "CV", "llm": "LLM", "api": "API"}


def skill_title(skill: str) -> str:
    """A skill's name as the start of an automation's name: "stale-candidate-sla" -> "Stale
    candidate SLA" (acronyms keep their case)."""
    words = skill.replace("_", "-").split("-")
    said = [_ACRONYMS.get(w.lower(), w.lower()) for w in words if w]
    return " ".join(said)[:1].upper() + " ".join(said)[1:]


def event_words(event_type: str, filters: dict[str, Any]) -> str:
    """An event trigger and its filter in words: "When a candidate moves to Interview for the
    Data Engineer job", "30 minutes before each interview starts"."""
    if "relative_to" in filters:
        offset = int(filters.get("offset_minutes", 0))
        amount = abs(offset)
        size = (
            f"{amount // 1440} days"
            if amount % 1440 == 0 and amount >= 1440
            else f"{amount // 60} hours"
            if amount % 60 == 0 and amount >= 60
            else f"{amount} minutes"
        )
        size = size.replace("1 days", "1 day").replace("1 hours", "1 hour")
        if filters["relative_to"] == "event":
            rest = {k: v for k, v in filters.items() if k not in ("relative_to", "offset_minutes")}
            after = event_words(event_type, rest).removeprefix("When ")
            return f"{size} after {after}"
        return f"{size} {'before' if offset < 0 else 'after'} each interview starts"
    if event_type == "candidate.stage_changed" and (
        "to_stage" in filters or "from_stage" in filters
    ):
        text = "When a candidate moves"
        if "from_stage" in filters:
            text += f" from {_either(filters['from_stage'])}"
        if "to_stage" in filters:
            text += f" to {_either(filters['to_stage'])}"
    else:
        text = "When " + EVENT_WORDS.get(event_type, event_type)
    for key, value in filters.items():
        if key in ("from_stage", "to_stage", "relative_to", "offset_minutes") or value is None:
            continue
        if key == "owner" and str(value).lower() == "me":
            text += " for your candidates"
            continue
        text += " " + _FILTER_WORDS.get(key, key.replace("_", " ") + " {}").format(_either(value))
    return text


#: how each filter key reads after the event ("for the Data Engineer job")
_FILTER_WORDS = {
    "stage": "at {}",
    "job": "for the {} job",
    "job_id": "for job #{}",
    "department": "in the {} department",
    "owner": "for candidates of {}",
    "owner_id": "for candidates of user #{}",
}


def _either(value: Any) -> str:
    """A filter value: one, or any of a list ("Screen or Interview")."""
    values = value if isinstance(value, list) else [value]
    return join_words([str(v) for v in values], "or")
