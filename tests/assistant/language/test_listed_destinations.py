"""The requester listed among the places a request goes ("to me and to #hiring", "to
sam@acme.com and me", "to me, lee@acme.com") gets it too, on the output the others share
(on Slack a direct message): the generic "send me …" of a request that names a Slack channel
still gives way to the channel. Two outputs said outright (Slack and email) ask which one."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from assistant.language.understand import understand

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
# (a place, its output)
OTHERS = [("#hiring", "slack"), ("sam@acme.com", "email"), ("#recruiting-leads", "slack")]
JOINS = [
    "to me and to {other}",
    "to me and {other}",
    "to {other} and me",
    "to {other} and to me",
    "to me, {other}",
    "to {other} as well as me",
]
WHENS = ["every monday at 9", "on weekdays at 8am"]


def _cases() -> list[tuple[str, str, str]]:
    cases = []
    for index, ((other, output), join) in enumerate(itertools.product(OTHERS, JOINS)):
        where = join.format(other=other)
        when = WHENS[index % len(WHENS)]
        request = (
            f"send my pipeline summary {where} {when}"
            if index % 2
            else f"{when} send the pipeline summary {where}"
        )
        cases.append((request, other, output))
    return cases


@pytest.mark.parametrize(("request_", "other", "output"), _cases())
def test_the_requester_listed_gets_it_too(request_: str, other: str, output: str) -> None:
    draft = understand(request_, tz="UTC", now=NOW)
    assert draft.ok, (request_, draft.question)
    assert draft.channel == output
    assert sorted(draft.to) == sorted(["me", other]), request_


@pytest.mark.parametrize(
    "request_",
    [
        "send me my pipeline summary in #hiring every monday at 9",
        "every monday at 9 send me the pipeline summary on slack in #hiring",
    ],
)
def test_send_me_gives_way_to_the_channel_named(request_: str) -> None:
    draft = understand(request_, tz="UTC", now=NOW)
    assert draft.ok and draft.to == ["#hiring"], (request_, draft.question, draft.to)


def test_two_outputs_said_outright_are_both_made() -> None:
    """The schedule said after the second place is the whole request's."""
    draft = understand(
        "send my pipeline summary to #hiring and email it to me every monday at 9",
        tz="UTC",
        now=NOW,
    )
    assert draft.ok, draft.question
    assert draft.schedule is not None and draft.schedule.expression == "0 9 * * 1"
    assert (draft.channel, draft.to) == ("slack", ["#hiring"])
    assert draft.also == [{"channel": "email", "to": ["me"]}]
