"""The team by words: who is in it, inviting someone, making someone admin, removing someone
(asked first, with who takes their automations), handing automations over one at a time or
all of a person's at once, and "Dana is leaving: …". Everything goes through the tool set, so
a member is refused as on every other door (one line naming the admins, as the chat already
does when asked for access) and every change is audited there."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from assistant.conversation import words
from assistant.conversation.listing import bulk_preview
from assistant.conversation.refer import resolve
from assistant.conversation.reply import Choice, Reply
from assistant.conversation.token_talk import token_said
from assistant.language.bulk_words import bulk_in_words
from assistant.language.team_words import TeamWish, team_wish
from assistant.language.teammate_words import Teammate, teammates_called
from assistant.tools.admin import tokens_revoked_words
from models.errors import InvalidInput, NotFound, PermissionDenied, SkilltickError
from models.store.orgs import list_users

if TYPE_CHECKING:
    from assistant.conversation.intents import Intent
    from assistant.tools.admin import UserView
    from assistant.tools.toolset import Actor, Toolset

# the buttons a delete asks with: removing someone is as final
CONFIRM_REMOVE = [Choice("Remove", "yes", "danger"), Choice("Keep them", "no")]
CONFIRM_HAND_OVER = [Choice("Hand over", "yes", "primary"), Choice("Keep them", "no")]
_HEIR_ANSWER = re.compile(
    r"(?:(?:give|hand)\s+(?:them|it\s+all)\s+(?:over\s+)?to\s+|(?:to|with)\s+)?(?P<who>.+?)"
    r"(?:\s+(?:takes|gets|can\s+have)\s+them)?",
    re.I,
)


def team_said(tools: Toolset, actor: Actor, state: dict[str, Any], text: str) -> Reply | None:
    """The reply to words about the team or one's tokens; None when `text` is neither."""
    wish = team_wish(text)
    if wish is None:
        return None
    before = state.get("pending")
    if wish.kind not in ("team", "tokens"):
        state["pending"] = None  # a change: a confirmation asked before no longer waits
    try:
        reply = _answered(tools, actor, state, wish)
    except PermissionDenied as exc:
        reply = Reply(_refusal(tools, actor, exc.message), "error")
    except SkilltickError as exc:
        reply = Reply(exc.message, "error")
    if reply is None:
        state["pending"] = before  # not about the team after all
    return reply


def team_answer(
    tools: Toolset,
    actor: Actor,
    state: dict[str, Any],
    pending: dict[str, Any],
    intent: Intent,
    text: str,
) -> Reply | None:
    """What a message does to the team question waiting (remove someone? hand over many?)."""
    if intent.kind in ("no", "cancel"):
        state["pending"] = None
        stays = f"; {pending['email']} stays" if pending["do"] == "remove" else ""
        return Reply(f"OK, nothing changed{stays}.", "done")
    heir = pending.get("heir", "")
    if intent.kind != "yes":
        if pending["do"] != "remove" or not (m := _HEIR_ANSWER.fullmatch(text.strip(" .!"))):
            return None
        try:
            heir = _person(tools, actor, m.group("who")).email
        except NotFound:
            return None  # no name: a new request
        except InvalidInput as exc:
            return Reply(exc.message, "error")  # two Sams: the question still waits
    state["pending"] = None
    try:
        if pending["do"] == "remove":
            return _remove(tools, actor, pending["email"], heir)
        return _hand_over_all(tools, actor, pending["ids"], pending["to"])
    except SkilltickError as exc:
        return Reply(exc.message, "error")


def _answered(tools: Toolset, actor: Actor, state: dict[str, Any], wish: TeamWish) -> Reply | None:
    if wish.kind in ("tokens", "revoke_token", "new_token"):
        return token_said(tools, actor, wish)
    if wish.kind == "leaving":
        return _leaving(tools, actor, state, wish)
    if wish.kind == "team":
        return _team(tools, actor)
    if wish.kind == "invite":
        return _invite(tools, actor, wish)
    if wish.kind == "role":
        return _role(tools, actor, wish)
    if wish.kind == "hand_over":
        return _hand_over(tools, actor, state, wish)
    if wish.kind == "hand_over_all":
        return _ask_hand_over_all(tools, actor, state, wish)
    return _ask_remove(tools, actor, state, wish)


def _person(tools: Toolset, actor: Actor, said: str) -> UserView:
    """The user `said` names (admins only: the tool set lists the team to them alone)."""
    people = tools.list_users(actor)
    found = teammates_called(said, [Teammate(u.name, u.email) for u in people])
    if not found:
        raise NotFound(f"Nobody called {said} in your organisation.")
    if len(found) > 1:
        emails = ", ".join(p.email for p in found)
        raise InvalidInput(f"Several people are called {said} ({emails}): say the address.")
    return next(u for u in people if u.email == found[0].email)


