"""Command-line administration: organisations (`orgs create|list`), the service's operators
(`operators add|remove|list`), an organisation's users (`users add|list|remove|role`) and
invitations by e-mail link (`users invite|invitations`)."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.common import (
    IdArg,
    JsonOpt,
    OrgOpt,
    UserOpt,
    acting,
    answered,
    context,
    friendly,
    out,
    said,
)
from assistant.tools.admin import tokens_revoked_words
from models.errors import InvalidInput

orgs_app = typer.Typer(no_args_is_help=True, help="Organisations (whoever runs the service).")
operators_app = typer.Typer(
    no_args_is_help=True,
    help="Who reads the whole service's /status and /metrics (whoever runs the service).",
)
users_app = typer.Typer(
    no_args_is_help=True, help="An organisation's users and invitations (its admins)."
)

EmailArg = Annotated[str, typer.Argument(help="The user's e-mail address.", show_default=False)]
RoleOpt = Annotated[str, typer.Option(help="admin | member")]
NameOpt = Annotated[str, typer.Option(help="Their name, as colleagues know them.")]


@orgs_app.command("create")
@friendly
def orgs_create(
    slug: Annotated[str, typer.Argument(help="Short id, e.g. acme (used as --org).")],
    admin: Annotated[str, typer.Option("--admin", help="The first admin's e-mail address.")],
    name: Annotated[str | None, typer.Option(help="Display name; default: the slug.")] = None,
    admin_name: Annotated[str, typer.Option(help="The first admin's name.")] = "",
    plan: Annotated[str, typer.Option(help="free | pro | enterprise")] = "free",
    tz: Annotated[str, typer.Option("--tz", help="The organisation's IANA time zone.")] = "UTC",
    as_json: JsonOpt = False,
) -> None:
    """Create an organisation and its first admin."""
    ctx = context()
    org = ctx.tools.create_organisation(
        slug=slug,
        name=slug if name is None else name,
        admin_email=admin,
        admin_name=admin_name,
        plan=plan,
        timezone=tz,
    )
    if answered(org, as_json):
        return
    out.print(
        f"Created organisation '{org.slug}' ({org.name}, {org.plan}) with admin {admin}. "
        f"Next: skilltick users invite EMAIL --org {org.slug}, or a login link with "
        f"skilltick tokens create --org {org.slug}.",
        highlight=False,
    )


@orgs_app.command("list")
@friendly
def orgs_list(as_json: JsonOpt = False) -> None:
    """Every organisation, with its plan and number of users."""
    orgs = context().tools.list_organisations()
    if answered(orgs, as_json):
        return
    if not orgs:
        out.print("No organisations yet: skilltick orgs create SLUG --admin EMAIL.")
    for o in orgs:
        out.print(f"{o.slug}  {o.name}  {o.plan}  {o.timezone}  {o.users} users", highlight=False)


@operators_app.command("add")
@friendly
def operators_add(email: EmailArg, org: OrgOpt = "demo", as_json: JsonOpt = False) -> None:
    """Make a user an operator: their token or session reads the whole service's figures."""
    view = context().tools.set_operator(org_slug=org, email=email, operator=True)
    said(
        view,
        as_json,
        f"{view.email} ({view.org}) is an operator: their API token or dashboard session reads "
        "the whole service's /status and /metrics.",
        highlight=False,
    )


@operators_app.command("remove")
@friendly
def operators_remove(email: EmailArg, org: OrgOpt = "demo", as_json: JsonOpt = False) -> None:
    """Make an operator a user like any other: their organisation's figures only."""
    view = context().tools.set_operator(org_slug=org, email=email, operator=False)
    said(
        view,
        as_json,
        f"{view.email} ({view.org}) is not an operator: they read their organisation's "
        "figures only.",
        highlight=False,
    )


@operators_app.command("list")
@friendly
def operators_list(as_json: JsonOpt = False) -> None:
    """Every operator of the service, with their organisation."""
    views = context().tools.list_operators()
    if answered(views, as_json, empty="No operators: skilltick operators add EMAIL --org SLUG."):
        return
    for v in views:
        out.print(f"{v.email}  {v.org}  {v.role}  {v.name}".rstrip(), highlight=False)


