"""Your own API tokens by words: "what tokens do I have?", "revoke my token called laptop".
A token is never made in the chat: it is a password, shown once, and a conversation (a Slack
DM above all) keeps every word it shows, so the reply points to the dashboard's Tokens page,
where a new token is shown once and nowhere kept."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.conversation.reply import Reply

if TYPE_CHECKING:
    from assistant.language.team_words import TeamWish
    from assistant.tools.service_views import ApiTokenView
    from assistant.tools.toolset import Actor, Toolset


def token_said(tools: Toolset, actor: Actor, wish: TeamWish) -> Reply:
    if wish.kind == "new_token":
        return Reply(
            "I don't make tokens in the chat: a token is a password, and the chat keeps what it "
            f"shows. Make one on the dashboard's Tokens page ({_page(tools)}); it is shown once "
            "there.",
            "info",
        )
    mine = _mine(tools, actor)
    if wish.kind == "tokens":
        if not mine:
            return Reply(
                f"You have no API tokens; the Tokens page ({_page(tools)}) makes one.", "info"
            )
        listed = "; ".join(_said(t) for t in mine)
        return Reply(f"Your tokens ({len(mine)}): {listed}.", "list")
    return _revoked(tools, actor, wish.name, mine)


def _revoked(tools: Toolset, actor: Actor, name: str, mine: list[ApiTokenView]) -> Reply:
    if number := re.fullmatch(r"#?(\d+)", name):
        token_id = int(number.group(1))  # by number: the tool set says whose it is
        tools.revoke_api_token(actor, token_id)
        return Reply(f"Revoked token #{token_id}: whatever used it is refused from now on.", "done")
    named = [t for t in mine if t.name.lower() == name.lower()]
    if not named:
        return Reply(
            f"You have no token called “{name}”; “what tokens do I have?” lists them.", "error"
        )
    if len(named) > 1:
        numbers = ", ".join(f"#{t.id}" for t in named)
        return Reply(
            f"You have {len(named)} tokens called “{name}” ({numbers}): say “revoke token "
            f"#{named[0].id}”.",
            "error",
        )
    token = named[0]
    tools.revoke_api_token(actor, token.id)
    return Reply(
        f"Revoked your token #{token.id} “{token.name}”: whatever used it is refused from now on.",
        "done",
    )


def _mine(tools: Toolset, actor: Actor) -> list[ApiTokenView]:
    """The actor's own tokens (an admin's listing holds everyone's)."""
    return [t for t in tools.list_api_tokens(actor) if t.user_email.lower() == actor.email.lower()]


def _said(token: ApiTokenView) -> str:
    used = f"last used {token.last_used_at:%Y-%m-%d}" if token.last_used_at else "never used"
    ends = f", expires {token.expires_at:%Y-%m-%d}" if token.expires_at else ""
    return f"#{token.id} “{token.name}” ({token.hint}…, {used}{ends})"


def _page(tools: Toolset) -> str:
    return f"{tools.settings.triggers.public_url.rstrip('/')}/tokens"
