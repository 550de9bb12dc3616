"""What a person wrote, read from a Slack message event as they saw it.

Slack sends a message's text in its own markup: &, < and > as &amp;, &lt; and &gt;; a person
as <@U123>, a channel as <#C123|hiring>, an address the client linked as
<mailto:bea@acme.test|bea@acme.test> or <https://example.com|example.com>, @here as <!here>, a
user group as <!subteam^S1|@recruiters>. The conversation reads the words the writer saw: the
bot's own mention goes, a person is their skilltick name (the words a request names a colleague
by), a channel its #name, a link its address."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# one <...> of Slack's markup: its target, and the label after "|" when there is one
MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
ENTITY = re.compile(r"&(amp|lt|gt);")
ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
# a message of these subtypes is still a person writing: a thread reply also sent to the
# channel, a message with files attached
WRITTEN = frozenset({"thread_broadcast", "file_share"})
LEADING_MENTION = re.compile(r"\s*<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")

# the words a mentioned Slack user is spoken of by; None for the bot itself (or another bot)
Person = Callable[[str], str | None]


def is_written(event: dict[str, Any]) -> bool:
    """A message a person wrote (not a bot's, an edit or a deletion)."""
    subtype = event.get("subtype")
    return bool(event.get("user")) and not event.get("bot_id") and subtype in (None, *WRITTEN)


def addressed_to_another(text: str, bot: str | None) -> bool:
    """A message that opens with someone else's mention ("@Hank does 8am work for you?"):
    in a thread the bot talks in, that is one person talking to another."""
    opening = LEADING_MENTION.match(text)
    return opening is not None and opening.group(1) != bot


def plain_text(text: str, *, bot: str | None, person: Person) -> str:
    """`text` in Slack's markup as its writer saw it (see the module docstring), its runs of
    white space as one space."""

    def seen(found: re.Match[str]) -> str:
        target, label = found.group(1), found.group(2) or ""
        if target.startswith("@"):
            user = target[1:]
            if user == bot:
                return " "
            said = person(user)
            return " " if said is None else said or label or user
        if target.startswith("#"):
            # a channel whose name the event leaves out stays its id: no wrong name is guessed
            return f"#{label}" if label else target[1:]
        if target.startswith("!"):
            # a user group or a date has its label; @here, @channel and @everyone have none
            return label or "@" + target[1:].split("^")[0]
        if target.startswith("mailto:"):
            return target.removeprefix("mailto:")
        return target  # a link: its address, which a webhook output is named by

    decoded = MARKUP.sub(seen, text)
    return " ".join(ENTITY.sub(lambda e: ENTITIES[e.group(1)], decoded).split())