@users_app.command("list")
@friendly
def users_list(org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """The organisation's users (admins)."""
    ctx, who = acting(org, user)
    views = ctx.tools.list_users(who)
    if answered(views, as_json):
        return
    for u in views:
        out.print(f"#{u.id}  {u.email}  {u.role}  {u.name}".rstrip(), highlight=False)


@users_app.command("add")
@friendly
def users_add(
    email: EmailArg,
    org: OrgOpt = "demo",
    user: UserOpt = None,
    name: NameOpt = "",
    role: RoleOpt = "member",
    as_json: JsonOpt = False,
) -> None:
    """Make someone a user at once (they sign in with `skilltick tokens create --user EMAIL`
    or through Slack); `users invite` e-mails them a link instead."""
    ctx, who = acting(org, user)
    view = ctx.tools.add_user(who, email=email, name=name, role=role)
    if answered(view, as_json):
        return
    out.print(
        f"Added {view.email} to '{org}' as {view.role} (#{view.id}). A login link: "
        f"skilltick tokens create --org {org} --user {view.email}",
        highlight=False,
    )


@users_app.command("role")
@friendly
def users_role(
    email: EmailArg,
    role: Annotated[str, typer.Argument(help="admin | member", show_default=False)],
    org: OrgOpt = "demo",
    user: UserOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Make a user admin or member (the organisation always keeps one admin); an admin made
    member loses the tokens they made for colleagues."""
    ctx, who = acting(org, user)
    view = ctx.tools.set_user_role(who, email, role)
    revoked = tokens_revoked_words(view.tokens_revoked, view.name or view.email)
    said(view, as_json, f"{view.email} is now {view.role}" + (f"; {revoked}." if revoked else "."))


@users_app.command("remove")
@friendly
def users_remove(
    email: EmailArg,
    org: OrgOpt = "demo",
    user: UserOpt = None,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm the removal.")] = False,
    to: Annotated[
        str | None,
        typer.Option("--to", help="Who takes over their automations (default: you)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Remove a user: their tokens and sessions end; their automations become yours (or --to
    a colleague's), paused."""
    if not yes:
        raise InvalidInput(f"Removing {email} ends their access; add --yes to confirm.")
    ctx, who = acting(org, user)
    removed = ctx.tools.remove_user(who, email, heir=to)
    if answered(removed, as_json):
        return
    moved = removed.automations_moved
    whose = "yours" if removed.heir_email == who.email else f"{removed.heir_email}'s"
    many = f"{moved} automations are" if moved != 1 else "automation is"
    tail = f"; their {many} now {whose}, paused" if moved else ""
    revoked = tokens_revoked_words(removed.tokens_revoked, removed.email)
    tail += f"; {revoked}" if revoked else ""
    out.print(f"Removed {removed.email}{tail}.", highlight=False)


@users_app.command("invite")
@friendly
def users_invite(
    email: EmailArg,
    org: OrgOpt = "demo",
    user: UserOpt = None,
    name: NameOpt = "",
    role: RoleOpt = "member",
    days: Annotated[int, typer.Option(help="How long the link works (1-90 days).")] = 7,
    as_json: JsonOpt = False,
) -> None:
    """E-mail someone a link that makes them a user when they open it (once)."""
    ctx, who = acting(org, user)
    issued = ctx.tools.invite_user(who, email=email, name=name, role=role, expires_in_days=days)
    if answered(issued, as_json):
        return
    out.print(issued.note, highlight=False)
    out.print(f"Link (works once, until {issued.expires_at:%Y-%m-%d %H:%M} UTC):", highlight=False)
    print(issued.link)
    if "public_url" not in ctx.settings.triggers.model_fields_set:
        # this command does not know where `serve` listens: the link has the default address
        out.print(
            "It starts with this machine's default address: if skilltick is served elsewhere "
            "(another port or host), set SKILLTICK_PUBLIC_URL to that address and the links "
            "follow.",
            highlight=False,
        )


@users_app.command("invitations")
@friendly
def users_invitations(org: OrgOpt = "demo", user: UserOpt = None, as_json: JsonOpt = False) -> None:
    """Invitations not yet used, revoked or expired."""
    ctx, who = acting(org, user)
    views = ctx.tools.list_invitations(who)
    if answered(views, as_json):
        return
    if not views:
        out.print("No open invitations.")
    for i in views:
        out.print(
            f"#{i.id}  {i.email}  {i.role}  expires {i.expires_at:%Y-%m-%d %H:%M} UTC",
            highlight=False,
        )


@users_app.command("uninvite")
@friendly
def users_uninvite(invitation_id: IdArg, org: OrgOpt = "demo", user: UserOpt = None) -> None:
    """Revoke an invitation: its link stops working."""
    ctx, who = acting(org, user)
    ctx.tools.revoke_invitation(who, invitation_id)
    out.print(f"Revoked invitation #{invitation_id}.")
