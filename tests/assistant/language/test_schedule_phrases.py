"""The everyday phrasings recruiters use, each judged by its next fire times against the truth
computed from its structure (truth.py): constraints are understood, not dropped or replaced by a
default; what cannot be done yet is a question that names the words, never a wrong schedule."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from assistant.language import understand
from bench.kit.language.truth import Spec, truth

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # Monday 08:00 in Los Angeles
LA = "America/Los_Angeles"
NINE = ((9, 0),)
WEEKDAYS = (0, 1, 2, 3, 4)

UNDERSTOOD = [
    ("on the 20th of every month", Spec("monthday", NINE, monthdays=(20,))),
    ("the last day of every month", Spec("monthday", NINE, monthdays=(-1,))),
    ("at the end of every month", Spec("monthday", NINE, monthdays=(-1,))),
    ("the second to last day of the month", Spec("monthday", NINE, monthdays=(-2,))),
    ("daily at 4p", Spec("days", ((16, 0),))),
    ("the 3rd Tuesday in October", Spec("yearly_nth", NINE, days=(1,), nths=(3,), month=10)),
    ("on the 2nd and 4th Thursday", Spec("nth", NINE, days=(3,), nths=(2, 4))),
    ("on the 1st and 3rd Friday of the month", Spec("nth", NINE, days=(4,), nths=(1, 3))),
    ("on the second to last Friday of the month", Spec("nth", NINE, days=(4,), nths=(-2,))),
    ("every July 4th at 10am", Spec("yearly", ((10, 0),), month=7, monthdays=(4,))),
    ("every March 3rd", Spec("yearly", NINE, month=3, monthdays=(3,))),
    ("only on Tuesday", Spec("days", NINE, days=(1,))),
    ("every 6 days", Spec("days", NINE, interval=6)),
    ("every other minute", Spec("minutes", step=2)),
    (
        "every 10 minutes between 9am and 5pm on weekdays",
        Spec("minutes", step=10, window=(9, 17), days=WEEKDAYS),
    ),
    ("every March", Spec("monthday", NINE, monthdays=(1,), months=(3,))),
    ("at 20 past every hour", Spec("hour_at", minute=20)),
    ("Tuesdays through Fridays and Sundays", Spec("days", NINE, days=(1, 2, 3, 4, 6))),
    # an hour before a word that starts like a unit ("weekly", "weekdays") is still an hour
    ("in the morning, at 10 weekly on Thursday", Spec("days", ((10, 0),), days=(3,))),
    ("at 9 o'clock weekdays", Spec("days", NINE, days=WEEKDAYS)),
    ("the second of every month at 6pm", Spec("monthday", ((18, 0),), monthdays=(2,))),
    ("every day only in April", Spec("days", NINE, months=(4,))),
    (
        "every Monday from October until May",
        Spec("days", NINE, days=(0,), months=(10, 11, 12, 1, 2, 3, 4, 5)),
    ),
    ("every day except in August", Spec("days", NINE, months=(1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12))),
    (
        "every other quarter on the 10th",
        Spec("monthday", NINE, monthdays=(10,), unit="month", interval=6, months=(1, 4, 7, 10)),
    ),
    ("every 4 months", Spec("monthday", NINE, monthdays=(1,), unit="month", interval=4)),
    # a quarter ends on the last day of March, June, September and December
    ("at the end of each quarter", Spec("monthday", NINE, monthdays=(-1,), months=(3, 6, 9, 12))),
    (
        "on the last day of every quarter at 5pm",
        Spec("monthday", ((17, 0),), monthdays=(-1,), months=(3, 6, 9, 12)),
    ),
    ("at quarter end", Spec("monthday", NINE, monthdays=(-1,), months=(3, 6, 9, 12))),
    ("at the start of every quarter", Spec("monthday", NINE, monthdays=(1,), months=(1, 4, 7, 10))),
    ("quarterly", Spec("monthday", NINE, monthdays=(1,), months=(1, 4, 7, 10))),
    (
        "on the last Friday of each quarter",
        Spec("nth", NINE, days=(4,), nths=(-1,), months=(3, 6, 9, 12)),
    ),
    ("every Monday for 6 weeks", Spec("days", NINE, days=(0,), weeks_for=6)),
    (
        "every Friday at 4pm until the end of June",
        Spec("days", ((16, 0),), days=(4,), until=date(2026, 6, 30)),
    ),
    ("every weekday at 9 for 10 times", Spec("days", NINE, days=WEEKDAYS, count=10)),
    ("every Monday starting April 6", Spec("days", NINE, days=(0,), start=date(2026, 4, 6))),
    ("every other week on Friday", Spec("days", NINE, days=(4,), unit="week", interval=2)),
    ("at 9am and 4pm every day", Spec("days", ((9, 0), (16, 0)))),
    (
        "every 2 years on March 3",
        Spec("yearly", NINE, month=3, monthdays=(3,), unit="year", interval=2),
    ),
]


@pytest.mark.parametrize(("phrase", "spec"), UNDERSTOOD, ids=[p for p, _ in UNDERSTOOD])
def test_the_phrase_fires_when_it_says(phrase: str, spec: Spec) -> None:
    draft = understand(f"Send me my pipeline report {phrase}", tz=LA, now=NOW)
    assert draft.ok, draft.question
    assert draft.fires(NOW, 6) == truth(spec, LA, NOW, 6), draft.trigger_words()


ASKED = [
    ("every Monday in week 12", "week 12"),
    ("every Monday in 2027", "2027"),
    ("every Monday at 9 in summer", "summer"),
    ("every Monday until April", "until april"),
    ("every day except Christmas", "except"),
    ("twice a month", "twice"),
]


@pytest.mark.parametrize(("phrase", "named"), ASKED, ids=[p for p, _ in ASKED])
def test_what_cannot_be_done_yet_is_a_question_naming_the_words(phrase: str, named: str) -> None:
    draft = understand(f"Send me my pipeline report {phrase}", tz=LA, now=NOW)
    assert draft.status == "question" and draft.next_runs == []
    assert draft.question is not None and named in draft.question.lower()


@pytest.mark.parametrize(
    ("phrase", "default"),
    [("every week", "on Mondays"), ("daily", "at 09:00"), ("monthly", "on the 1st")],
)
def test_a_default_is_stated_with_an_invitation_to_change_it(phrase: str, default: str) -> None:
    draft = understand(f"Send me my pipeline report {phrase}", tz=LA, now=NOW)
    assert draft.ok
    line = next(line for line in draft.summary.splitlines() if default in line)
    assert line.startswith("I assumed") and "if you prefer" in line


def test_every_other_week_keeps_its_start_in_the_read_back() -> None:
    draft = understand("every other Friday at 10 send me my pipeline", tz=LA, now=NOW)
    assert "Every 2 weeks on Friday at 10:00, starting March 6, 2026" in draft.summary
