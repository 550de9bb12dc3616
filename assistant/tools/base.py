"""What every part of the tool set stands on: who is asking (`Actor`), the engine, settings,
clock and skill registry, and the organisation-scope rules. Members act on their own
automations, admins on every automation of their organisation; another organisation's records
are simply not found."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy.engine import Engine

from assistant.tools.views import AutomationView, automation_view
from models.errors import DeliveryError, NotFound, PermissionDenied
from models.limits import check_id
from models.settings import Settings
from models.store.automations import get_automation, get_automation_and_owner
from models.store.calendars import holiday_days
from models.store.orgs import find_org, find_user, first_admin, get_org, get_user
from models.store.run_queue import db_now
from models.tables.automations import Automation
from models.tables.orgs import User
from skills.builtin import default_registry
from skills.registry import SkillRegistry
from worker.delivery.base import ChatLayout
from worker.run.executor import Executor
from worker.run.footers import OrgFooters

View = TypeVar("View", bound=BaseModel)


def stored_view(view: type[View], row: object, **computed: Any) -> View:
    """The view of a stored row: each of its fields the row's attribute of that name, unless
    `computed` gives it."""
    return view(
        **{
            name: computed[name] if name in computed else getattr(row, name)
            for name in view.model_fields
        }
    )


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is asking: every tool call runs as one user of one organisation."""

    org_id: int
    user_id: int
    role: str
    email: str
    timezone: str | None = None
    # runs the service (set on the host): reads the whole service's figures, not only its
    # organisation's; it gives no right in any organisation
    operator: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def zone(self, org_timezone: str | None) -> str:
        """The time zone this user's requests are read in: theirs, else their organisation's
        (`org_timezone`), else UTC."""
        return self.timezone or org_timezone or "UTC"

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.org_id, user.id or 0, user.role, user.email, user.timezone, user.operator)


def actor_for(engine: Engine, org_slug: str, email: str | None) -> Actor:
    """The CLI's way of saying who it acts as: a user of an organisation, by default its first
    admin."""
    org = find_org(engine, org_slug)
    if email:
        return Actor.of(find_user(engine, org.id or 0, email))
    try:
        return Actor.of(first_admin(engine, org.id or 0))
    except NotFound as exc:
        raise NotFound(f"Organisation '{org_slug}' has no admin; pass --user.") from exc


class ToolsetBase:
    """The state every feature class of the tool set shares, and the scope checks they all
    apply before reading or changing an automation."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        registry: SkillRegistry | None = None,
        clock: Callable[[], datetime] | None = None,
        wake: Callable[[], None] | None = None,
        slack_layout: ChatLayout | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.registry = registry or default_registry()
        self.clock = clock or (lambda: db_now(engine))
        self.wake = wake or (lambda: None)
        # how the workers this tool set starts (test runs) lay out what they post to Slack
        self.slack_layout = slack_layout

    def owned_automation(self, actor: Actor, automation_id: int) -> Automation:
        """The automation, if the actor may act on it: its owner or an admin of its
        organisation."""
        check_id(automation_id, "automation")
        auto = get_automation(self.engine, actor.org_id, automation_id)
        self.check_may_act(actor, auto)
        return auto

    def owned_with_owner(self, actor: Actor, automation_id: int) -> tuple[Automation, str]:
        """As owned_automation, with its owner's email (what a view of it shows) read in the
        same statement."""
        check_id(automation_id, "automation")
        auto, owner_email = get_automation_and_owner(self.engine, actor.org_id, automation_id)
        self.check_may_act(actor, auto)
        return auto, owner_email

    @staticmethod
    def check_may_act(actor: Actor, auto: Automation) -> None:
        # named as well as numbered: the refusal says which automation the words were taken for
        named = f"Automation #{auto.id} “{auto.name}”"
        if auto.system and not actor.is_admin:
            raise PermissionDenied(
                f"{named} is one of the organisation's system jobs; only an admin can see, "
                "run, pause or change it."
            )
        if not actor.is_admin and auto.owner_id != actor.user_id:
            raise PermissionDenied(
                f"{named} belongs to someone else; only its owner or an admin can do that."
            )

    def listing_owner(
        self, actor: Actor, *, owner_email: str | None, everyone: bool | None
    ) -> int | None:
        """Whose automations a listing shows (None: everyone's). Members see their own;
        admins everyone's by default, or one colleague's."""
        if everyone is None:
            everyone = actor.is_admin and not owner_email
        if owner_email:
            owner = find_user(self.engine, actor.org_id, owner_email)
            if owner.id != actor.user_id and not actor.is_admin:
                raise PermissionDenied("Only admins can list other people's automations.")
            return owner.id
        if everyone:
            if not actor.is_admin:
                raise PermissionDenied("Only admins can list every automation.")
            return None
        return actor.user_id

    def view_of(
        self, auto: Automation, now: datetime | None = None, *, owner_email: str | None = None
    ) -> AutomationView:
        """The automation as interfaces show it, with its owner's email (read unless the
        caller has it already)."""
        if owner_email is None:
            owner_email = get_user(self.engine, auto.owner_id).email
        return automation_view(
            auto, owner_email=owner_email, now=now or self.clock(), holidays=self.holidays_of(auto)
        )

    def _renderer(self, what: str) -> Executor:
        """An executor that renders a skill's output as a run would, for a `what` ("A
        preview", "A backtest") that sends nothing: every channel it asks for refuses."""

        def no_delivery(name: str) -> Any:
            raise DeliveryError(f"{what} sends nothing.", retryable=False)

        footers = OrgFooters(self.engine, self.settings)
        return Executor(
            self.engine, self.settings.core, self.registry, no_delivery, footers=footers
        )

    def holidays_of(self, auto: Automation) -> frozenset[date]:
        """The organisation's holidays, when `auto` skips them (no read otherwise)."""
        return holiday_days(self.engine, auto.org_id) if auto.skip_holidays else frozenset()

    def views_of(self, found: list[tuple[Automation, str]], now: datetime) -> list[AutomationView]:
        """Views of automations of one organisation with their owners' emails: its holidays
        read once, when one of them skips them."""
        skipping = next((a for a, _ in found if a.skip_holidays), None)
        days = self.holidays_of(skipping) if skipping is not None else frozenset()
        return [automation_view(a, owner_email=e, now=now, holidays=days) for a, e in found]

    def zone_of(self, actor: Actor) -> str:
        """The time zone the actor's requests are read in (Actor.zone)."""
        return actor.zone(get_org(self.engine, actor.org_id).timezone)

    @staticmethod
    def admin_only(actor: Actor, what: str) -> None:
        if not actor.is_admin:
            raise PermissionDenied(f"Only admins can {what}.")
