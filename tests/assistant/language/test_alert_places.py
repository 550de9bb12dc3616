"""An alert of one event said with two places ("when an offer is accepted, post in #hiring and
email the hiring manager") is one alert with an output for each place, in either order: no
place is left out, and it is not a workflow."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from assistant.language.understand import understand
from skills.builtin import default_registry

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
SPECS = default_registry().specs()
EVENTS = [
    ("when an offer is accepted", "offer.accepted"),
    ("when a candidate withdraws", "candidate.withdrawn"),
    ("whenever a candidate is hired", "candidate.hired"),
    ("when an interview is cancelled", "interview.cancelled"),
]
# a place in words, and the output it is
POSTS = [("post in #hiring", "#hiring"), ("post to #recruiting", "#recruiting")]
EMAILS = [
    ("email the hiring manager", "hiring_manager"),
    ("email me", "me"),
    ("email lee@example.com", "lee@example.com"),
]


def _cases() -> list[tuple[str, str, str, str]]:
    cases = []
    for index, ((trigger, event), (post, channel), (mail, who)) in enumerate(
        itertools.product(EVENTS, POSTS, EMAILS)
    ):
        steps = (post, mail) if index % 2 else (mail, post)
        joiner = (" and ", ", and ", ", then ")[index % 3]
        cases.append((f"{trigger}, {steps[0]}{joiner}{steps[1]}", event, channel, who))
    return cases


@pytest.mark.parametrize(("request_", "event", "channel", "who"), _cases())
def test_one_alert_in_two_places(request_: str, event: str, channel: str, who: str) -> None:
    draft = understand(request_, tz="UTC", now=NOW, specs=SPECS)
    assert draft.ok, (request_, draft.question)
    assert (draft.trigger_type, draft.event_type) == ("event", event)
    assert draft.skill != "workflow" and not draft.notes, draft.summary
    outputs = sorted(
        [(draft.channel, tuple(draft.to))] + [(o["channel"], tuple(o["to"])) for o in draft.also]
    )
    assert outputs == [("email", (who,)), ("slack", (channel,))], (request_, outputs)
