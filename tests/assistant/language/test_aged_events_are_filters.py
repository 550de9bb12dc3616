"""An event said in the past with an age, in a clause about the candidates listed ("who applied
over 30 days ago", "that moved to Offer more than 10 days ago"), says which candidates are
listed, never an event to run on: with a schedule named and the stage said again ("and are
still in Applied"), the automation runs on that schedule and lists the candidates waiting that
long in the stage the event put them in; without it, the question names that stage. Verbs,
stages, ages, schedules and word orders are generated; the stage, the wait and the runs each
one means are known from the generator (the business days a span holds counted on a calendar)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from assistant.language.understand import understand
from skills.builtin import default_registry
from worker.schedule.parse import next_fires, parse_schedule

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
TZ = "Europe/London"
SPECS = default_registry().specs()
SCHEDULES = [
    ("every Monday at 9am", "0 9 * * 1"),
    ("every weekday at 8:30", "30 8 * * 1-5"),
    ("each Friday at 4pm", "0 16 * * 5"),
    ("on Tuesdays and Thursdays at 10am", "0 10 * * 2,4"),
]
# the event said, and the stage it puts a candidate in
EVENTS = [
    ("applied", "Applied"),
    ("have applied", "Applied"),
    ("moved to Offer", "Offer"),
    ("moved to the Interview stage", "Interview"),
    ("entered Screen", "Screen"),
    ("reached Offer", "Offer"),
    ("were moved to screening", "Screen"),
    ("got to Interview", "Interview"),
]
COMPARISONS = ("over", "more than", "at least", "")
UNITS = {"day": 1, "week": 7}


def _business_days(days: int) -> int:
    """The business days `days` calendar days hold, counted on a calendar: the mean over the
    seven weekdays a span may start on, rounded."""
    held = [sum(1 for d in range(days) if (start + d) % 7 < 5) for start in range(7)]
    return max(1, round(sum(held) / 7))


def _cases(seed: int, count: int) -> list[tuple[str, str, str, int]]:
    pick = random.Random(seed)
    cases = []
    for n in range(count):
        said, stage = EVENTS[n % len(EVENTS)]
        when, cron = SCHEDULES[n % len(SCHEDULES)]
        unit = pick.choice(list(UNITS))
        amount = pick.randrange(2, 40) if unit == "day" else pick.randrange(1, 6)
        comparison = pick.choice(COMPARISONS)
        age = f"{comparison} {amount} {unit}{'s' if amount > 1 else ''} ago".strip()
        pronoun = pick.choice(("who", "that"))
        still = pick.choice((f" and are still in {stage}", f", still in {stage}"))
        listed = f"candidates {pronoun} {said} {age}{still}"
        request = pick.choice(
            (f"{when} send me {listed}", f"send me {listed} {when}", f"{when}, email me {listed}")
        )
        cases.append((request, cron, stage, _business_days(amount * UNITS[unit])))
    return cases


def test_an_aged_event_lists_the_candidates_waiting_in_its_stage() -> None:
    for request, cron, stage, business_days in _cases(13, 48):
        draft = understand(request, tz=TZ, now=NOW, specs=SPECS)
        assert draft.ok, (request, draft.summary)
        assert draft.trigger_type == "cron" and draft.schedule is not None, request
        expected = next_fires(parse_schedule(cron=cron, tz=TZ), NOW, 6)
        assert next_fires(draft.schedule, NOW, 6) == expected, request
        assert draft.skill == "stale-candidate-sla", (request, draft.summary)
        assert draft.params["stage"] == stage and draft.params["measure"] == "stage", request
        assert draft.params["business_days"] == business_days, (request, draft.params)
        # the read-back says what is listed
        action = next(line for line in draft.summary.splitlines() if line.startswith("- Action"))
        assert f"only those in {stage}" in action, action
        assert "since they entered their current stage" in action, action
        assert f"waiting {business_days} business day" in action, action


def test_without_still_in_the_stage_it_asks_naming_the_stage_never_a_trigger() -> None:
    for request, _, stage, _ in _cases(5, 16):
        other = "Screen" if stage != "Screen" else "Offer"
        for said in (
            request.replace(f" and are still in {stage}", "").replace(f", still in {stage}", ""),
            request.replace(f"still in {stage}", f"still in {other}"),
        ):
            draft = understand(said, tz=TZ, now=NOW, specs=SPECS)
            question = draft.question or ""
            assert not draft.ok and "says which ones, not when it runs" in question, said
            assert not question.startswith("Should it run each time"), said
            if "still in" not in said:
                assert f"still waiting in {stage} (say “… and are still in {stage}”)" in question
