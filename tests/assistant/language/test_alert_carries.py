"""The event alert says what happened; it carries no document. A request asking for one ("email
the hiring manager their resume") is never read as the alert, which would drop the document
without a word: it gets a question or a skill that has it, and the same request without the
document is the alert."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from assistant.language.understand import understand
from skills.builtin import default_registry

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
SPECS = default_registry().specs()
EVENTS = ("when a candidate moves to Onsite", "when someone is hired",
          "when an interview is cancelled", "when a candidate withdraws")  # fmt: skip
SENDS = ("email the hiring manager {thing}", "send me {thing}", "email sam@example.com {thing}")
THINGS = ("their resume", "the CV", "the scorecard", "the offer letter", "their cover letter",
          "the candidate's profile", "the interview notes", "the contract")  # fmt: skip


def test_a_document_asked_for_is_never_dropped_into_an_alert() -> None:
    for event, send, thing in itertools.product(EVENTS, SENDS, THINGS):
        asked = f"{event}, {send.format(thing=thing)}"
        draft = understand(asked, tz="UTC", now=NOW, specs=SPECS)
        assert draft.skill != "event-alert", asked
        plain = f"{event}, {send.format(thing='').strip()}"
        assert understand(plain, tz="UTC", now=NOW, specs=SPECS).skill == "event-alert", plain
