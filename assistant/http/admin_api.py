"""REST administration under /api/admin for an organisation's admins: its users (list, add,
change role, remove) and invitations by e-mail link. Their own organisation only; members are
refused (403), like every admin action of the tool set.

The endpoints are defined by _router, which imports FastAPI; their annotations are evaluated
there (no postponed annotations), so FastAPI reads real types."""

from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request

from assistant.app import AppContext
from assistant.http.api_edge import (
    ERROR_RESPONSES,
    Deleted,
    api_route,
    caller,
    record_id,
    tools,
)
from assistant.tools.admin import (
    MAX_INVITATION_DAYS,
    InvitationView,
    IssuedInvitation,
    RemovedUser,
    RoleChanged,
    UserView,
    WebhookSigningSecret,
)
from assistant.tools.toolset import Actor

if TYPE_CHECKING:
    from fastapi import APIRouter, FastAPI

Role = Field(default="member", pattern="^(admin|member)$", description="admin or member.")


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=320)
    name: str = Field(default="", max_length=200)
    role: str = Role


class RoleChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: str = Field(pattern="^(admin|member)$", description="admin or member.")


class InvitationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=320)
    name: str = Field(default="", max_length=200)
    role: str = Role
    expires_in_days: int = Field(default=7, ge=1, le=MAX_INVITATION_DAYS)


def _router() -> "APIRouter":
    from fastapi import APIRouter, Query

    Id = Annotated[int, record_id()]
    Me = Annotated[Actor, caller()]
    Heir = Annotated[
        str | None,
        Query(max_length=320, description="Who takes over their automations (default: you)."),
    ]

    router = APIRouter(
        prefix="/api/admin", route_class=api_route(), responses=ERROR_RESPONSES, tags=["admin"]
    )

    @router.get("/users", response_model=list[UserView])
    def list_users(request: Request, me: Me) -> list[UserView]:
        """The organisation's users."""
        return tools(request).list_users(me)

    @router.post("/users", response_model=UserView, status_code=201)
    def add_user(request: Request, me: Me, body: UserCreate) -> UserView:
        """Make someone a user of the organisation at once."""
        return tools(request).add_user(me, email=body.email, name=body.name, role=body.role)

    @router.patch("/users/{user_id}", response_model=RoleChanged)
    def change_role(request: Request, me: Me, user_id: Id, body: RoleChange) -> RoleChanged:
        """Make a user admin or member; the organisation always keeps one admin. An admin
        made member loses the tokens they made for colleagues (`tokens_revoked`)."""
        return tools(request).set_user_role(me, user_id, body.role)

    @router.delete("/users/{user_id}", response_model=RemovedUser)
    def remove_user(request: Request, me: Me, user_id: Id, heir: Heir = None) -> RemovedUser:
        """Remove a user: their tokens and sessions end, and those they made for colleagues
        (`tokens_revoked`); their automations become yours (or `heir`'s: a colleague's e-mail
        address), paused."""
        return tools(request).remove_user(me, user_id, heir=heir)

    @router.get("/invitations", response_model=list[InvitationView])
    def list_invitations(request: Request, me: Me) -> list[InvitationView]:
        """Invitations not yet used, revoked or expired."""
        return tools(request).list_invitations(me)

    @router.post("/invitations", response_model=IssuedInvitation, status_code=201)
    def invite(request: Request, me: Me, body: InvitationCreate) -> IssuedInvitation:
        """E-mail someone a link that makes them a user when they open it, once, before it
        expires. The link is in the answer once."""
        return tools(request).invite_user(
            me,
            email=body.email,
            name=body.name,
            role=body.role,
            expires_in_days=body.expires_in_days,
        )

    @router.delete("/invitations/{invitation_id}", response_model=Deleted)
    def revoke_invitation(request: Request, me: Me, invitation_id: Id) -> Deleted:
        """Revoke an invitation: its link stops working."""
        tools(request).revoke_invitation(me, invitation_id)
        return Deleted(deleted=1)

    @router.get("/webhook-secret", response_model=WebhookSigningSecret)
    def webhook_secret(request: Request, me: Me) -> WebhookSigningSecret:
        """The secret the organisation's webhook receivers verify X-Skilltick-Signature with;
        each organisation has its own."""
        return tools(request).webhook_signing_secret(me)

    return router


def install(app: "FastAPI", ctx: AppContext) -> None:
    app.include_router(_router())
