"""What every dashboard page needs: templates, the signed-in user (session cookie), CSRF tokens
for forms, form parsing, and errors shown as pages. Pages stay thin adapters over the tool set.

FastAPI is imported by the functions that build the pages' route class and parameter markers
(once, on first use), never with this module, which every command line start loads."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from assistant.http.api_edge import STATUS_OF
from assistant.http.dashboard.run_words import (
    note_words,
    skip_words,
    steps_of,
    target_problems,
    targets_in_words,
    took,
)
from assistant.http.dashboard.times import local_words, time_element
from assistant.http.dashboard.words import (
    CHANNEL_WORDS,
    MISFIRE_WORDS,
    OVERLAP_WORDS,
    TRIGGER_TYPE_WORDS,
    TRIGGERED_BY_WORDS,
    said,
    summary_words,
)
from assistant.tools.toolset import Actor, Toolset
from models.errors import InvalidInput, NotFound, PermissionDenied, SkilltickError
from models.store.access import SESSION_DAYS
from models.store.health import unavailable
from models.store.orgs import find_user

if TYPE_CHECKING:
    from fastapi import params
    from fastapi.routing import APIRoute

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
SESSION_COOKIE = "skilltick_session"
MAX_FORM_BYTES = 64 * 1024
CROSS_SITE_SIGN_IN = (
    "This sign-in came from another site, so it was refused. To sign in, open your link "
    "yourself and press its button."
)


class LoginRequired(Exception):
    """No valid session cookie: the page sends the browser to /login."""


templates = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(),
    trim_blocks=True,
    lstrip_blocks=True,
)


@pass_context
def _local_when(context: Context, value: datetime | None, empty: str = "—") -> Markup:
    """An instant in the viewer's zone (`zone` of the page), near ones in words; pages without
    a signed-in viewer (errors) say it in UTC."""
    now = context.get("now") or datetime.now(UTC)
    return time_element(value, context.get("zone"), now, empty)


_JOINT = re.compile(r"(?<=[@/])(?=\w)")


def breakable(text: object) -> Markup:
    """`text` escaped, with a line-break opportunity after each @ and / inside a word: an
    address or a zone name ("dana.recruiter@demo.example", "America/Los_Angeles") wraps at its
    joints in a narrow table cell instead of pushing the table past the page."""
    return Markup(_JOINT.sub("<wbr>", str(Markup.escape(text))))


templates.filters["when"] = _local_when
templates.filters["breakable"] = breakable
templates.filters["said"] = said
templates.filters["summary_words"] = summary_words
templates.filters["steps"] = steps_of
templates.filters["targets_in_words"] = targets_in_words
templates.filters["target_problems"] = target_problems
templates.filters["took"] = took
templates.filters["skip_words"] = skip_words
templates.filters["note_words"] = note_words
templates.globals.update(
    trigger_type_words=TRIGGER_TYPE_WORDS,
    channel_words=CHANNEL_WORDS,
    misfire_words=MISFIRE_WORDS,
    overlap_words=OVERLAP_WORDS,
    triggered_by_words=TRIGGERED_BY_WORDS,
)


class Page:
    """One request to a dashboard page: who is asking and how to answer."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.tools: Toolset = request.app.state.ctx.tools
        self.secret = request.cookies.get(SESSION_COOKIE, "")
        actor = self.tools.actor_for_session(self.secret) if self.secret else None
        if actor is None:
            raise LoginRequired()
        self.actor: Actor = actor

    @cached_property
    def zone(self) -> str:
        """The viewer's time zone: theirs, else their organisation's (as chat reads requests)."""
        return self.actor.timezone or self.tools.zone_of(self.actor)

    @property
    def csrf(self) -> str:
        return csrf_token(self.secret)

    def owner_name(self, owner_email: str | None) -> str | None:
        """Whose an automation is, as its runs' summaries name them ("Dana Recruiter"); None
        when it is the viewer's own (or nobody's: a system job)."""
        if not owner_email or owner_email.lower() == self.actor.email.lower():
            return None
        try:
            owner = find_user(self.tools.engine, self.actor.org_id, owner_email)
        except SkilltickError:  # removed since: their address is all there is
            return owner_email
        return owner.name or owner.email

    def render(self, name: str, status_code: int = 200, **values: Any) -> HTMLResponse:
        url = self.request.url
        here = url.path + (f"?{url.query}" if url.query else "")
        html = templates.get_template(name).render(
            actor=self.actor,
            csrf=self.csrf,
            path=url.path,
            here=here,
            zone=self.zone,
            now=self.tools.clock(),
            unread=self.tools.unread_inbox_count(self.actor),
            **values,
        )
        return HTMLResponse(html, status_code=status_code)

    def form(self, body: bytes) -> dict[str, str]:
        """The posted form (urlencoded), after checking its CSRF token."""
        if len(body) > MAX_FORM_BYTES:
            raise InvalidInput("That form is too large.")
        fields = {
            k: v[-1]
            for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()
        }
        if not hmac.compare_digest(fields.pop("csrf", ""), self.csrf):
            raise PermissionDenied("This form has expired; reload the page and try again.")
        return fields


