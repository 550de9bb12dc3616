"""Reading the audit log: who changed what, a page at a time (admins: the organisation's;
members: their own automations' and their own actions), and the answers to "who paused #3?"
and "what changed on #3?"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from assistant.tools.audit_entries import in_words
from assistant.tools.base import Actor, ToolsetBase
from models.clock import local_time
from models.limits import check_cursor, check_id, cut_page, page_read_size
from models.store.audit import AuditRow, list_entries
from models.store.orgs import list_users

SYSTEM = "system"


class AuditItem(BaseModel):
    id: int
    at: datetime
    actor: str = Field(description='Who made the change: "Name (email)", or "system".')
    actor_user_id: int | None = Field(description="Null for the service itself.")
    action: str
    automation_id: int | None
    automation_name: str | None = Field(
        default=None,
        description="The automation's name now; null when it has since been deleted (or the "
        "entry is on no automation).",
    )
    changes: dict[str, Any] = Field(
        description="What changed, by field: old and new values for schedule, state and "
        "channel fields; never message text, candidate data or addresses."
    )
    summary: str = Field(description="The change in words, after the actor's name.")


class AuditPage(BaseModel):
    """One page of audit entries, newest first; pass `next_cursor` back for older ones."""

    items: list[AuditItem]
    next_cursor: int | None = Field(description="Cursor of the next page; null on the last.")


def automation_named(item: AuditItem) -> str:
    """The entry's automation as readers name it: '#3 “Weekly report”', '#3 (deleted)', or
    nothing for an entry on no automation."""
    if item.automation_id is None:
        return ""
    if item.automation_name is None:
        return f"#{item.automation_id} (deleted)"
    return f"#{item.automation_id} “{item.automation_name}”"


def _who(row: AuditRow) -> str:
    if row.entry.actor_user_id is None:
        return SYSTEM
    if row.actor_email is None:
        return f"a removed user (#{row.entry.actor_user_id})"
    return f"{row.actor_name} ({row.actor_email})" if row.actor_name else row.actor_email


class AuditTools(ToolsetBase):
    """The audit log's readers."""

    def list_audit(
        self,
        actor: Actor,
        *,
        automation_id: int | None = None,
        cursor: int | None = None,
        limit: int = 50,
    ) -> AuditPage:
        """Audit entries, newest first (admins: the organisation's; members: those on their
        own automations and their own)."""
        if automation_id is not None:
            check_id(automation_id, "automation")
        check_cursor(cursor)
        rows = list_entries(
            self.engine,
            actor.org_id,
            automation_id=automation_id,
            readable_by=None if actor.is_admin else actor.user_id,
            cursor=cursor,
            limit=page_read_size(limit),
        )
        page, more = cut_page(rows, limit)
        names = {
            u.id or 0: (f"{u.name} ({u.email})" if u.name else u.email)
            for u in list_users(self.engine, actor.org_id)
        }
        items = [
            AuditItem(
                id=row.entry.id or 0,
                at=row.entry.at,
                actor=_who(row),
                actor_user_id=row.entry.actor_user_id,
                action=row.entry.action,
                automation_id=row.entry.automation_id,
                automation_name=row.automation_name,
                changes=row.entry.changes or {},
                summary=in_words(row.entry, names, self.zone_of(actor)),
            )
            for row in page
        ]
        return AuditPage(items=items, next_cursor=items[-1].id if more and items else None)

    def audit_answer(self, actor: Actor, automation_id: int, question: str) -> str:
        """ "who paused #3?" (`question` "paused") or "what changed on #3?" ("changed"),
        answered from the audit log with names, times in the asker's zone (as "what changed
        today?" says them), whoever owns the automation."""
        zone = self.zone_of(actor)
        auto = self.owned_automation(actor, automation_id)
        named = f"#{automation_id} “{auto.name}”"
        items = self.list_audit(actor, automation_id=automation_id, limit=50).items
        if question == "paused":
            pauses = [i for i in items if i.action == "pause"]
            if not pauses:
                state = "it is paused" if not auto.enabled else "it is running"
                return f"Nobody has paused {named} since its changes were recorded; {state}."
            last = pauses[0]
            who = "skilltick itself" if last.actor == SYSTEM else last.actor
            still = "" if not auto.enabled else " It has been resumed since."
            return f"{who} {last.summary} on {local_time(last.at, zone)}.{still}"
        if not items:
            return f"No change to {named} is recorded."
        shown = items[:5]
        lines = [
            f"- {local_time(i.at, zone)}: "
            f"{'skilltick itself' if i.actor == SYSTEM else i.actor} {i.summary}"
            for i in shown
        ]
        more = f"\n(and {len(items) - 5} earlier)" if len(items) > 5 else ""
        return f"Changes to {named}, newest first:\n" + "\n".join(lines) + more
