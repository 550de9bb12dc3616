"""Tool-set methods that say who is asking: API tokens and dashboard sessions."""

from __future__ import annotations

from datetime import timedelta

from assistant.tools.audit_entries import org_entry
from assistant.tools.base import Actor, ToolsetBase
from assistant.tools.service_views import ApiTokenView, IssuedToken, LoginOffer
from assistant.tools.validation import checked_name
from models.errors import InvalidInput, PermissionDenied
from models.limits import check_id
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
from models.store.orgs import find_user, get_org, get_user
from models.tables.access import ApiToken

MIN_TOKEN_LIFE, MAX_TOKEN_LIFE = timedelta(hours=1), timedelta(days=3653)


class AccessTools(ToolsetBase):
    """Tokens and dashboard sessions: issuing, listing, revoking, and whom they belong to."""

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
        """Issue a bearer token for yourself (admins: for a colleague; it is revoked when its
        maker loses admin or leaves). The token is in the answer once; only its hash is kept."""
        name = checked_name(name, "The token's name", maximum=100)
        user = get_user(self.engine, actor.user_id)
        if user_email and user_email.lower() != actor.email.lower():
            if not actor.is_admin:
                raise PermissionDenied("Only admins can create tokens for someone else.")
            user = find_user(self.engine, actor.org_id, user_email)
            if user.operator and not actor.operator:
                # their token reads every organisation's figures: an admin acting as them
                # would make themselves an operator, which only the host may
                raise PermissionDenied(
                    f"{user.email} is an operator of the service: only they, or whoever runs "
                    "it (`skilltick tokens create --user`), can create their tokens."
                )
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
            made_by=actor.user_id,
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
