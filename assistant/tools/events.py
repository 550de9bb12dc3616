"""Tool-set methods for triggers: ATS connections, the event list, demo changes. Connection
secrets go in and never come out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from assistant.tools.audit_entries import org_entry
from assistant.tools.base import Actor, ToolsetBase, stored_view
from assistant.tools.validation import checked_name
from models.errors import InvalidInput, NotFound, PermissionDenied
from models.limits import check_cursor, check_id, check_limit, check_text
from models.settings import TriggerSettings
from models.store import audit
from models.store.ats_sync import connect_source, disconnect_source
from models.store.events import add_connection, get_event, list_connections, list_events
from models.store.orgs import get_org
from models.store.polls import move_demo_candidate, record_demo_reply
from models.tables.ats_sync import AtsSyncSource
from models.tables.events import AtsConnection, EventInbox
from worker.triggers.ingest import webhook_url


class ConnectionView(BaseModel):
    id: int
    provider: str
    name: str
    webhook_url: str | None  # None for a polled-only (demo) connection
    poll_interval_minutes: int | None
    last_polled_at: datetime | None
    last_poll_error: str | None
    created_at: datetime


class EventView(BaseModel):
    id: int
    provider: str
    provider_type: str
    event_type: str | None
    status: str  # received | processed | rejected | duplicate | unmatched
    runs_started: int
    received_at: datetime
    processed_at: datetime | None
    error: str | None
    duplicate_of: int | None
    data: dict[str, Any]  # canonical and PII-free: ids, stages, job, department


def connection_view(c: AtsConnection, settings: TriggerSettings) -> ConnectionView:
    url = None if c.provider == "demo" else webhook_url(settings, c.provider, c.key)
    return stored_view(ConnectionView, c, webhook_url=url)


def event_view(e: EventInbox) -> EventView:
    return stored_view(EventView, e)


class EventTools(ToolsetBase):
    def add_connection(
        self,
        actor: Actor,
        provider: str,
        *,
        secret: str = "",
        name: str = "",
        poll_interval_minutes: int | None = None,
    ) -> ConnectionView:
        """Connect an ATS (greenhouse, lever, ashby, workable, generic, or demo) to this
        organisation. Give the signing secret the ATS shows in its webhook settings; paste the
        returned webhook_url there. `poll_interval_minutes` polls instead (demo ATS). Admins
        only."""
        if not actor.is_admin:
            raise PermissionDenied("Only admins can connect an ATS.")
        provider = checked_name(provider, "The provider", maximum=40).lower()
        name = checked_name(name, "The connection's name", required=False, maximum=100)
        check_text(secret, "The signing secret", 500)
        if provider == "demo" and not poll_interval_minutes:
            raise InvalidInput("The demo ATS has no webhooks: give a poll interval.")
        now = self.clock()
        connection = add_connection(
            self.engine,
            org_id=actor.org_id,
            provider=provider,
            secret=secret,
            name=name,
            now=now,
            poll_interval_minutes=poll_interval_minutes,
        )
        entry = org_entry(actor, "ats_connect", now, provider=provider, connection_id=connection.id)
        audit.record(self.engine, entry)
        return connection_view(connection, self.settings.triggers)

    def connect_ats_sync(
        self, actor: Actor, vendor: str, *, base_url: str, api_key: str
    ) -> tuple[AtsSyncSource, bool]:
        """Connect the ATS skilltick mirrors (greenhouse or lever), or reconnect it with a new key or
        address (admins only). Returns the source and whether it is new; the key is kept,
        never returned nor written to the audit log."""
        if not actor.is_admin:
            raise PermissionDenied("Only an admin can connect the organisation's ATS.")
        now = self.clock()
        source, created = connect_source(
            self.engine,
            org_id=actor.org_id,
            vendor=vendor,
            base_url=base_url,
            api_key=api_key,
            now=now,
        )
        entry = org_entry(
            actor, "ats_connect", now, provider=source.vendor, mirror=True, reconnected=not created
        )
        audit.record(self.engine, entry)
        return source, created

    def disconnect_ats_sync(self, actor: Actor, vendor: str) -> None:
        """Stop mirroring the organisation's ATS (admins only); what was mirrored stays."""
        if not actor.is_admin:
            raise PermissionDenied("Only an admin can disconnect the organisation's ATS.")
        if not disconnect_source(self.engine, org_id=actor.org_id, vendor=vendor):
            raise NotFound(f"No {vendor[:40]} ATS is connected to this organisation.")
        entry = org_entry(actor, "ats_disconnect", self.clock(), provider=vendor)
        audit.record(self.engine, entry)

    def list_connections(self, actor: Actor) -> list[ConnectionView]:
        """The organisation's ATS connections with their webhook URLs (never their secrets)."""
        return [
            connection_view(c, self.settings.triggers)
            for c in list_connections(self.engine, actor.org_id)
        ]

    def list_events(
        self, actor: Actor, *, limit: int = 20, cursor: int | None = None
    ) -> list[EventView]:
        """Recent ATS events, newest first: provider, canonical type, status (processed,
        rejected, duplicate, unmatched, or received while waiting) and the runs they started.
        Admins see the organisation's; members the events that started their runs. Pass the
        last id as `cursor` for the next page."""
        check_limit(limit)
        check_cursor(cursor)
        owner = None if actor.is_admin else actor.user_id
        return [
            event_view(e)
            for e in list_events(
                self.engine, actor.org_id, owner_id=owner, limit=limit, before_id=cursor
            )
        ]

    def demo_reply(self, actor: Actor, candidate_id: int) -> EventView:
        """A demo-ATS candidate replies: the demo ATS records candidate.replied, which stops
        their sequence enrolments and fires automations on that event."""
        get_org(self.engine, actor.org_id)
        check_id(candidate_id, "candidate")
        event_id = record_demo_reply(
            self.engine, org_id=actor.org_id, candidate_id=candidate_id, now=self.clock()
        )
        self.wake()
        return event_view(get_event(self.engine, event_id))

    def move_demo_candidate(self, actor: Actor, candidate_id: int, stage: str) -> list[EventView]:
        """Move a demo-ATS candidate to a stage (Applied, Screen, Interview, Offer, Hired,
        Rejected): the demo ATS records candidate.stage_changed (and candidate.hired or
        candidate.rejected), and event automations fire within a second."""
        get_org(self.engine, actor.org_id)
        check_id(candidate_id, "candidate")
        ids = move_demo_candidate(
            self.engine,
            org_id=actor.org_id,
            candidate_id=candidate_id,
            stage=stage.strip(),
            now=self.clock(),
        )
        self.wake()
        return [event_view(get_event(self.engine, i)) for i in ids]
