""" "Remind me to <do something>" is a reminder whose text is the task, even when the task names
what a report is about ("review the sourcing list", "look at the pipeline", "go through the
hiring metrics"): the report is what to do, not what to send. Only the skills that themselves
remind of work due ("follow up with candidates", "check renewals") are asked for so, and a
request that asks to be sent the report gets the report. Tasks, schedules and word orders are
generated; the text and the runs each one means are known from the generator."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from assistant.language.understand import understand
from skills.builtin import default_registry
from worker.schedule.parse import next_fires, parse_schedule

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
TZ = "Europe/London"
SPECS = default_registry().specs()
SCHEDULES = [
    ("every Tuesday at 10am", "0 10 * * 2"),
    ("every weekday at 8:30", "30 8 * * 1-5"),
    ("on Fridays at 4pm", "0 16 * * 5"),
    ("each Monday at 9am", "0 9 * * 1"),
]
VERBS = ("review", "look at", "go through", "update", "clean up", "check", "read")
# what reports are about, as a task names them
OBJECTS = (
    "the sourcing list",
    "the pipeline",
    "my pipeline summary",
    "the hiring metrics",
    "the open roles",
    "the new applicants",
    "the sourcing recap",
    "the interview prep notes",
    "the hiring report",
)
ORDERS = ("remind me {when} to {task}", "{when}, remind me to {task}", "remind me to {task} {when}")


def test_a_task_naming_a_report_is_the_reminders_text() -> None:
    tasks = [f"{verb} {thing}" for verb, thing in itertools.product(VERBS, OBJECTS)]
    for n, task in enumerate(tasks):
        when, cron = SCHEDULES[n % len(SCHEDULES)]
        request = ORDERS[n % len(ORDERS)].format(when=when, task=task)
        draft = understand(request, tz=TZ, now=NOW, specs=SPECS)
        assert draft.ok and draft.skill == "reminder", (request, draft.summary)
        assert draft.params["message"] == task, (request, draft.params)
        assert draft.schedule is not None
        expected = next_fires(parse_schedule(cron=cron, tz=TZ), NOW, 5)
        assert next_fires(draft.schedule, NOW, 5) == expected, request
        assert f"a reminder: “{task}” (reminder)" in draft.summary


def test_asked_to_be_sent_or_a_skill_that_reminds_is_not_a_reminder() -> None:
    for request, skill in (
        ("remind me every Monday at 9am to follow up with candidates", "followups"),
        ("remind me every month to check renewals", "renewal-reminders"),
        (
            "remind me every Monday at 9am to prepare standup: send me my pipeline",
            "pipeline-report",
        ),
        ("every Tuesday at 10am send me the sourcing recap", "sourcing-recap"),
    ):
        draft = understand(request, tz=TZ, now=NOW, specs=SPECS)
        assert draft.ok and draft.skill == skill, (request, draft.summary)


def test_a_time_around_each_interview_said_after_remind_me_is_the_trigger() -> None:
    """ "remind me 2 hours after each interview to …" runs on each interview, as "2 hours
    after each interview, remind me to …" does: the offset is the generator's."""
    for n, (amount, unit, side) in enumerate(
        itertools.product((2, 30, 1), ("hours", "minutes"), ("before", "after"))
    ):
        minutes = amount * (60 if unit == "hours" else 1)
        task = ("write up my notes", "read the CV", "submit the scorecard")[n % 3]
        said = f"{amount} {unit} {side} each interview"
        for request in (f"remind me {said} to {task}", f"{said}, remind me to {task}"):
            draft = understand(request, tz=TZ, now=NOW, specs=SPECS)
            assert draft.ok and draft.trigger_type == "event", (request, draft.summary)
            offset = (draft.event_filter or {}).get("offset_minutes")
            assert offset == (minutes if side == "after" else -minutes), (request, offset)