async def read_body(request: Request) -> bytes:
    """The raw request body (a dependency, so that page handlers can stay synchronous)."""
    return await request.body()


# what the pages take: `Annotated[int, path_id()]` a record id in the path,
# `Annotated[int | None, query_cursor()]` a page cursor, `Annotated[bytes, form_body()]` the
# raw form body
@cache
def path_id() -> params.Path:
    import fastapi

    return fastapi.Path(ge=1, le=2**31 - 1)


@cache
def query_cursor() -> params.Query:
    import fastapi

    return fastapi.Query(ge=1, le=2**31 - 1)


@cache
def form_body() -> params.Depends:
    import fastapi

    return fastapi.Depends(read_body)


def csrf_token(session_secret: str) -> str:
    # derived from the session's secret: nothing to store, and useless without the cookie
    return hmac.new(session_secret.encode(), b"csrf", hashlib.sha256).hexdigest()


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin(request: Request, public_url: str) -> bool:
    """Whether a form post comes from a page of this service: its Origin is the address the
    request was sent to, or the service's public address; a browser that sends no Origin must
    say Sec-Fetch-Site: same-origin, as must one that sends the opaque Origin "null" (what
    browsers send from a page under Referrer-Policy: no-referrer, the login page). A post that
    says neither is refused, as another site's page, which the browser signs with that site's
    origin (or "null" with Sec-Fetch-Site: cross-site), would be."""
    origin = request.headers.get("origin")
    if origin is not None and origin != "null":
        here = f"{request.url.scheme}://{request.url.netloc}".lower()
        return origin.lower() in (here, _origin_of(public_url))
    return request.headers.get("sec-fetch-site") == "same-origin"


def uncached(response: Response) -> Response:
    """A page no cache keeps and whose address (which may carry a token) no link followed from
    it names to another site (every page is unframed: headers.SecurityHeaders). The login page,
    whose address carries a token, sends no Referer at all (no_referrer)."""
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "no-store"
    return response


def no_referrer(response: Response) -> Response:
    """A page whose address carries a secret names no address of ours to anyone, not even to
    this service's own pages (its form posts with Origin "null" and Sec-Fetch-Site)."""
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def signed_in(request: Request, session: str) -> RedirectResponse:
    """To the start page, carrying the cookie of the dashboard session `session` just opened:
    Secure when the page was served over HTTPS (directly, or behind a proxy that says so) or
    the settings ask for it, so the browser never sends it in the clear."""
    tools: Toolset = request.app.state.ctx.tools
    secure = tools.settings.service.secure_cookies or request.url.scheme == "https"
    response = see_other("/")
    response.set_cookie(
        SESSION_COOKIE,
        session,
        max_age=SESSION_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )
    return response


