"""Scoring understanding on generated phrases: right (the fire times the structure says), question
(asked instead of guessing) or wrong (a confident schedule that fires at other times)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.language import understand
from bench.kit.language.phrases import Phrase, corpus
from bench.kit.language.truth import truth


@dataclass
class Score:
    seed: int
    counts: Counter[str] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def share(self, what: str) -> float:
        return self.counts[what] / max(1, self.total)


def judge(phrase: Phrase, count: int = 5) -> tuple[str, str]:
    draft = understand(phrase.text, tz=phrase.tz, now=phrase.now)
    if not draft.ok:
        return "question", f"{phrase.text!r}: {draft.question}"
    if draft.fires(phrase.now, count) == truth(phrase.spec, phrase.tz, phrase.now, count):
        return "right", ""
    return "wrong", (
        f"{phrase.text!r} in {phrase.tz} at {phrase.now:%Y-%m-%d %H:%M}Z read as "
        f"{draft.trigger_words()!r}"
    )


def score(seed: int, size: int) -> Score:
    return score_phrases(seed, corpus(seed, size))


def score_phrases(seed: int, phrases: Iterable[Phrase]) -> Score:
    """Right / question / wrong over `phrases` (from the corpus of `seed`, maybe reworded)."""
    return tally(seed, (judge(phrase) for phrase in phrases))


def tally(seed: int, verdicts: Iterable[tuple[str, str]]) -> Score:
    """The Score of (verdict, detail) pairs, keeping the details of the wrong and the asked."""
    result = Score(seed)
    for verdict, detail in verdicts:
        result.counts[verdict] += 1
        if verdict == "wrong":
            result.wrong.append(detail)
        elif verdict == "question":
            result.questions.append(detail)
    return result
