"""Text as Slack shows it literally, for the Slack channel and the Slack app alike.

Slack's mrkdwn reads &, < and > as control characters (`<!channel>` pings everyone), so they
are sent as &amp;, &lt; and &gt;. It also reads *bold*, _italic_, ~struck~ and `code` spans: a
mark opens a span at a word's start (after a space, a punctuation mark or the line's start) and
closes one at a word's end. Mrkdwn has no escape for them, so a mark that could open or close a
span gets a zero-width space on each side: it is shown as typed, and no longer
touches a word. Marks inside a word (send_email) or between spaces (a cron's "* * *") cannot
format anything and are left as they are, so such text copies back exactly."""

from __future__ import annotations

from collections.abc import Iterable

MARKS = "*_~`"
ZWSP = "\u200b"


def _edge(char: str | None) -> bool:
    """A span's mark may stand next to this on its outer side: nothing, a space or punctuation
    (the marks included: "_*bold italic*_"); not a letter, a digit or a zero-width space."""
    return char is None or char.isspace() or (not char.isalnum() and char != ZWSP)


def _could_format(text: str, i: int) -> bool:
    """Whether the mark at `i` could open a span (an edge before it, a non-space after) or
    close one (a non-space before, an edge after). Whether a partner follows is not asked:
    texts escaped apart are often joined into one line."""
    before = text[i - 1] if i else None
    after = text[i + 1] if i + 1 < len(text) else None
    opens = _edge(before) and after is not None and not after.isspace()
    closes = before is not None and not before.isspace() and _edge(after)
    return opens or closes


def plain_marks(text: str, keep: Iterable[range] = ()) -> str:
    """`text` with every mrkdwn mark that would format shown as typed instead; marks within
    the `keep` ranges (a link Slack shows as it is) stay untouched."""
    if not any(mark in text for mark in MARKS):
        return text
    kept = {i for span in keep for i in span}
    return "".join(
        f"{ZWSP}{c}{ZWSP}" if c in MARKS and i not in kept and _could_format(text, i) else c
        for i, c in enumerate(text)
    )


def escape(text: str) -> str:
    """`text` as Slack shows it literally: control characters escaped, formatting marks made
    plain (see the module docstring)."""
    return plain_marks(controls_escape(text))


def controls_escape(text: str) -> str:
    """`text` with &, < and > as Slack's entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
