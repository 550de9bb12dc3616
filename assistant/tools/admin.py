"""Tool-set methods for administration: organisations (for whoever runs the service: the CLI),
and for an organisation's admins their users (add, role, remove) and invitations by e-mail
link, which make the recipient a user when they open it, once, before it expires."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from assistant.tools.audit_entries import org_entry
from assistant.tools.base import Actor, ToolsetBase, stored_view
from assistant.tools.validation import checked_email, checked_name, checked_role, checked_slug
from models.errors import DeliveryError, InvalidInput, NotFound
from models.limits import check_id
from models.store import audit, members
from models.store.orgs import create_org, create_user, find_user, get_org, list_users
from models.tables.access import Invitation
from models.tables.audit import AuditEntry
from models.tables.orgs import PLANS, User
from worker.delivery.base import Message, Recipient
from worker.delivery.email import email_channel
from worker.delivery.webhook import org_signing_secret
from worker.schedule.parse import load_zone

INVITATION_DAYS = 7
MAX_INVITATION_DAYS = 90


class UserView(BaseModel):
    id: int
    email: str
    name: str
    role: str
    created_at: datetime


class RoleChanged(UserView):
    tokens_revoked: int = Field(
        default=0,
        description="Tokens they made for colleagues, revoked as they lost admin (they may "
        "have kept a copy).",
    )


def tokens_revoked_words(count: int, maker: str) -> str:
    """ "2 tokens Dana made for colleagues are revoked"; empty for none."""
    if not count:
        return ""
    if count == 1:
        return f"1 token {maker} made for a colleague is revoked"
    return f"{count} tokens {maker} made for colleagues are revoked"


class OrgSummary(BaseModel):
    id: int
    slug: str
    name: str
    plan: str
    timezone: str
    users: int


class InvitationView(BaseModel):
    id: int
    email: str
    name: str
    role: str
    created_at: datetime
    expires_at: datetime


class IssuedInvitation(InvitationView):
    link: str = Field(description="The link that accepts it. Shown once; only a hash is kept.")
    emailed: bool = Field(description="Whether the invitation e-mail was sent (or queued).")
    note: str = Field(description="What happened to the e-mail, in words.")


class RemovedUser(BaseModel):
    email: str
    automations_moved: int = Field(
        description="Their automations, now the heir's (by default yours) and paused."
    )
    heir_email: str = Field(default="", description="Whose their automations are now.")
    tokens_revoked: int = Field(
        default=0,
        description="Tokens they made for colleagues, revoked (they may have kept a copy).",
    )


class WebhookSigningSecret(BaseModel):
    secret: str = Field(
        description="The organisation's webhook signing secret: its receivers verify "
        "X-Skilltick-Signature with it. Each organisation has its own."
    )
    header: str = Field(default="X-Skilltick-Signature")


def user_view(user: User) -> UserView:
    return stored_view(UserView, user)


def _invitation_view(row: Invitation) -> InvitationView:
    return stored_view(InvitationView, row)


class AdminTools(ToolsetBase):
    # --- organisations: whoever runs the service (the command line) ------------------------

    def create_organisation(
        self,
        *,
        slug: str,
        name: str,
        admin_email: str,
        admin_name: str = "",
        plan: str = "free",
        timezone: str = "UTC",
    ) -> OrgSummary:
        """A new organisation with its first admin, in one step (an organisation without an
        admin could not be managed)."""
        slug = checked_slug(slug)
        name = checked_name(name, "The organisation's name")
        admin_email = checked_email(admin_email)
        admin_name = checked_name(admin_name, "The admin's name", required=False)
        if plan not in PLANS:
            raise InvalidInput(f"Unknown plan '{plan[:40]}'. Use one of: {', '.join(PLANS)}.")
        timezone = _checked_zone(timezone)
        now = self.clock()
        org = create_org(self.engine, slug=slug, name=name, now=now, plan=plan, timezone=timezone)
        admin = create_user(
            self.engine,
            org_id=org.id or 0,
            email=admin_email,
            name=admin_name,
            role="admin",
            now=now,
        )
        # made by whoever runs the service, not by a user of the organisation
        made = AuditEntry(
            org_id=org.id or 0,
            actor_user_id=None,
            action="org_create",
            at=now,
            changes={"plan": plan, "timezone": timezone, "user_id": admin.id, "role": "admin"},
        )
        audit.record(self.engine, made)
        return OrgSummary(
            id=org.id or 0, slug=slug, name=name, plan=plan, timezone=timezone, users=1
        )

    def list_organisations(self) -> list[OrgSummary]:
        return [
            OrgSummary(
                id=o.id or 0, slug=o.slug, name=o.name, plan=o.plan, timezone=o.timezone, users=n
            )
            for o, n in members.list_orgs(self.engine)
        ]

    def webhook_signing_secret(self, actor: Actor) -> WebhookSigningSecret:
        """The secret the organisation's webhook receivers verify signatures with (admins
        only): its own, derived from the service's, so no other organisation can sign for it."""
        self.admin_only(actor, "see the organisation's webhook signing secret")
        service_secret = self.settings.webhooks.signing_secret
        if not service_secret:
            raise InvalidInput(
                "Webhook outputs are not set up on this server: whoever runs it sets "
                "SKILLTICK_WEBHOOK_SIGNING_SECRET."
            )
        return WebhookSigningSecret(secret=org_signing_secret(service_secret, actor.org_id))

    # --- an organisation's users: its admins ---------------------------------------------

    def list_users(self, actor: Actor) -> list[UserView]:
        """The organisation's users (admins only)."""
        self.admin_only(actor, "list the organisation's users")
        return [user_view(u) for u in list_users(self.engine, actor.org_id)]

    def add_user(
        self, actor: Actor, *, email: str, name: str = "", role: str = "member"
    ) -> UserView:
        """Make someone a user of the organisation at once (admins only); they sign in with
        a login link (`skilltick tokens create --user EMAIL`) or through Slack."""
        self.admin_only(actor, "add users")
        email = checked_email(email)
        name = checked_name(name, "The user's name", required=False)
        role = checked_role(role)
        try:
            find_user(self.engine, actor.org_id, email)
        except NotFound:
            pass
        else:
            raise InvalidInput(f"{email} is a user of this organisation already.")
        now = self.clock()
        user = create_user(
            self.engine, org_id=actor.org_id, email=email, name=name, role=role, now=now
        )
        audit.record(self.engine, org_entry(actor, "user_add", now, user_id=user.id, role=role))
        return user_view(user)

    def find_member(self, actor: Actor, who: str | int) -> User:
        """A user of the actor's organisation by id or e-mail address."""
        if isinstance(who, int) or who.isdigit():
            user_id = check_id(int(who), "user")
            found = [u for u in list_users(self.engine, actor.org_id) if u.id == user_id]
            if not found:
                raise NotFound(f"No user #{user_id} in your organisation.")
            return found[0]
        return find_user(self.engine, actor.org_id, checked_name(who, "The e-mail address"))

    def set_user_role(self, actor: Actor, who: str | int, role: str) -> RoleChanged:
        """Make a user admin or member (admins only; the organisation keeps one admin). An
        admin made member loses the tokens they made for colleagues."""
        self.admin_only(actor, "change roles")
        role = checked_role(role)
        user = self.find_member(actor, who)
        now = self.clock()
        entry = org_entry(actor, "user_role", now)
        done = members.set_role(self.engine, actor.org_id, user.id or 0, role, now=now, audit=entry)
        return RoleChanged(**user_view(done.user).model_dump(), tokens_revoked=done.tokens_revoked)

    def remove_user(
        self, actor: Actor, who: str | int, *, heir: str | int | None = None
    ) -> RemovedUser:
        """Remove a user (admins only): their tokens and sessions end, and those they made
        for colleagues; their automations become `heir`'s (a colleague taking over their work;
        by default the removing admin's), paused, for the heir to look over and resume."""
        self.admin_only(actor, "remove users")
        user = self.find_member(actor, who)
        heir_user = self.find_member(actor, heir) if heir not in (None, "") else None
        if heir_user is not None and heir_user.id == user.id:
            raise InvalidInput(f"{user.email}'s automations cannot go to {user.email}, who leaves.")
        now = self.clock()
        removal = members.remove_user(
            self.engine,
            actor.org_id,
            user.id or 0,
            heir_id=actor.user_id if heir_user is None else heir_user.id or 0,
            now=now,
            audit=org_entry(actor, "user_remove", now),
        )
        return RemovedUser(
            email=removal.email,
            automations_moved=removal.automations_moved,
            heir_email=heir_user.email if heir_user is not None else actor.email,
            tokens_revoked=removal.tokens_revoked,
        )

    # --- invitations ---------------------------------------------------------------------

    def invite_user(
        self,
        actor: Actor,
        *,
        email: str,
        name: str = "",
        role: str = "member",
        expires_in_days: int = INVITATION_DAYS,
    ) -> IssuedInvitation:
        """E-mail someone a link that makes them a user when they open it (admins only)."""
        self.admin_only(actor, "invite users")
        email = checked_email(email)
        name = checked_name(name, "The user's name", required=False)
        role = checked_role(role)
        if not 1 <= expires_in_days <= MAX_INVITATION_DAYS:
            raise InvalidInput(f"An invitation lasts 1 to {MAX_INVITATION_DAYS} days.")
        now = self.clock()
        issued = members.create_invitation(
            self.engine,
            org_id=actor.org_id,
            email=email,
            name=name,
            role=role,
            invited_by=actor.user_id,
            now=now,
            expires_at=now + timedelta(days=expires_in_days),
            audit=org_entry(actor, "invite", now),
        )
        link = f"{self.settings.triggers.public_url.rstrip('/')}/invite/{issued.secret}"
        org = get_org(self.engine, actor.org_id)
        row = issued.invitation
        message = Message(
            subject=f"You are invited to {org.name} on skilltick",
            text=(
                f"{actor.email} invited you to {org.name} on skilltick, as {role}.\n\n"
                f"Open this link to join (it works once, until "
                f"{row.expires_at:%Y-%m-%d %H:%M} UTC):\n{link}\n"
            ),
        )
        try:
            email_channel(self.settings.smtp, self.engine).send(
                message,
                Recipient(email, name),
                message_id=f"<invitation-{row.id}@skilltick.local>",
                org_id=actor.org_id,
            )
            emailed = True
            note = (
                f"Invitation e-mailed to {email}."
                if self.settings.smtp.host
                else f"Invitation e-mail to {email} kept in the local outbox (no SMTP server "
                "is configured); give them the link."
            )
        except DeliveryError as exc:
            emailed = False
            note = f"The e-mail could not be sent ({exc.message}); give {email} the link yourself."
        return IssuedInvitation(
            **_invitation_view(row).model_dump(), link=link, emailed=emailed, note=note
        )

    def list_invitations(self, actor: Actor) -> list[InvitationView]:
        self.admin_only(actor, "see invitations")
        return [
            _invitation_view(r)
            for r in members.list_invitations(self.engine, actor.org_id, self.clock())
        ]

    def revoke_invitation(self, actor: Actor, invitation_id: int) -> None:
        self.admin_only(actor, "revoke invitations")
        check_id(invitation_id, "invitation")
        now = self.clock()
        entry = org_entry(actor, "invite_revoke", now, invitation_id=invitation_id)
        members.revoke_invitation(self.engine, actor.org_id, invitation_id, now, audit=entry)

    def invitation_for_link(self, secret: str) -> tuple[InvitationView, str]:
        """The invitation a link carries and its organisation's name, if it can be used."""
        row = members.pending_invitation(self.engine, _link_secret(secret), self.clock())
        return _invitation_view(row), get_org(self.engine, row.org_id).name

    def accept_invitation(self, secret: str) -> Actor:
        """Use an invitation: its recipient becomes a user (once); returns who they are."""
        user = members.accept_invitation(self.engine, _link_secret(secret), self.clock())
        return Actor.of(user)


def _link_secret(secret: str) -> str:
    if not secret.startswith(members.INVITE_PREFIX) or len(secret) > 100:
        raise NotFound("This invitation link is not valid; ask an admin for a new one.")
    return secret


def _checked_zone(value: str) -> str:
    value = checked_name(value, "The time zone", maximum=64)
    load_zone(value)  # an unknown zone is refused with the schedule parser's message
    return value
