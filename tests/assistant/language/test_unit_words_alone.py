"""A unit of time abbreviated ("hr", "hrs", "min", "mins") is about time only with an amount
before it: "the hr report" is a report, "a min of 3" a minimum, and neither is asked about as
part of the schedule nor rewritten; "a few hrs" left unread still is. The requests are
generated: the words around each abbreviation say whether an amount stands before it."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from assistant.language.clock_words import Text
from assistant.language.leftovers import unread_time_words
from assistant.language.understand import understand
from assistant.language.unit_words import spelled_out
from skills.builtin import default_registry

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
SPECS = default_registry().specs()
ABBREVIATIONS = ("hr", "HR", "hrs", "Hr", "min", "mins")
# an abbreviation as a word of its own: (text around it, whether an amount stands before it)
AROUND = (
    ("the {u} report", False),
    ("and the {u} team's numbers", False),
    ("with a {u} of fuss", True),  # "a" is an amount: "a hr", as "an hour"
    ("{u} stuff", False),
    ("a few {u}", True),
    ("every 3 {u}", True),
    ("several {u} later", True),
)


def test_a_unit_alone_is_no_time_word_and_with_an_amount_it_is() -> None:
    for (around, amount), unit in itertools.product(AROUND, ABBREVIATIONS):
        said = "please look at " + around.format(u=unit)
        unread = unread_time_words(Text(said))
        if amount:
            assert unread is not None and unit in unread, (said, unread)
        else:
            assert unread is None, (said, unread)
        if not any(c.isdigit() for c in said):
            assert spelled_out(said) == said  # no amount: nothing to spell out


def test_a_report_named_with_a_unit_word_is_not_asked_about() -> None:
    for unit, frame in itertools.product(
        ABBREVIATIONS,
        (
            "every monday at 9 send me the pipeline report and the {u} report",
            "every monday at 9am send me a summary of my pipeline, the {u} one",
            "send me the {u} numbers and my pipeline every friday at 4pm",
        ),
    ):
        request = frame.format(u=unit)
        draft = understand(request, tz="UTC", now=NOW, specs=SPECS)
        assert "as part of the schedule" not in (draft.question or ""), (request, draft.question)
