"""A one-off preview of what a skill produces, asked for in words ("show me my pipeline",
"who is in Offer?"): read as the same request on a schedule would be (the same skill and filter
words), rendered once for the asker from live data, as a test run renders: nothing is sent,
stored or scheduled. It is recorded as a test run is: counted in the month's runs and audited
(the skill and its params, never its output)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from assistant.language.cadence import cadence_params
from assistant.language.clock_words import Text
from assistant.language.data_words import data_spans
from assistant.language.preview_words import recurring_request
from assistant.language.report_words import report_params
from assistant.tools.audit_entries import org_entry
from assistant.tools.base import Actor
from assistant.tools.tries import check_tries
from assistant.tools.understanding import UnderstandingTools
from models.errors import PermissionDenied, SkilltickError
from models.store.orgs import get_org, get_user
from models.store.usage import count_preview
from models.tables.automations import Automation
from models.tables.orgs import Organization
from skills.base import validate_params
from skills.sandbox import template_budget
from worker.run.executor import RunInputs
from worker.run.plan_limits import limits_for

# a schedule only to read the words as a request: what it would make decides nothing here
READ_AS = "every Monday at 9am"
# skills that say something of their own (a reminder's text, a workflow's steps, a note to a
# candidate on an event): nothing to preview from data
_NOT_SHOWN = frozenset({"reminder", "workflow", "nurture-sequence"})


class PreviewView(BaseModel):
    """What the preview rendered: `request` is what a schedule completes into a request for
    the same report ("send me my pipeline" + "every Monday at 9am")."""

    skill: str
    params: dict[str, Any]
    what: str
    status: str  # completed | skipped | failed
    subject: str | None = None
    output: str = ""  # what it rendered; skipped: why nothing ("none match"); failed: the error
    notes: list[str] = []


class PreviewTools(UnderstandingTools):
    def preview(
        self, actor: Actor, what: str, tz: str | None = None, now: datetime | None = None
    ) -> PreviewView | None:
        """Render the skill `what` names ("my pipeline", "candidates who applied this week")
        once for `actor`, with the params its words set; None when no skill reads them (the
        caller says what can be shown instead)."""
        moment = now or self.clock()
        draft = self.understand(actor, recurring_request(what, READ_AS), tz, moment, llm=False)
        spec = self.registry.specs().get(draft.skill or "") if draft.ok else None
        if draft.skill is None or spec is None or draft.skill in _NOT_SHOWN:
            return None
        skill = self.registry.get(draft.skill)
        if "cron" not in skill.spec.triggers:
            return None
        zone = draft.tz or tz or actor.timezone or "UTC"
        params = _said_params(draft.skill, draft.params, draft.next_runs, what)
        _window_from_now(draft.skill, params, what, moment, zone)
        # it reaches as far as an automation of the skill would: the system jobs' reach over
        # the whole organisation is an admin's
        refusal = self.system_skill_refusal(actor, draft.skill, _with_defaults(skill, params))
        if refusal:
            raise PermissionDenied(refusal)
        check_tries(self.engine, self.settings, actor, moment)
        org = get_org(self.engine, actor.org_id)
        auto = Automation(
            org_id=actor.org_id,
            owner_id=actor.user_id,
            name=f"Preview of {draft.skill}",
            skill=draft.skill,
            params=params,
            trigger_type="cron",
            cron_expression="0 9 * * 1",
            timezone=zone,
            output_channel="noop",
            output_config={"to": ["me"]},
            enabled=False,
            created_at=moment,
            updated_at=moment,
        )
        view = PreviewView(skill=draft.skill, params=params, what=what, status="completed")
        try:
            validate_params(skill.spec, params)
            self._render(auto, org, moment, view)
        except SkilltickError as exc:
            view.status, view.output = "failed", exc.message
        quota = limits_for(self.settings, org).logged_runs_per_month
        audit = org_entry(actor, "preview", moment, skill=draft.skill, params=params)
        count_preview(self.engine, actor.org_id, now=moment, logged_quota=quota, audit=audit)
        return view

    def _render(
        self, auto: Automation, org: Organization, now: datetime, view: PreviewView
    ) -> None:
        """The skill's output for `auto` as a test run renders it (no action, no delivery)."""
        inputs = RunInputs.of(auto, get_user(self.engine, auto.owner_id), org)
        with template_budget():
            output = self._renderer("A preview").preview(inputs, {}, now)
        if output.skipped_reason:
            view.status = "skipped"
            view.output = _nothing(output.skipped_reason)
            return
        view.subject, view.output = output.subject, output.text.strip()


def _with_defaults(skill: Any, params: dict[str, Any]) -> dict[str, Any]:
    """The params as the run reads them (the skill's defaults filled), when they are valid."""
    try:
        return dict(validate_params(skill.spec, params))
    except SkilltickError:  # the render refuses them, with its message
        return params


def _said_params(
    skill: str, params: dict[str, Any], runs: list[datetime], what: str
) -> dict[str, Any]:
    """The params the words set: those that only follow the schedule it was read with are
    left to the skill's defaults unless a window of the words set them."""
    if data_spans(Text(what)):
        return dict(params)
    # what the schedule alone sets: a report's period, a recap's first look back
    implied = {**cadence_params(skill, runs), **report_params(skill, "", (), runs)}
    return {k: v for k, v in params.items() if k not in implied or implied[k] != v}


def _window_from_now(
    skill: str, params: dict[str, Any], what: str, now: datetime, zone: str
) -> None:
    """New applications "this week", "this month" or "today" are counted from the start of
    that calendar period in the asker's zone, not a length back from now."""
    spans = data_spans(Text(what))
    if skill != "new-candidate-alert" or not spans:
        return
    said = " ".join((spans[0].groupdict().get("w") or "").split())
    local = now.astimezone(ZoneInfo(zone))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    start = {
        "today": midnight,
        "this week": midnight - timedelta(days=local.weekday()),
        "this month": midnight.replace(day=1),
    }.get(said)
    if start is not None:
        hours = (local - start).total_seconds() / 3600
        params["since_hours"] = max(1, min(8760, math.ceil(hours)))


def _nothing(reason: str) -> str:
    """Why a skill had nothing to show, in words ("none match")."""
    return "none match" if reason == "nothing_to_report" else reason.replace("_", " ")
