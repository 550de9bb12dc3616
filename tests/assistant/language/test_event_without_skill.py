"""Being told when something happens: generated requests (each canonical event said several ways,
sent to a person, a channel, the team or a role, with and without a job or department filter, the
event before or after the output, a delay before it) read back as the event alert with the
generator's event type, filter and output; the events another skill says better keep it; an
event said with nowhere to send it asks, offering a request that reads back as the alert."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from assistant.language.understand import understand
from skills.builtin import default_registry

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
SPECS = default_registry().specs()

#: event type -> ways recruiters say it happened (after "when")
SAID: dict[str, tuple[str, ...]] = {
    "candidate.hired": ("someone is hired", "a candidate is hired", "a candidate gets hired"),
    "candidate.withdrawn": ("a candidate withdraws", "someone drops out", "a candidate pulls out"),
    "candidate.replied": ("a candidate replies", "someone writes back", "a candidate responds"),
    "candidate.rejected": ("a candidate is rejected", "someone gets rejected"),
    "interview.cancelled": ("an interview is cancelled", "a candidate cancels their interview"),
    "interview.rescheduled": ("an interview is rescheduled", "a candidate reschedules"),
    "interview.scheduled": ("an interview is scheduled", "an interview is booked"),
    "offer.created": ("an offer is made", "an offer is extended", "we make an offer"),
    "candidate.stage_changed": ("a candidate moves to Onsite", "someone reaches Final Round"),
    "interview.completed": ("an interview is completed", "an interview is over"),
}
STAGES = {"a candidate moves to Onsite": "Onsite", "someone reaches Final Round": "Final Round"}
#: how the output is said -> (channel, to)
OUTPUTS: tuple[tuple[str, str, list[str]], ...] = (
    ("post in #hiring", "slack", ["#hiring"]),
    ("slack me", "slack", ["me"]),
    ("email me", "email", ["me"]),
    ("tell me", "email", ["me"]),
    ("let me know", "email", ["me"]),
    ("email my team", "email", ["team"]),
    ("email the hiring manager", "email", ["hiring_manager"]),
    ("notify #recruiting in Slack", "slack", ["#recruiting"]),
    ("send it to lee@acme.example", "email", ["lee@acme.example"]),
    ("notify me in the app", "in_app", ["me"]),
    ("message my team on Slack", "slack", ["team"]),
)
#: a filter said after the event -> the event filter it is
FILTERS: tuple[tuple[str, dict[str, str]], ...] = (
    ("", {}),
    (" for the Backend Engineer role", {"job": "Backend Engineer"}),
    (" in the Engineering department", {"department": "Engineering"}),
)
FORMS = ("when {event}, {output}", "{output} when {event}", "{output} whenever {event}")
#: a delay said instead of "when" -> its minutes: the alert waits that long after the event
DELAYS = (("2 days after", 2880), ("an hour after", 60), ("30 minutes after", 30))


def generated() -> list[tuple[str, str, dict[str, Any], str, list[str]]]:
    """(request, event type, event filter, channel, to): every phrasing with every output, the
    filter and the form turning with them."""
    made = []
    turns = itertools.count()
    for event_type, phrasings in SAID.items():
        for phrase, (said_out, channel, to) in itertools.product(phrasings, OUTPUTS):
            n = next(turns)
            filter_words, event_filter = FILTERS[n % len(FILTERS)]
            event_filter = dict(event_filter)
            if phrase in STAGES:
                event_filter["to_stage"] = STAGES[phrase]
            form = FORMS[(n // len(FILTERS)) % len(FORMS)]
            request = form.format(event=phrase + filter_words, output=said_out)
            made.append((request, event_type, event_filter, channel, to))
    return made


def delayed() -> list[tuple[str, str, dict[str, Any], str, list[str]]]:
    """Each event said once with each delay, the outputs turning with them."""
    made = []
    outputs = itertools.cycle(OUTPUTS)
    for (event_type, phrasings), (delay, minutes) in itertools.product(SAID.items(), DELAYS):
        if event_type == "interview.completed":
            continue  # "2 days after an interview …" hangs off the interview's start
        said_out, channel, to = next(outputs)
        event_filter: dict[str, Any] = {"relative_to": "event", "offset_minutes": minutes}
        if phrasings[0] in STAGES:
            event_filter["to_stage"] = STAGES[phrasings[0]]
        request = f"{delay} {phrasings[0]}, {said_out}"
        made.append((request, event_type, event_filter, channel, to))
    return made


CASES = generated() + delayed()


def test_each_event_said_with_an_output_is_the_event_alert() -> None:
    wrong = []
    for request, event_type, event_filter, channel, to in CASES:
        draft = understand(request, tz="UTC", now=NOW, specs=SPECS)
        got = (draft.status, draft.skill, draft.event_type, draft.event_filter, draft.channel)
        if got != ("ok", "event-alert", event_type, event_filter, channel) or draft.to != to:
            wrong.append(f"{request!r}: {got} {draft.to} {draft.question or ''}")
    assert len(CASES) > 150
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize(
    ("request_text", "skill", "to"),
    [
        # another skill says these better
        ("when an offer is accepted, post in #hiring", "offer-accepted-alert", ["#hiring"]),
        ("when someone applies, post in #hiring", "new-candidate-alert", ["#hiring"]),
        ("when a candidate is rejected, send them a kind note", "candidate-note", ["candidate"]),
        (
            "after each interview, send the post-interview follow-up",
            "post-interview-followup",
            None,
        ),
        ("after each interview, email me", "post-interview-followup", ["me"]),
        ("when an interview is over, email the interviewer", "post-interview-followup", None),
        ("when a candidate moves to Interview, email them the prep pack", "interview-prep", None),
        ("30 minutes before each interview, send me a briefing", "interview-briefing", ["me"]),
        # the interviewer of an interview's event
        ("email the interviewer when an interview is cancelled", "event-alert", ["interviewer"]),
    ],
)
def test_the_events_another_skill_says_better_keep_it(
    request_text: str, skill: str, to: list[str] | None
) -> None:
    draft = understand(request_text, tz="UTC", now=NOW, specs=SPECS)
    assert (draft.status, draft.skill) == ("ok", skill), draft.question
    assert to is None or draft.to == to


def test_an_interviewer_of_an_event_about_no_interview_is_asked_about() -> None:
    draft = understand("tell the interviewer when someone is hired", tz="UTC", now=NOW, specs=SPECS)
    assert draft.status == "question"
    assert "not about one interview" in (draft.question or "")


#: said alone, a rejection or a withdrawal is the candidate's note (they are the one to tell),
#: a finished interview its follow-up
NOTED = ("candidate.rejected", "candidate.withdrawn", "interview.completed")


@pytest.mark.parametrize("event", [said[0] for kind, said in SAID.items() if kind not in NOTED])
def test_an_event_with_nowhere_to_send_it_offers_the_alert(event: str) -> None:
    draft = understand(f"when {event}", tz="UTC", now=NOW, specs=SPECS)
    assert draft.status == "question"
    question = draft.question or ""
    assert question.endswith(("?", ".")) and "\n" not in question
    offered = [s for s in re.findall(r"“([^”]+)”", question) if ", " in s]
    assert offered, question
    suggested = understand(offered[-1], tz="UTC", now=NOW, specs=SPECS)
    assert (suggested.status, suggested.skill) == ("ok", "event-alert"), suggested.question


@pytest.mark.parametrize(
    ("request_text", "scope"),
    [
        ("At the end of each month email me how many hires we made", "organization"),
        ("every Monday at 9am tell me the number of offers", "mine"),
        ("on the 1st of each month send #leadership how many people we hired", "organization"),
    ],
)
def test_how_many_hires_on_a_schedule_is_the_pipeline_report(request_text: str, scope: str) -> None:
    draft = understand(request_text, tz="UTC", now=NOW, specs=SPECS)
    assert (draft.status, draft.skill, draft.trigger_type) == ("ok", "pipeline-report", "cron")
    assert draft.params["scope"] == scope
    assert "moves into the Hired stage" in draft.summary


@pytest.mark.parametrize(
    ("request_text", "job"),
    [
        ("notify me of new applications for Backend Engineer", "Backend Engineer"),
        (
            "post new applicants for the Data Platform Engineer role in #eng",
            "Data Platform Engineer",
        ),
        ("tell me about new applications", None),
    ],
)
def test_new_applications_for_a_job_watch_that_job(request_text: str, job: str | None) -> None:
    draft = understand(request_text, tz="UTC", now=NOW, specs=SPECS)
    assert (draft.status, draft.skill, draft.event_type) == (
        "ok",
        "new-candidate-alert",
        "application.created",
    ), draft.question
    assert draft.event_filter == ({"job": job} if job else {})


def test_the_alert_named_runs_on_the_event_said_and_asks_for_one_on_a_schedule() -> None:
    named = understand("send me an event alert when someone is hired", tz="UTC", now=NOW)
    assert (named.status, named.skill, named.event_type) == ("ok", "event-alert", "candidate.hired")
    for said in ("every monday send me an event alert", "send me an event alert"):
        draft = understand(said, tz="UTC", now=NOW, specs=SPECS)
        assert draft.status == "question" and "which event" in (draft.question or ""), said