def _refusal(tools: Toolset, actor: Actor, message: str) -> str:
    admins = [u.email for u in list_users(tools.engine, actor.org_id) if u.role == "admin"]
    return f"{message.rstrip('.')}: ask {', '.join(admins) or 'an admin'}."


def _leaving(tools: Toolset, actor: Actor, state: dict[str, Any], wish: TeamWish) -> Reply | None:
    """ "Dana is leaving: pause everything of hers" is "pause everything of Dana's"."""
    if wish.rest and (then := team_wish(wish.rest)) is not None and then.kind != "leaving":
        return _answered(tools, actor, state, then)
    if wish.rest and re.match(r"(?:please\s+)?(?:pause|stop|suspend)\b", wish.rest, re.I):
        bulk_in_words(wish.rest)  # words it cannot read are refused in one line
        return bulk_preview(tools, actor, state, wish.rest)
    tools.admin_only(actor, "hand over or pause a colleague's automations")
    who = wish.who
    return Reply(
        f"Say what to do: “give {who}'s automations to Sam and remove {who}”, "
        f"“pause everything of {who}'s” or “remove {who}”.",
        "info",
    )


def _team(tools: Toolset, actor: Actor) -> Reply:
    people = tools.list_users(actor)
    said = "; ".join(
        f"{u.name} ({u.email}, {u.role})" if u.name else f"{u.email} ({u.role})" for u in people
    )
    invited = tools.list_invitations(actor)
    waiting = (
        " Invited, not yet joined: " + ", ".join(f"{i.email} ({i.role})" for i in invited) + "."
        if invited
        else ""
    )
    return Reply(f"Your team ({len(people)}): {said}.{waiting}", "list")


def _invite(tools: Toolset, actor: Actor, wish: TeamWish) -> Reply:
    said_role = wish.role.lower()
    role = "admin" if said_role in ("admin", "administrator") else "member"
    # roles are what someone may do here, not their job: "a recruiter" is a member
    aside = (
        ""
        if said_role in ("admin", "administrator", "member", "user")
        else (f" (a {wish.role} is a member here: roles are admin and member)")
    )
    issued = tools.invite_user(actor, email=wish.who, name=wish.name.strip(), role=role)
    text = f"Invited {issued.email} as {_a(role)}{aside}. {issued.note}"
    if not issued.emailed or not tools.settings.smtp.host:
        until = f"{issued.expires_at:%Y-%m-%d %H:%M} UTC"
        text += f" The link works once, until {until}: {issued.link}"
    return Reply(text, "done")


def _role(tools: Toolset, actor: Actor, wish: TeamWish) -> Reply:
    tools.admin_only(actor, "change roles")
    user = _person(tools, actor, wish.who)
    if user.role == wish.role:
        return Reply(f"{user.email} is already {_a(wish.role)}; nothing changed.", "info")
    changed = tools.set_user_role(actor, user.email, wish.role)
    revoked = tokens_revoked_words(changed.tokens_revoked, user.name or user.email)
    tail = f"; {revoked}." if revoked else "."
    return Reply(f"{user.email} is {_a(wish.role)} now{tail}", "done")


def _a(role: str) -> str:
    return f"an {role}" if role == "admin" else f"a {role}"


def _hand_over(tools: Toolset, actor: Actor, state: dict[str, Any], wish: TeamWish) -> Reply | None:
    found = resolve(wish.ref, tools.readable_automations(actor), state.get("focus"), actor.email)
    if not wish.explicit and (found.needs_focus or not found.ids):
        return None  # no automation of that name: a request, read as one
    if found.needs_focus:
        return Reply("Which automation? Say its number, e.g. “give #3 to Sam”.", "error")
    if not found.ids:
        return Reply(f"I couldn't find an automation matching “{wish.ref}”.", "error")
    if len(found.ids) > 1:
        numbers = ", ".join(f"#{n}" for n in found.ids)
        return Reply(
            f"Several automations match “{wish.ref}” ({numbers}): say which number.", "error"
        )
    before = tools.get_automation(actor, found.ids[0])
    if not actor.is_admin:  # the tool set refuses it, in its own words
        tools.update_automation(actor, before.id, {"owner_email": wish.to})
    heir = _person(tools, actor, wish.to)
    if heir.email.lower() == before.owner_email.lower():
        return Reply(f"{words.title(before)} is {heir.email}'s already; nothing changed.", "info")
    view = tools.update_automation(actor, before.id, {"owner_email": heir.email})
    return Reply(
        f"{words.title(view)} is {view.owner_email}'s now (it was {before.owner_email}'s).",
        "done",
        automation_id=view.id,
    )