@cache
def dashboard_route() -> type[APIRoute]:
    """The route class of every dashboard page."""
    from fastapi.exceptions import RequestValidationError
    from fastapi.routing import APIRoute

    class DashboardRoute(APIRoute):
        """Dashboard pages: no session sends the browser to /login; a refusal, or an address
        whose id or choice is not valid, becomes a page."""

        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handle = super().get_route_handler()

            async def guarded(request: Request) -> Response:
                try:
                    return await handle(request)
                except LoginRequired:
                    return see_other("/login")
                except RequestValidationError as exc:
                    status, message = _bad_address(request, exc)
                    html = templates.get_template("error.html").render(
                        actor=None, message=message, status=status, path=request.url.path
                    )
                    return HTMLResponse(html, status_code=status)
                except (SkilltickError, SQLAlchemyError) as exc:
                    if not isinstance(exc, SkilltickError):
                        fault = unavailable(exc)
                        if fault is None:
                            raise
                        exc = fault
                    status = next((code for cls, code in STATUS_OF if isinstance(exc, cls)), 400)
                    html = templates.get_template("error.html").render(
                        actor=None, message=exc.message, status=status, path=request.url.path
                    )
                    return HTMLResponse(html, status_code=status)

            return guarded

    return DashboardRoute


def _bad_address(request: Request, exc: Exception) -> tuple[int, str]:
    """A page address with an id that is not a number (no such page) or a query value the page
    does not take, in words."""
    errors: list[dict[str, Any]] = list(getattr(exc, "errors", list)())
    where = tuple(errors[0].get("loc", ())) if errors else ()
    if where and where[0] == "path":
        return 404, f"There is no page at {request.url.path}."
    if where and where[0] == "query":
        name = str(where[-1]).replace("_", " ")
        return 400, f"This page does not take that {name}; open it again from its link."
    return 400, "That request is not one this page takes; reload it and try again."


def explain_not_fired(view: Any, runs: list[Any], now: datetime, zone: str) -> list[str]:
    """ "Why didn't it fire?" in plain words, from the automation's state and its last runs;
    times in the viewer's `zone`."""

    def _when(value: datetime) -> str:
        return local_words(value, zone, now)

    reasons: list[str] = []
    if not view.enabled:
        if view.status == "failed":
            reasons.append(
                f"It was paused after {view.consecutive_failures} failed runs in a "
                "row. Fix the cause, then resume it."
            )
        else:
            until = f" until {_when(view.paused_until)}" if view.paused_until else ""
            why = f" ({view.paused_reason})" if view.paused_reason else ""
            reasons.append(f"It is paused{until}{why}. Resume it to run again.")
    if view.trigger_type == "event":
        reasons.append(
            f"It fires only when a {view.event_type} event arrives from your ATS; no event, no run."
        )
    elif view.enabled and view.next_run_at is None:
        reasons.append("Its schedule has no run in the future (a one-off that already ran?).")
    elif view.enabled and view.next_run_at is not None:
        if view.next_run_at > now:
            reasons.append(f"Its next run is {_when(view.next_run_at)}; it has not come yet.")
        else:
            reasons.append(
                f"Its run due {_when(view.next_run_at)} is waiting for a worker: "
                "check /status (is a worker ticking?)."
            )
    for run in runs[:5]:
        if run.status == "skipped":
            reasons.append(
                f"Run #{run.id} ({_when(run.scheduled_for)}) was skipped: "
                f"{(run.skipped_reason or 'no reason recorded').replace('_', ' ')}."
            )
        elif run.status == "failed":
            reasons.append(
                f"Run #{run.id} ({_when(run.scheduled_for)}) failed: "
                f"{run.error_message or run.error_code or 'unknown error'}."
            )
    if not runs:
        reasons.append("It has no runs in its history yet.")
    return reasons


def audit_page(
    page: Page,
    *,
    base: str,
    automation: int | None,
    cursor: int | None,
) -> HTMLResponse:
    """A page of the audit log the reader may see (`automation` keeps one automation's), with
    its pager going back to `base`. Someone else's automation is refused, as its page is; one
    since deleted keeps its history, for whoever may read its entries."""
    automation_name = None
    if automation is not None:
        try:
            automation_name = page.tools.get_automation(page.actor, automation).name
        except NotFound:
            if not page.tools.list_audit(page.actor, automation_id=automation, limit=1).items:
                raise
    listing = page.tools.list_audit(page.actor, automation_id=automation, cursor=cursor, limit=50)
    return page.render(
        "audit.html",
        listing=listing,
        cursor=cursor,
        automation=automation,
        automation_name=automation_name,
        base=base,
        days=page.tools.settings.core.audit_retention_days,
    )
