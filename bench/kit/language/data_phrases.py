"""Generated requests whose *what* places the data in time ("send me yesterday's pipeline report
every day at 9", "... the sourcing recap for the last 24 hours"): a phrase of phrases.py with a
data-window phrase put into the words saying what to do. The schedule, and so the true fire
times, stay those of the phrase's structure."""

from __future__ import annotations

import random
from dataclasses import replace

from bench.kit.language.phrases import Phrase, corpus

# said after what is asked for
AFTER_WHAT = (
    "from yesterday",
    "for the last 24 hours",
    "in the past week",
    "over the last 7 days",
    "since the last report",
    "since yesterday",
    "covering the previous 3 days",
    "of the past fortnight",
    "from the last 2 weeks",
    "in the last day",
    "that came in yesterday",
    "I have today",
    "we've got on tomorrow",
    "scheduled for tomorrow",
    "added this week",
    "happening today",
    "for today",
    "for the day ahead",
)
# said in place of the determiner of what is asked for ("send me today's pipeline report")
POSSESSIVES = (
    "today's",
    "today\u2019s",
    "yesterday's",
    "this week's",
    "last week's",
    "the past 24 hours'",
    "this month's",
    "tomorrow's",
    "the previous 3 days'",
    "the day's",
)


def with_window(phrase: Phrase, rng: random.Random) -> Phrase:
    """`phrase` with a data-window phrase in its request words."""
    what = phrase.request
    if rng.random() < 0.5:
        changed = f"{what} {rng.choice(AFTER_WHAT)}"
    else:
        words = what.split(" ")
        at = next(i for i, w in enumerate(words) if w in ("my", "the", "a"))
        changed = " ".join([*words[:at], rng.choice(POSSESSIVES), *words[at + 1 :]])
    return replace(phrase, text=phrase.text.replace(what, changed, 1), request=changed)


def data_corpus(seed: int, size: int) -> list[tuple[Phrase, Phrase]]:
    """`size` pairs (phrase, the same phrase with a data window), reproducible from `seed`."""
    rng = random.Random(seed)
    return [(p, with_window(p, rng)) for p in corpus(seed, size)]
