"""Text as Slack shows it literally. Slack's mrkdwn treats &, < and > as control characters
(`<!channel>` pings everyone, `<https://x|label>` is a link), so they are sent as &amp;, &lt;
and &gt;; text objects are marked `verbatim` so Slack does not turn a bare "@channel" or
"#general" into a mention or a channel link either. Bare web addresses are sent as explicit
links, since a verbatim text object does not link them by itself."""

from __future__ import annotations

import re
from typing import Any

# a web address in escaped text: it ends before an escaped < or > and before closing punctuation
URL = re.compile(
    r"https?://(?:(?!&[lg]t;)[^\s<>|\"])*(?:(?!&[lg]t;)[^\s<>|\".,;:!?)\]\u2019\u201d])"
)


def escape(text: Any) -> str:
    """`text` with Slack's control characters escaped (see the module docstring)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def literal(text: Any) -> str:
    """`text` escaped, its web addresses as links."""
    return URL.sub(lambda found: f"<{found.group(0)}>", escape(text))


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
