"""The event alert over the in-memory FakeAts: for every canonical event type and every record
the event can name (its candidate, application, interview or offer, as the ATS sends them), the
alert says in one sentence what happened to whom for which job, lists the ids to find it, reads
the same in text, HTML and Slack (a hostile name shown as typed, never markup), names the job's
hiring manager and the interview's interviewer as recipients, and keeps a summary of ids, job
and stage only."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from assistant.slack.report_blocks import report_blocks
from models.errors import SkillError
from skills.base import OwnerInfo, SkillContext, SkillOutput
from skills.builtin import default_registry
from skills.builtin._fmt import when
from tests.fakes.ats import FakeAts
from tests.fakes.ats_data import DANA, AtsData, sample_ats
from tests.fakes.stores import FakeHolidays
from worker.delivery.base import Message
from worker.delivery.slack import PlainLayout
from worker.triggers.canonical import CANONICAL_TYPES

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
# a name that is markup in HTML and mrkdwn alike: shown as typed, never bold nor a ping
HOSTILE_FIRST, HOSTILE_LAST = "<!channel> *Bo*", "O'Neil & <b>Co</b>"

#: what each event must say, independent of the skill's wording: {name}, {job}, {stage}
SAID = {
    "candidate.created": "{name} was added as a candidate for {job}",
    "application.created": "{name} applied for {job}",
    "candidate.stage_changed": "{name} moved to {stage} for {job}",
    "interview.scheduled": "An interview with {name} for {job} was scheduled for ",
    "interview.rescheduled": "An interview with {name} for {job} was rescheduled to ",
    "interview.cancelled": "An interview with {name} for {job} was cancelled",
    "interview.completed": "An interview with {name} for {job} took place",
    "offer.created": "An offer was made to {name} for {job}",
    "offer.accepted": "{name} accepted the offer for {job}",
    "candidate.replied": "{name} replied about {job} (stage: {stage})",
    "candidate.withdrawn": "{name} withdrew from {job} (stage: {stage})",
    "candidate.hired": "{name} was hired for {job}",
    "candidate.rejected": "{name} was rejected for {job} (stage: {stage})",
}
SUMMARY_KEYS = {"event", "candidate_id", "application_id", "interview_id", "offer_id", "job"}


def hostile_ats() -> tuple[AtsData, FakeAts]:
    data = sample_ats(NOW)
    data.candidates[0].first_name, data.candidates[0].last_name = HOSTILE_FIRST, HOSTILE_LAST
    return data, FakeAts(data)


def run(ats: FakeAts, trigger: dict[str, Any]) -> SkillOutput:
    ctx = SkillContext(
        org_id=1,
        owner=OwnerInfo(DANA, "dana@sample.test", "Dana Recruiter", "America/Los_Angeles"),
        params={},
        now=NOW,
        tz="America/New_York",
        triggered_by="event",
        last_success_at=None,
        trigger_data=trigger,
        ats=ats,
        holidays=FakeHolidays(),
        org_timezone="America/New_York",
    )
    return default_registry().get("event-alert").run(ctx)


def mrkdwn_texts(node: Any) -> list[str]:
    """Every mrkdwn text of Block Kit blocks (plain_text headers show markup as typed)."""
    if isinstance(node, list):
        return [t for item in node for t in mrkdwn_texts(item)]
    if not isinstance(node, dict):
        return []
    own = [node["text"]] if node.get("type") == "mrkdwn" else []
    return own + [t for value in node.values() for t in mrkdwn_texts(value)]


def cases() -> list[tuple[str, dict[str, Any], int, int]]:
    """(event type, its data, the candidate id, the application id): how each event names its
    record, one case per record of the sample ATS the event can be about."""
    data, _ = hostile_ats()
    found: list[tuple[str, dict[str, Any], int, int]] = []
    for event in CANONICAL_TYPES:
        if event.startswith("interview."):
            found += [
                (event, {"interview_id": str(i.id)}, i.candidate_id, i.application_id)
                for i in data.interviews
            ]
        elif event.startswith("offer."):
            found += [
                (event, {"offer_id": o.id}, o.candidate_id, o.application_id) for o in data.offers
            ]
        else:
            for app in data.applications:
                said: dict[str, Any] = {"candidate_id": str(app.candidate_id)}
                if app.id % 2:  # some ATSs name the application, some the candidate alone
                    said["application_id"] = str(app.id)
                if event == "candidate.stage_changed":
                    said["to_stage"] = app.stage
                found.append((event, said, app.candidate_id, app.id))
    return found


CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_event_is_said_in_a_sentence_fit_for_it(
    case: tuple[str, dict[str, Any], int, int],
) -> None:
    event, said, candidate_id, application_id = case
    _, ats = hostile_ats()
    trigger = {**said, "event": event, "event_id": 77, "provider": "greenhouse"}
    out = run(ats, trigger)
    candidate = ats.candidate(candidate_id)
    app = ats.application(application_id)
    name = candidate.display_name
    expected = SAID[event].format(name=name, job=app.job_title, stage=app.stage)
    assert out.subject.startswith(expected), (out.subject, expected)
    assert f"{out.subject}." in out.text
    reference = f"candidate {candidate_id}; application {application_id}"
    assert reference in out.text and "event 77 from greenhouse" in out.text
    # HTML: the name is text, never markup
    assert "<!channel>" not in out.html and "<b>Co</b>" not in out.html
    assert "&lt;!channel&gt; *Bo* O&#39;Neil &amp; &lt;b&gt;Co&lt;/b&gt;" in out.html or (
        candidate_id != 1
    )
    # Slack, with the app's layout and without: shown as typed, never a ping nor bold
    assert out.document is not None
    blocks = report_blocks(out.document) + PlainLayout().blocks(Message(out.subject, out.text))
    slack = " ".join(mrkdwn_texts(blocks))
    assert "<!channel>" not in slack and not re.search(r"(?<!\u200b)\*Bo\*", slack)
    assert "&lt;!channel&gt;" in slack or candidate_id != 1
    # the summary: ids, the job and the stage; never a name or an address
    assert set(out.summary) - {"stage"} <= SUMMARY_KEYS
    assert out.summary["event"] == event and out.summary["candidate_id"] == candidate_id
    assert out.summary["application_id"] == application_id
    flat = str(out.summary)
    assert candidate.last_name not in flat and candidate.email not in flat
    # recipients by role: the job's hiring manager, the interview's interviewer
    manager = app.hiring_manager_id
    assert (out.addressees["hiring_manager"].user_id if manager else None) == manager
    interviewer = out.addressees.get("interviewer")
    if event.startswith("interview."):
        interview = ats.interview(int(said["interview_id"]))
        assert (interviewer.user_id if interviewer else None) == interview.interviewer_id
    else:
        assert interviewer is None


@pytest.mark.parametrize("event", CANONICAL_TYPES)
def test_a_record_the_ats_no_longer_has_is_said_by_its_id(event: str) -> None:
    _, ats = hostile_ats()
    out = run(ats, {"event": event, "candidate_id": "9999", "job": "Backend Engineer"})
    assert "Candidate 9999" in out.subject and "Backend Engineer" in out.subject
    assert out.summary == {"event": event, "candidate_id": 9999, "job": "Backend Engineer"}


@pytest.mark.parametrize(
    ("trigger", "said"),
    [
        ({}, "this run has none"),
        ({"event": "candidate.teleported", "candidate_id": 1}, "unknown event"),
        ({"event": "candidate.hired"}, "names no candidate"),
    ],
)
def test_a_run_without_an_event_it_can_tell_of_says_why(trigger: dict[str, Any], said: str) -> None:
    _, ats = hostile_ats()
    with pytest.raises(SkillError, match=said):
        run(ats, trigger)


def test_every_canonical_event_has_a_sentence_and_runs_only_from_events() -> None:
    spec = default_registry().get("event-alert").spec
    assert set(SAID) == set(CANONICAL_TYPES)
    assert spec.triggers == ("event",) and set(spec.roles) == {"hiring_manager", "interviewer"}
    assert len(CASES) > 3 * len(CANONICAL_TYPES)


def test_a_rescheduling_says_the_new_time_the_event_carries() -> None:
    """The ATS's records may not have the new time yet: the event's own time is said."""
    _, ats = hostile_ats()
    new_time = "2026-12-01T15:30:00+00:00"  # 10:30 in New York
    out = run(ats, {"event": "interview.rescheduled", "interview_id": "4", "starts_at": new_time})
    assert out.subject.endswith("was rescheduled to Tue Dec 1, 10:30 AM EST")
    assert run(ats, {"event": "interview.cancelled", "interview_id": "4"}).subject.endswith(
        f"(it was set for {when(ats.interview(4).starts_at, ZoneInfo('America/New_York'))})"
    )
