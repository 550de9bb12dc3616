"""Text as Slack shows it literally. Slack's mrkdwn treats &, < and > as control characters
(`<!channel>` pings everyone, `<https://x|label>` is a link), so they are sent as &amp;, &lt;
and &gt;; text objects are marked `verbatim` so Slack does not turn a bare "@channel" or
"#general" into a mention or a channel link either. A *, _, ~ or ` that would start or end a
bold, italic, struck or code span is sent with zero-width spaces around it, so a name such as
"Q1 *urgent* roles" is shown as typed (worker.delivery.slack_text). Bare web addresses are sent
as explicit links, since a verbatim text object does not link them by itself."""

from __future__ import annotations

import re
from typing import Any

from worker.delivery.slack_text import controls_escape, plain_marks

# a web address in escaped text: it ends before an escaped < or > and before closing punctuation
URL = re.compile(
    r"https?://(?:(?!&[lg]t;)[^\s<>|\"])*(?:(?!&[lg]t;)[^\s<>|\".,;:!?)\]\u2019\u201d])"
)


def escape(text: Any) -> str:
    """`text` with Slack's control characters escaped and its formatting marks made plain
    (see the module docstring)."""
    return plain_marks(controls_escape(str(text)))


def literal(text: Any) -> str:
    """`text` escaped, its web addresses as links (their marks as they are: a link's text is
    not formatted)."""
    escaped = controls_escape(str(text))
    links = [range(*found.span()) for found in URL.finditer(escaped)]
    return URL.sub(lambda found: f"<{found.group(0)}>", plain_marks(escaped, links))


def mrkdwn(text: str) -> dict[str, Any]:
    """A mrkdwn text object for already-escaped `text`: Slack parses nothing else in it."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def clip_literal(text: str, limit: int) -> str:
    """Escaped `text` cut to `limit` characters ending in "…", never inside an entity (&amp;)
    or a link (<https://...>), which Slack would show broken."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    opened = cut.rfind("<")
    if opened > cut.rfind(">"):
        cut = cut[:opened]
    entity = cut.rfind("&")
    if entity > cut.rfind(";"):
        cut = cut[:entity]
    return cut + "…"
