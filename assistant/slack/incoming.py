"""What a person wrote, read from a Slack message event as they saw it.

Slack sends a message's text in its own markup: &, < and > as &amp;, &lt; and &gt;; a person
as <@U123>, a channel as <#C123|hiring>, an address the client linked as
<mailto:bea@acme.test|bea@acme.test> or <https://example.com|example.com>, @here as <!here>, a
user group as <!subteam^S1|@recruiters>; formatting as *bold*, _italic_, ~struck~ and `code`;
emoji as :tada:. The conversation reads the words the writer saw: the bot's own mention goes, a
person is their skilltick name (the words a request names a colleague by), a channel its #name,
a link its address, a formatted span its words (a struck one nothing), an emoji nothing (a lone
thumbs up "yes")."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

HELD = "\ue000"  # marks where a piece of markup waits while the formatting goes


def _span(mark: str) -> re.Pattern[str]:
    """A span between two `mark`s, as Slack formats it: the marks at the edges of words."""
    m = re.escape(mark)
    return re.compile(rf"(?<![\w{m}]){m}(?=\S)(.+?)(?<=\S){m}(?![\w{m}])", re.S)


SPANS = [_span("```"), _span("`"), _span("*"), _span("_")]
STRUCK = _span("~")
# emoji as Slack writes them (:tada:, :+1::skin-tone-2:); not a time such as 9:30:
EMOJI = re.compile(r"(?<![\w:])(?::[a-z0-9_'+-]*[a-z+][a-z0-9_'+-]*:)+(?![\w:])")
YES_EMOJI = ("+1", "thumbsup", "white_check_mark", "heavy_check_mark", "ok_hand", "ok")
NO_EMOJI = ("-1", "thumbsdown", "x", "no_entry_sign")
ANSWER_EMOJI = {
    name: word for names, word in ((YES_EMOJI, "yes"), (NO_EMOJI, "no")) for name in names
}
EMOJI_NAME = re.compile(r":([^:\s]+):")
# one <...> of Slack's markup: its target, and the label after "|" when there is one
MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
ENTITY = re.compile(r"&(amp|lt|gt);")
ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
# a message of these subtypes is still a person writing: a thread reply also sent to the
# channel, a message with files attached
WRITTEN = frozenset({"thread_broadcast", "file_share"})
# a message opening with a person, a user group or @here / @channel / @everyone
LEADING_MENTION = re.compile(r"\s*<(?:@([UW][A-Z0-9]+)|!(?:here|channel|everyone|subteam\^))")

# the words a mentioned Slack user is spoken of by; None for the bot itself (or another bot)
Person = Callable[[str], str | None]


def is_written(event: dict[str, Any]) -> bool:
    """A message a person wrote (not a bot's, an edit or a deletion)."""
    subtype = event.get("subtype")
    return bool(event.get("user")) and not event.get("bot_id") and subtype in (None, *WRITTEN)


def rewritten(event: dict[str, Any]) -> dict[str, Any] | None:
    """The message a person's edit (message_changed) made of theirs, when its words changed
    (Slack sends one too when it attaches a link's preview); None for any other event."""
    if event.get("subtype") != "message_changed":
        return None
    now, before = event.get("message") or {}, event.get("previous_message") or {}
    if not is_written(now) or now.get("text") == before.get("text"):
        return None
    return now


def for_the_bot(text: str, bot: str | None) -> bool:
    """Whether a reply in the bot's thread is for the bot to answer as a message: not when it
    mentions the bot (its app_mention event answers it), nor when it opens with someone else's
    mention ("@Hank does 8am work for you?", "@here the 8am works": people talking to people)."""
    if bot and (f"<@{bot}>" in text or f"<@{bot}|" in text):
        return False
    return LEADING_MENTION.match(text) is None


def plain_text(text: str, *, bot: str | None, person: Person) -> str:
    """`text` in Slack's markup as its writer saw it (see the module docstring), its runs of
    white space as one space."""

    def seen(found: re.Match[str]) -> str:
        target, label = found.group(1), found.group(2) or ""
        if target.startswith("@"):
            user = target[1:]
            if user == bot:
                return ""
            said = person(user)
            return "" if said is None else said or label or user
        if target.startswith("#"):
            # a channel whose name the event leaves out stays its id: no wrong name is guessed
            return f"#{label}" if label else target[1:]
        if target.startswith("!"):
            # a user group or a date has its label; @here, @channel and @everyone have none
            return label or "@" + target[1:].split("^")[0]
        if target.startswith("mailto:"):
            return target.removeprefix("mailto:")
        return target  # a link: its address, which a webhook output is named by

    # the markup is set aside while the formatting goes: an address may hold a "_" or "*"
    kept: list[str] = []

    def aside(found: re.Match[str]) -> str:
        said = seen(found)
        if not said.strip():
            return " "  # the bot's own mention: nothing said ("@skilltick :+1:" is a yes)
        kept.append(said)
        return f"{HELD}{len(kept) - 1}{HELD}"

    words = unformatted(MARKUP.sub(aside, text))
    words = re.sub(rf"{HELD}(\d+){HELD}", lambda held: kept[int(held.group(1))], words)
    return " ".join(ENTITY.sub(lambda e: ENTITIES[e.group(1)], words).split())


def unformatted(text: str) -> str:
    """`text` without Slack's formatting: a bold, italic or code span is its words, a struck
    one is gone (its writer crossed it out), an emoji says nothing, and a message of nothing
    but a thumbs up or a check mark is a "yes" (a thumbs down or a cross, a "no")."""
    text = STRUCK.sub(" ", text)
    for span in SPANS:
        text = span.sub(lambda found: found.group(1), text)
    answer = None
    if not EMOJI.sub("", text).strip():
        said = {ANSWER_EMOJI[n] for n in EMOJI_NAME.findall(text) if n in ANSWER_EMOJI}
        answer = said.pop() if len(said) == 1 else None
    return answer or EMOJI.sub(" ", text)