def _ask_hand_over_all(
    tools: Toolset, actor: Actor, state: dict[str, Any], wish: TeamWish
) -> Reply:
    tools.admin_only(actor, "give automations to someone else")
    giver, heir = _person(tools, actor, wish.who), _person(tools, actor, wish.to)
    if giver.email == heir.email:
        return Reply(f"Those are {giver.email}'s already; nothing changed.", "info")
    theirs = tools.list_automations(actor, owner_email=giver.email)
    if not theirs:
        return Reply(f"{giver.email} has no automations; nothing changed.", "info")
    ids = [v.id for v in theirs]
    state["pending"] = {"kind": "team", "do": "hand_over_all", "ids": ids, "to": heir.email}
    numbers = ", ".join(f"#{n}" for n in ids)
    return Reply(
        f"Give {giver.email}'s {_count(ids)} ({numbers}) to {heir.email}? They keep running as "
        "they are. Say “yes” to hand them over or “no” to keep them as they are.",
        "confirm",
        choices=CONFIRM_HAND_OVER,
    )


def _hand_over_all(tools: Toolset, actor: Actor, ids: list[int], to: str) -> Reply:
    for automation_id in ids:
        tools.update_automation(actor, automation_id, {"owner_email": to})
    numbers = ", ".join(f"#{n}" for n in ids)
    return Reply(f"Handed {_count(ids)} to {to} ({numbers}).", "done")


def _count(ids: list[int]) -> str:
    return "1 automation" if len(ids) == 1 else f"{len(ids)} automations"


def _ask_remove(
    tools: Toolset, actor: Actor, state: dict[str, Any], wish: TeamWish
) -> Reply | None:
    if not actor.is_admin:
        named = teammates_called(
            wish.who, [Teammate(u.name, u.email) for u in list_users(tools.engine, actor.org_id)]
        )
        if not wish.explicit and not named:
            return None  # "remove friday": not about the team
        tools.admin_only(actor, "remove users")
    try:
        user = _person(tools, actor, wish.who)
    except NotFound:
        if not wish.explicit:
            return None
        raise
    focus = state.get("focus")
    if not wish.explicit and focus is not None and _sends_to(tools, actor, focus, user.email):
        return None  # "remove sam" of the automation that sends to Sam: a recipient
    heir = _person(tools, actor, wish.to).email if wish.to else ""
    if user.email == actor.email:
        raise InvalidInput("You cannot remove yourself; another admin can.")
    theirs = tools.list_automations(actor, owner_email=user.email)
    state["pending"] = {"kind": "team", "do": "remove", "email": user.email, "heir": heir}
    ends = f"Remove {user.email} from the team? Their tokens and sessions end at once"
    if not theirs:
        text = f"{ends}; they have no automations. Say “yes” to remove them or “no” to keep them."
    elif heir:
        text = (
            f"{ends}, and their {_count([v.id for v in theirs])} {_go(theirs)} to {heir}, paused "
            "for them to look over. Say “yes” to remove them or “no” to keep them."
        )
    else:
        text = (
            f"{ends}. Who takes their {_count([v.id for v in theirs])} (paused, to look over)? "
            f"Say who ({_example(tools, actor, user.email)}), “yes” to take them yourself, or "
            f"“no” to keep {user.email}."
        )
    return Reply(text, "confirm", choices=CONFIRM_REMOVE)


def _example(tools: Toolset, actor: Actor, leaving: str) -> str:
    """A colleague who could take them over, as the answer would name them: “Sam”."""
    others = [u for u in tools.list_users(actor) if u.email not in (leaving, actor.email)]
    if not others:
        return "a name"
    return f"“{others[0].name.split()[0] if others[0].name else others[0].email}”"


def _sends_to(tools: Toolset, actor: Actor, automation_id: int, email: str) -> bool:
    try:
        view = tools.get_automation(actor, automation_id)
    except SkilltickError:
        return False
    return email.lower() in (r.lower() for r in view.to)


def _remove(tools: Toolset, actor: Actor, email: str, heir: str) -> Reply:
    removed = tools.remove_user(actor, email, heir=heir or None)
    text = f"Removed {removed.email} from the team: their tokens and sessions ended"
    if removed.tokens_revoked:
        text += f" ({tokens_revoked_words(removed.tokens_revoked, 'they')})"
    if not removed.automations_moved:
        return Reply(f"{text}.", "done")
    whose = "yours" if removed.heir_email == actor.email else f"{removed.heir_email}'s"
    moved = _count(list(range(removed.automations_moved)))
    are = "is" if removed.automations_moved == 1 else "are"
    return Reply(f"{text}, and their {moved} {are} {whose} now, paused.", "done")


def _go(theirs: list[Any]) -> str:
    return "goes" if len(theirs) == 1 else "go"
