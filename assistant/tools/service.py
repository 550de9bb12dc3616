"""Tool-set methods for the service: API tokens and dashboard sessions, paged listings, the
organisation's plan and overview, the local outbox, and the worker's status."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email import message_from_string, policy
from email.message import EmailMessage
from typing import Any

from assistant.tools.audit_entries import org_entry
from assistant.tools.automations import AutomationTools
from assistant.tools.base import Actor, stored_view
from assistant.tools.service_views import (
    ApiTokenView,
    AutomationPage,
    IssuedToken,
    LoginOffer,
    MemberSummary,
    OpenBreaker,
    OrgOverview,
    OrgView,
    OutboxItem,
    OutboxMessageView,
    OutboxPage,
    RunPage,
    ServiceStatus,
    SkillFailureRate,
)
from assistant.tools.validation import checked_name
from assistant.tools.views import AutomationView, automation_view
from models.clock import utc
from models.errors import InvalidInput, NotFound, PermissionDenied
from models.limits import ID_MAX, check_id, check_limit, cut_page, page_read_size
from models.store import deliveries as deliveries_store
from models.store import listings as service_store
from models.store.access import (
    create_token,
    end_session,
    get_token,
    list_tokens,
    revoke_token,
    start_session,
    token_for_secret,
    user_for_session,
    user_for_token,
)
from models.store.automations import list_automations
from models.store.health import store_fault
from models.store.orgs import find_user, get_org, get_user, list_users, set_org_plan
from models.store.run_queue import stuck_lease_count
from models.store.workers import recent_summaries
from models.tables.access import ApiToken
from models.tables.automations import Automation
from models.tables.deliveries import OutboxMessage
from models.tables.orgs import PLANS, Organization
from worker.delivery.webhook import webhook_destination

#: a worker that has not ticked for this long is reported as a problem
TICK_STALE_AFTER = timedelta(minutes=3)
FAILURE_WINDOW = timedelta(hours=24)
MIN_TOKEN_LIFE, MAX_TOKEN_LIFE = timedelta(hours=1), timedelta(days=3653)


def _check_limit(limit: int) -> None:
    check_limit(limit)


def _org_view(org: Organization) -> OrgView:
    return stored_view(OrgView, org)


def _percentile(values: list[int], q: float) -> int | None:
    if not values:
        return None
    return values[min(len(values) - 1, int(q * len(values)))]


class ServiceTools(AutomationTools):
    # --- who is asking: tokens and dashboard sessions ------------------------------------

    def actor_for_token(self, secret: str, *, record_use: bool = True) -> Actor | None:
        """The user an API token belongs to; None for an unknown or revoked token.
        `record_use=False`: a read that leaves the token's last use as it was."""
        user = user_for_token(self.engine, secret, self.clock(), record_use=record_use)
        return Actor.of(user) if user is not None else None

    def login_offer(self, secret: str) -> LoginOffer | None:
        """Whom the login link of token `secret` would sign in (None: unknown, revoked or
        expired); reading it leaves the token's last use as it was."""
        user = user_for_token(self.engine, secret, self.clock(), record_use=False)
        if user is None:
            return None
        org = get_org(self.engine, user.org_id)
        return LoginOffer(name=user.name or user.email, email=user.email, org_name=org.name)

    def create_api_token(
        self,
        actor: Actor,
        *,
        name: str = "API",
        user_email: str | None = None,
        expires_in: timedelta | None = None,
    ) -> IssuedToken:
        """Issue a bearer token for yourself (admins: for a colleague). The token is in the
        answer once; only its hash is kept."""
        name = checked_name(name, "The token's name", maximum=100)
        user = get_user(self.engine, actor.user_id)
        if user_email and user_email.lower() != actor.email.lower():
            if not actor.is_admin:
                raise PermissionDenied("Only admins can create tokens for someone else.")
            user = find_user(self.engine, actor.org_id, user_email)
        if expires_in is not None and not MIN_TOKEN_LIFE <= expires_in <= MAX_TOKEN_LIFE:
            raise InvalidInput("A token's lifetime is between 1 hour and 10 years.")
        now = self.clock()
        issued = create_token(
            self.engine,
            user=user,
            name=name,
            now=now,
            expires_at=now + expires_in if expires_in is not None else None,
            audit=org_entry(actor, "token_create", now, user_id=user.id),
        )
        view = self._token_view(issued.token, user.email)
        return IssuedToken(**view.model_dump(), token=issued.secret)

    def list_api_tokens(self, actor: Actor) -> list[ApiTokenView]:
        """Your tokens; admins see every token of the organisation."""
        rows = list_tokens(
            self.engine, actor.org_id, user_id=None if actor.is_admin else actor.user_id
        )
        emails = service_store.owner_emails(self.engine, {r.user_id for r in rows})
        return [self._token_view(r, emails.get(r.user_id, "")) for r in rows]

    def revoke_api_token(self, actor: Actor, token_id: int) -> None:
        """Revoke a token at once (yours; admins: anyone's in the organisation)."""
        row = get_token(self.engine, actor.org_id, check_id(token_id, "token"))
        if row.user_id != actor.user_id and not actor.is_admin:
            raise PermissionDenied("That token belongs to someone else.")
        now = self.clock()
        audit = org_entry(actor, "token_revoke", now, token_id=token_id, user_id=row.user_id)
        revoke_token(self.engine, actor.org_id, token_id, now, audit=audit)

    @staticmethod
    def _token_view(row: ApiToken, email: str) -> ApiTokenView:
        return ApiTokenView(
            id=row.id or 0,
            name=row.name,
            user_email=email,
            hint=row.token_hint,
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            expires_at=row.expires_at,
        )

    def start_dashboard_session(self, actor: Actor, token: str | None = None) -> str:
        """A dashboard session for the actor; opened with `token` (a login link), it ends
        when that token is revoked or expires."""
        return start_session(
            self.engine,
            user=get_user(self.engine, actor.user_id),
            now=self.clock(),
            token=token_for_secret(self.engine, token) if token else None,
        )

    def actor_for_session(self, secret: str) -> Actor | None:
        user = user_for_session(self.engine, secret, self.clock())
        return Actor.of(user) if user is not None else None

    def end_dashboard_session(self, secret: str) -> None:
        end_session(self.engine, secret)

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
        items = _views(rows, emails, self.clock())
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

    # --- the worker ----------------------------------------------------------------------

    def service_status(self, reader: Actor | None = None) -> ServiceStatus:
        """Last tick, start lag, due backlog, stuck leases and failure rate by skill; first of
        all, whether the database takes writes (when not, that is the one thing reported).
        A `reader` (a user of one organisation) is shown no other organisation's webhook
        host among the paused destinations, and, unless an admin, failure rates of their own
        organisation's runs only (the whole service's are for admins and the operator)."""
        problem = store_fault(self.engine, datetime.now(UTC))
        if problem is not None:
            return ServiceStatus(
                ok=False,
                now=datetime.now(UTC),
                last_tick_at=None,
                seconds_since_last_tick=None,
                workers_seen=0,
                lag_ms_p50=None,
                lag_ms_p95=None,
                due_occurrences=0,
                due_queued_runs=0,
                stuck_leases=0,
                failure_rate_by_skill={},
                problems=[f"{problem} Workers claim nothing until it takes writes again."],
                store_problem=problem,
            )
        now = self.clock()
        scope = reader.org_id if reader is not None and reader.role != "admin" else None
        figures = service_store.service_figures(
            self.engine, now=now, window=FAILURE_WINDOW, org_id=scope
        )
        stuck = stuck_lease_count(self.engine, now=now)
        since = (now - figures.last_tick_at).total_seconds() if figures.last_tick_at else None
        problems = []
        if since is None:
            problems.append("No worker has ticked yet.")
        elif since > TICK_STALE_AFTER.total_seconds():
            problems.append(f"No worker has ticked for {int(since // 60)} minutes.")
        if stuck:
            problems.append(f"{stuck} running runs lost their worker (lease expired).")
        breakers = _open_breakers(self.engine, now)
        if reader is not None:
            breakers = _readable_breakers(self.engine, breakers, reader.org_id)
        for b in breakers:
            problems.append(
                f"Sends to {b.destination} are paused until {b.until:%H:%M:%S} UTC after "
                f"{b.failures} failures in a row (last error: {b.last_error})."
            )
        rates = {
            skill: SkillFailureRate(failed=f, finished=n, rate=round(f / n, 4) if n else 0)
            for skill, (f, n) in sorted(figures.failures_by_skill.items())
        }
        return ServiceStatus(
            ok=not problems,
            now=now,
            last_tick_at=figures.last_tick_at,
            seconds_since_last_tick=round(since, 3) if since is not None else None,
            workers_seen=figures.workers_seen,
            lag_ms_p50=_percentile(figures.recent_lag_ms, 0.5),
            lag_ms_p95=_percentile(figures.recent_lag_ms, 0.95),
            due_occurrences=figures.due_occurrences,
            due_queued_runs=figures.due_queued_runs,
            stuck_leases=stuck,
            failure_rate_by_skill=rates,
            open_breakers=breakers,
            problems=problems,
        )


