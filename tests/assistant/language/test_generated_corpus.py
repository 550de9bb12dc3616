"""Schedules in everyday phrasing the parser was not tuned to: a grammar writes thousands of
requests with their true fire times (bench/kit/language/phrases.py); nearly all must be
understood and almost none may come back as a confident, wrong schedule. SKILLTICK_PHRASE_SEED
samples a fresh corpus; the seed is in every failure message."""

from __future__ import annotations

import os

from bench.kit.language.corpus_score import score
from bench.kit.language.phrases import corpus, truth

SEED = int(os.environ.get("SKILLTICK_PHRASE_SEED", "5"))
SIZE = 1500


def test_generated_phrases_are_right_and_almost_never_wrong() -> None:
    result = score(SEED, SIZE)
    detail = f"seed {SEED}: {dict(result.counts)}\n" + "\n".join(result.wrong[:20])
    assert result.share("wrong") <= 0.005, detail
    assert result.share("right") >= 0.95, detail + "\n" + "\n".join(result.questions[:20])


def test_the_corpus_covers_every_kind_of_schedule_and_bound() -> None:
    phrases = corpus(SEED, 600)
    kinds = {p.spec.kind for p in phrases}
    assert kinds == {
        "days",
        "monthday",
        "nth",
        "yearly",
        "yearly_nth",
        "minutes",
        "hours",
        "hour_at",
    }
    assert any(p.spec.interval > 1 for p in phrases)
    assert any(p.spec.months for p in phrases)
    assert any(p.spec.count for p in phrases) and any(p.spec.until for p in phrases)
    assert any(p.spec.start for p in phrases) and any(p.spec.weeks_for for p in phrases)
    assert all(truth(p.spec, p.tz, p.now, 1) for p in phrases)
