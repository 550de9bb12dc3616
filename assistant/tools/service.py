"""Tool-set methods for the service: paged listings, the organisation's plan and overview
and the local outbox; with tokens and sessions (assistant.tools.access) and the worker's
status (assistant.tools.worker_status), the service's part of the tool set."""

from __future__ import annotations

import json
from datetime import date, datetime
from email import message_from_string, policy
from email.message import EmailMessage
from typing import Any

from assistant.tools.access import AccessTools
from assistant.tools.audit_entries import org_entry
from assistant.tools.automations import AutomationTools
from assistant.tools.base import Actor, stored_view
from assistant.tools.service_views import (
    AutomationPage,
    MemberSummary,
    OrgOverview,
    OrgView,
    OutboxItem,
    OutboxMessageView,
    OutboxPage,
    RunPage,
)
from assistant.tools.views import AutomationView, automation_view
from assistant.tools.worker_status import StatusTools
from models.errors import InvalidInput, NotFound, PermissionDenied
from models.limits import ID_MAX, check_limit, cut_page, page_read_size
from models.store import deliveries as deliveries_store
from models.store import listings as service_store
from models.store.orgs import get_org, list_users, set_org_plan
from models.tables.automations import Automation
from models.tables.deliveries import OutboxMessage
from models.tables.orgs import PLANS, Organization


def _check_limit(limit: int) -> None:
    check_limit(limit)


def _org_view(org: Organization) -> OrgView:
    return stored_view(OrgView, org)


class ServiceTools(AccessTools, StatusTools, AutomationTools):
    """The service's part of the tool set (and, through it, every automation operation)."""

    # --- paged listings ------------------------------------------------------------------

    def automation_record(self, actor: Actor, automation_id: int) -> Automation:
        """The stored automation, all fields (edit forms), scoped like get_automation."""
        return self.owned_automation(actor, automation_id)

    def list_automations_page(
        self,
        actor: Actor,
        *,
        cursor: int | None = None,
        limit: int = 50,
        owner_email: str | None = None,
        everyone: bool | None = None,
        system: bool = False,
        name_has: str | None = None,
    ) -> AutomationPage:
        """Like list_automations, a page at a time: yours; admins everyone's by default or one
        colleague's (owner_email), or the system jobs (`system`, admins only); `name_has`
        keeps those whose name holds it (any case). Pass `next_cursor` back as `cursor` for
        the next page."""
        _check_limit(limit)
        if system:
            self.admin_only(actor, "see the organisation's system jobs")
            owner_id = None
        else:
            owner_id = self.listing_owner(actor, owner_email=owner_email, everyone=everyone)
        rows = service_store.automations_page(
            self.engine,
            actor.org_id,
            owner_id=owner_id,
            after_id=cursor,
            limit=limit + 1,
            system=system,
            name_has=(name_has or "").strip()[:200] or None,
        )
        more = len(rows) > limit
        rows = rows[:limit]
        emails = service_store.owner_emails(self.engine, {a.owner_id for a in rows})
        skipping = next((a for a in rows if a.skip_holidays), None)
        days = self.holidays_of(skipping) if skipping is not None else frozenset()
        items = _views(rows, emails, self.clock(), days)
        return AutomationPage(items=items, next_cursor=items[-1].id if more else None)

    def list_runs_page(
        self,
        actor: Actor,
        automation_id: int,
        *,
        cursor: int | None = None,
        limit: int = 20,
    ) -> RunPage:
        """An automation's runs, newest first, a page at a time (cursor: `next_cursor`)."""
        found = self.list_runs(
            actor, automation_id=automation_id, limit=page_read_size(limit), cursor=cursor
        )
        runs, more = cut_page(found, limit)
        return RunPage(
            items=runs,
            next_cursor=runs[-1].id if more and runs else None,
            note=self.history_note(actor),
        )

    # --- the organisation ----------------------------------------------------------------

    def set_plan(self, actor: Actor, plan: str) -> OrgView:
        """Set the organisation's plan (admins only): free, pro or enterprise."""
        if not actor.is_admin:
            raise PermissionDenied("Only admins can change the organisation's plan.")
        if plan not in PLANS:
            raise InvalidInput(f"Unknown plan '{plan}'. Use one of: {', '.join(PLANS)}.")
        audit = org_entry(actor, "plan", self.clock())
        return _org_view(set_org_plan(self.engine, actor.org_id, plan, audit=audit))

    def get_org(self, actor: Actor) -> OrgView:
        return _org_view(get_org(self.engine, actor.org_id))

    def org_overview(self, actor: Actor) -> OrgOverview:
        """Admins: the plan and every member with their active, paused and failed counts."""
        if not actor.is_admin:
            raise PermissionDenied("Only admins can see the whole organisation.")
        counts = service_store.automation_counts_by_owner(self.engine, actor.org_id)
        members = [
            MemberSummary(
                email=u.email,
                name=u.name,
                role=u.role,
                **counts.get(u.id or 0, {"active": 0, "paused": 0, "failed": 0}),
            )
            for u in list_users(self.engine, actor.org_id)
        ]
        return OrgOverview(org=self.get_org(actor), members=members, plans=list(PLANS))

    # --- the local outbox ----------------------------------------------------------------

    def list_outbox(
        self, actor: Actor, *, cursor: int | None = None, limit: int = 20
    ) -> OutboxPage:
        """Mail kept locally (no SMTP configured), newest first: yours; admins see all of the
        organisation's."""
        _check_limit(limit)
        rows = service_store.outbox_page(
            self.engine,
            actor.org_id,
            to_addr=None if actor.is_admin else actor.email,
            before_id=cursor,
            limit=limit + 1,
        )
        more = len(rows) > limit
        items = [
            OutboxItem(id=m.id or 0, to=m.to_addr, subject=m.subject, created_at=m.created_at)
            for m in rows[:limit]
        ]
        return OutboxPage(items=items, next_cursor=items[-1].id if more else None)

    def get_outbox_message(self, actor: Actor, message_id: int) -> OutboxMessageView:
        row = (
            deliveries_store.get_outbox_message(self.engine, message_id, org_id=actor.org_id)
            if 1 <= message_id <= ID_MAX
            else None
        )
        if row is None or (not actor.is_admin and row.to_addr.lower() != actor.email.lower()):
            raise NotFound(f"No message #{message_id} in your outbox.")
        return _outbox_view(row)


