"""Where words that depend on the place of the request send the output: "here" and "this
channel" are the Slack channel the request was said in, the requester's direct messages in a
Slack DM, the app anywhere else, and the read-back says which; the verb "slack" (or "DM")
sends to an address by Slack, never by email; a bare Slack channel id is that channel."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from assistant.language import understand
from skills.builtin import default_registry

SPECS = default_registry().specs()
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
HERE = ("post it here", "in this channel", "send it here", "right here", "share it in here")
ASKED = (
    "every monday at 9am send me a summary of my pipeline, {here}",
    "{here}, every monday at 9am send me a summary of my pipeline",
    "every monday at 9am send a summary of my pipeline {here}",
)
# where the request was said: (Slack channel, the channel it came by) -> (channel, to, said)
PLACES = {
    ("C0123ABCD", "slack"): ("slack", ["C0123ABCD"], "this channel"),
    ("D0123ABCD", "slack"): ("slack", ["me"], "your direct messages with me"),
    (None, "email"): ("in_app", ["me"], "the app"),
}


def test_here_is_the_place_the_request_was_said_in() -> None:
    for (channel, via), template, here in itertools.product(PLACES, ASKED, HERE):
        request = template.format(here=here)
        draft = understand(
            request, tz="UTC", now=NOW, specs=SPECS, slack_channel=channel, default_channel=via
        )
        expected, to, said = PLACES[(channel, via)]
        assert draft.ok and (draft.channel, draft.to) == (expected, to), (request, channel)
        assert any(d.startswith(f"“{here}” is {said}") for d in draft.defaults), draft.defaults
        if channel == "C0123ABCD":
            assert "Slack message to this channel (C0123ABCD)" in draft.summary


def test_here_at_the_end_is_the_place_and_here_elsewhere_is_not() -> None:
    said = "every day at 8 send me a summary of my pipeline here"
    draft = understand(said, tz="UTC", now=NOW, specs=SPECS, slack_channel="C0HIRING1")
    assert (draft.channel, draft.to) == ("slack", ["C0HIRING1"])
    said = "here is what I want: every monday at 9 send me a summary of my pipeline"
    draft = understand(said, tz="UTC", now=NOW, specs=SPECS, slack_channel="C0HIRING1")
    assert (draft.channel, draft.to) == ("email", ["me"])


VERBS = ("slack {what} to {who}", "DM {what} to {who}", "slack {who} {what}")
WHAT = ("a summary of my pipeline", "the stale candidates")
WHO = ("bea@acme.test", "lee.ops@example.org")


def test_the_verb_slack_sends_to_an_address_by_slack() -> None:
    for verb, what, who in itertools.product(VERBS, WHAT, WHO):
        request = f"every monday at 9am {verb.format(what=what, who=who)}"
        draft = understand(request, tz="UTC", now=NOW, specs=SPECS)
        assert draft.ok and (draft.channel, draft.to) == ("slack", [who]), request
        email = f"every monday at 9am email {what} to {who}"
        assert understand(email, tz="UTC", now=NOW, specs=SPECS).channel == "email"


def test_a_bare_channel_id_is_a_slack_channel() -> None:
    for said in (
        "post a summary of my pipeline in {c} every monday at 9am",
        "every monday at 9am send a summary of my pipeline to {c}",
    ):
        for channel in ("C0123ABCD", "G9ZZ88YY77"):
            draft = understand(said.format(c=channel), tz="UTC", now=NOW, specs=SPECS)
            assert draft.ok and (draft.channel, draft.to) == ("slack", [channel]), said