def _open_breakers(engine: Any, now: datetime) -> list[OpenBreaker]:
    """Breakers the recently ticking workers reported open and not yet due to close."""
    found: dict[str, OpenBreaker] = {}
    for summary in recent_summaries(engine, now - TICK_STALE_AFTER):
        for raw in summary.get("open_breakers") or []:
            try:
                breaker = OpenBreaker.model_validate(raw)
            except ValueError:
                continue
            if utc(breaker.until) > now and breaker.destination not in found:
                found[breaker.destination] = breaker
    return [found[d] for d in sorted(found)]


#: how a webhook host is named among the paused destinations (worker.delivery.webhook)
WEBHOOK_DESTINATION = "webhook "


def _readable_breakers(engine: Any, breakers: list[OpenBreaker], org_id: int) -> list[OpenBreaker]:
    """The shared destinations (the mail server, Slack) and the organisation's own webhook
    hosts: another organisation's webhook host (and its answer) is not theirs to see."""
    if not any(b.destination.startswith(WEBHOOK_DESTINATION) for b in breakers):
        return breakers  # the usual case: no organisation's automations to read
    ours = {
        webhook_destination(str(url))
        for auto in list_automations(engine, org_id, system=None)
        if auto.output_channel == "webhook"
        for url in (auto.output_config or {}).get("to", [])
    }
    return [
        b
        for b in breakers
        if not b.destination.startswith(WEBHOOK_DESTINATION) or b.destination in ours
    ]


def _views(rows: list[Automation], emails: dict[int, str], now: datetime) -> list[AutomationView]:
    """Views for a page of automations. Putting a schedule into words and computing its next
    fires costs a millisecond or more; automations on a page often share a schedule (the same
    cron, zone and next run), so each distinct schedule is worked out once per page."""
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
        )
        email = emails.get(auto.owner_id, "")
        same = done.get(key)
        if same is None:
            view = done[key] = automation_view(auto, owner_email=email, now=now)
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
