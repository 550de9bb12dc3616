"""Words of where an output goes that need the place the request was said in, or that Slack
writes: "post it here", "in this channel" (the Slack channel the request came from; in a
direct message or elsewhere, the requester); "slack it to bea@acme.test" (the verb says Slack:
a direct message to the person with that address); a bare channel id, "C0123ABCD", as Slack
sends a channel mention that has no name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.language.clock_words import Text

_HERE = re.compile(
    r"\b(?:in|to|into|on)\s+(?:this|the\s+current|our)\s+(?:channel|conversation|chat|thread)\b"
    r"|\b(?:post|send|put|share|drop|deliver|give|show|leave)\s+(?:it|them|this|that|those|"
    r"these|me)?\s*(?:in\s+|over\s+|right\s+)?here\b|\b(?:in|right)\s+here\b"
    r"|(?<!^)\bhere(?=[\s.!]*$)"  # "send me a summary of my pipeline here"
    r"|^here(?=\s+instead[\s.!]*$)"  # said as a change
)
#: "slack it to bea@…", "DM the summary to sam": the verb says a Slack direct message
SLACK_VERB = re.compile(
    r"\b(?:slack|dm|direct[- ]message)\s+(?:it|this|that|them|these|those|a|an|the|my|our)\b"
    r"|\b(?:slack|dm|direct[- ]message)\b(?=\s+[\w.+-]+@[\w-]+\.)"
)
# a Slack channel's id, as Slack writes a mention of a channel with no name (<#C0123ABCD|>)
# (a digit among its capitals: "CANDIDATES" is a word)
CHANNEL_ID = re.compile(r"(?<![\w#@./-])[CG](?=[A-Z]*\d)[A-Z0-9]{8,11}(?![\w@.-])")
# the channel a request was said in, as Slack names it (a direct message's starts with D)
_SAID_IN = re.compile(r"[CG][A-Z0-9]{6,}")


@dataclass(frozen=True, slots=True)
class Here:
    """Where "here" is: a channel and an addressee, and how the read-back says it."""

    channel: str
    to: str
    said: str

    @staticmethod
    def of(slack_channel: str | None, default_channel: str) -> Here:
        """In a Slack channel (its id): that channel; in a Slack direct message: the
        requester's; anywhere else: the requester in the app."""
        if slack_channel and _SAID_IN.fullmatch(slack_channel):
            return Here("slack", slack_channel, "this channel")
        if default_channel == "slack":
            return Here("slack", "me", "your direct messages with me on Slack")
        return Here("in_app", "me", "the app: an in-app notification to you")


def take_here(text: Text) -> str | None:
    """The words saying "here", taken out of the working text; None when there are none."""
    m = _HERE.search(text.low)
    if m is None:
        return None
    text.take(m)
    return text.raw[m.start() : m.end()]


def take_channel_ids(text: Text) -> list[str]:
    """The Slack channel ids the request names, taken out of the working text."""
    found = []
    for m in list(CHANNEL_ID.finditer(text.raw)):
        if text.low[m.start() : m.end()] == m.group(0).lower():
            found.append(m.group(0))
            text.take(m)
    return found