def _views(
    rows: list[Automation], emails: dict[int, str], now: datetime, holidays: frozenset[date]
) -> list[AutomationView]:
    """Views for a page of automations. Putting a schedule into words and computing its next
    fires costs a millisecond or more; automations on a page often share a schedule (the same
    cron, zone, next run and runs skipped), so each distinct schedule is worked out once per
    page. `holidays`: the organisation's, for those that skip them."""
    done: dict[tuple[Any, ...], AutomationView] = {}
    views: list[AutomationView] = []
    for auto in rows:
        key = (
            auto.trigger_type,
            auto.cron_expression,
            auto.rrule,
            auto.run_once_at,
            auto.schedule_anchor,
            auto.timezone,
            auto.event_type,
            json.dumps(auto.event_filter, sort_keys=True, default=str),
            auto.poll_interval_minutes,
            auto.next_run_at,
            auto.enabled,
            auto.skips,
            auto.skip_holidays,
        )
        email = emails.get(auto.owner_id, "")
        same = done.get(key)
        if same is None:
            view = done[key] = automation_view(auto, owner_email=email, now=now, holidays=holidays)
        else:
            # a poll trigger is the one put into words without any schedule maths
            light = automation_view(
                auto.model_copy(update={"trigger_type": "poll"}), owner_email=email, now=now
            )
            view = light.model_copy(
                update={
                    "trigger_type": auto.trigger_type,
                    "trigger": same.trigger,
                    "next_runs": same.next_runs,
                    "next_kept_run_at": same.next_kept_run_at,
                    "holiday_runs": same.holiday_runs,
                }
            )
        views.append(view)
    return views


def _outbox_view(row: OutboxMessage) -> OutboxMessageView:
    parsed = message_from_string(row.raw, policy=policy.default)
    text, html = "", None
    if isinstance(parsed, EmailMessage):
        text_part = parsed.get_body(preferencelist=("plain",))
        html_part = parsed.get_body(preferencelist=("html",))
        text = text_part.get_content() if text_part is not None else ""
        html = html_part.get_content() if html_part is not None else None
    return OutboxMessageView(
        id=row.id or 0,
        to=row.to_addr,
        subject=row.subject,
        created_at=row.created_at,
        message_id=row.message_id,
        text=text,
        html=html,
        raw=row.raw,
    )
