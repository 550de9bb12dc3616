"""A request naming several steps on one event reads as one workflow: its actions in the order
said, each as the generator that wrote the request knows it, whatever joins the steps and
wherever the trigger is said; a step no action can do is named and left out, and a request
with no step an action can do reads as before."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime
from typing import Any

import pytest

from assistant.language.step_edits import workflow_changes
from assistant.language.teammate_words import Teammate
from assistant.language.understand import understand
from models.tables.automations import Automation
from skills.actions import parse_action_specs

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
PEOPLE = [Teammate("Sam Sourcer", "sam@acme.test")]
NAME = "{{ candidate.name }}"

# (leading words, trailing words or None, event type, filters)
TRIGGERS: list[tuple[str, str | None, str, dict[str, Any]]] = [
    ("When a candidate reaches Offer", "when a candidate reaches Offer",
     "candidate.stage_changed", {"to_stage": "Offer"}),
    ("when a candidate moves to Interview for the Data Engineer job", None,
     "candidate.stage_changed", {"to_stage": "Interview", "job": "Data Engineer"}),
    ("Whenever an interview is scheduled", "whenever an interview is scheduled",
     "interview.scheduled", {}),
    ("When someone applies", "each time someone applies", "application.created", {}),
    ("Once an offer is accepted", "as soon as an offer is accepted", "offer.accepted", {}),
    ("2 days after a candidate is rejected", None, "candidate.rejected",
     {"relative_to": "event", "offset_minutes": 2880}),
]  # fmt: skip


def _email(to: str, subject: str | None = None) -> dict[str, Any]:
    """An email step; subject None: the notice of the event (checked apart)."""
    return {"type": "send_email", "to": to, "subject": subject}


def _task(title: str, days: int = 1, assignee: str = "owner") -> dict[str, Any]:
    return {"type": "create_task", "title": f"{title} for {NAME}", "due_in_days": days,
            "assignee": assignee}  # fmt: skip


def _field(name: str, value: str) -> dict[str, Any]:
    return {"type": "update_field", "entity": "application", "field": name, "value": value}


# each step as said, and the action it is
STEPS: list[tuple[str, dict[str, Any]]] = [
    ("email the hiring manager", _email("hiring_manager")),
    ("notify the hiring manager", _email("hiring_manager")),
    ("email me saying “Check the offer letter”", _email("owner", "Check the offer letter")),
    ("let Sam know", _email("sam@acme.test")),
    ("email ops@acme.test about the signed paperwork", _email("ops@acme.test",
                                                              "The signed paperwork")),
    ("email the candidate saying “We will be in touch this week”",
     _email("candidate", "We will be in touch this week")),
    ("create a task to prepare the contract", _task("Prepare the contract")),
    ("add a task for the candidate's owner to book the references due in 3 days",
     _task("Book the references", 3, "candidate_owner")),
    ("create a to-do to check the budget due in 2 weeks", _task("Check the budget", 14)),
    ("set their priority to high", _field("priority", "high")),
    ("mark them as high priority", _field("priority", "high")),
]  # fmt: skip
JOINERS = [" and ", ", then ", ", and then ", " then ", "; ", ", ", " and also "]
# steps no action can do, each with what its note must name
UNDOABLE = [
    ("create a task for the hiring manager to sign", "not the hiring manager"),
    ("notify Robin", "who “Robin” is"),
    ("email the candidate", "without its message"),
    ("update the salary band", "can't do “update the salary band”"),
]
# steps that are a skill's work rather than an action
SKILL_STEPS = ["post it in #hiring", "send them the prep pack", "email them the prep pack"]


def _cases(count: int, seed: int) -> list[tuple[int, tuple[str, ...], list[int], bool]]:
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        trigger = rng.randrange(len(TRIGGERS))
        steps = rng.sample(range(len(STEPS)), rng.choice((2, 2, 3)))
        trailing = TRIGGERS[trigger][1] is not None and rng.random() < 0.3
        joiners = tuple(rng.choice(JOINERS) for _ in steps[1:])
        cases.append((trigger, joiners, steps, trailing))
    return cases


def _request(trigger: int, joiners: tuple[str, ...], steps: list[int], trailing: bool) -> str:
    said = [STEPS[i][0] for i in steps]
    body = said[0] + "".join(j + s for j, s in zip(joiners, said[1:], strict=True))
    lead, trail, _, _ = TRIGGERS[trigger]
    return f"{body} {trail}" if trailing and trail else f"{lead}, {body}"


def _check_actions(got: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    assert len(got) == len(expected)
    for action, want in zip(got, expected, strict=True):
        if want["type"] == "send_email":
            assert (action["type"], action["to"]) == ("send_email", want["to"]), action
            if want["subject"] is None:  # the event's notice, naming the candidate
                assert NAME in action["subject"] and NAME in action["body"], action
            else:
                assert action["subject"] == want["subject"], action
        else:
            assert action == want
    parse_action_specs("workflow", "actions", got)  # creating it accepts them as they are


@pytest.mark.parametrize(("trigger", "joiners", "steps", "trailing"), _cases(60, 11))
def test_several_steps_read_as_one_workflow(
    trigger: int, joiners: tuple[str, ...], steps: list[int], trailing: bool
) -> None:
    request = _request(trigger, joiners, steps, trailing)
    draft = understand(request, tz="UTC", now=NOW, people=PEOPLE)
    assert draft.ok, f"{request!r}: {draft.question}"
    _, _, event_type, filters = TRIGGERS[trigger]
    assert (draft.skill, draft.trigger_type, draft.event_type) == (
        "workflow", "event", event_type), request  # fmt: skip
    assert draft.event_filter == filters, request
    _check_actions(draft.params["actions"], [STEPS[i][1] for i in steps])
    lines = draft.summary.splitlines()
    assert [ln.split(":")[0] for ln in lines if ln.startswith("- Step")] == [
        f"- Step {n}" for n in range(1, len(steps) + 1)
    ], draft.summary
    assert not any(ln.startswith(("- Output", "Note:")) for ln in lines), draft.summary
    assert draft.as_json()["output"] == {"channel": "noop", "to": []}


@pytest.mark.parametrize(
    ("undoable", "trigger", "position"),
    [(u, t, p) for u, t, p in itertools.product(range(len(UNDOABLE)), (0, 2, 4), (0, 1))],
)
def test_a_step_no_action_can_do_is_named_and_the_others_offered(
    undoable: int, trigger: int, position: int
) -> None:
    said, named = UNDOABLE[undoable]
    doable = [STEPS[6], STEPS[9]]  # a task and a priority
    steps = [s for s, _ in doable]
    steps.insert(position, said)
    request = f"{TRIGGERS[trigger][0]}, " + ", ".join(steps[:-1]) + " and " + steps[-1]
    draft = understand(request, tz="UTC", now=NOW, people=PEOPLE)
    assert draft.ok and draft.skill == "workflow", f"{request!r}: {draft.question}"
    _check_actions(draft.params["actions"], [a for _, a in doable])
    notes = [ln for ln in draft.summary.splitlines() if ln.startswith("Note:")]
    assert len(notes) == 1 and named in notes[0] and "left out" in notes[0], draft.summary


@pytest.mark.parametrize(
    ("skill_step", "trigger", "position"),
    list(itertools.product(range(len(SKILL_STEPS)), (0, 2, 4), (0, 1, 2))),
)
def test_no_step_is_dropped_silently(skill_step: int, trigger: int, position: int) -> None:
    """With a step that is a skill's work, each step said is either done (the skill, or an
    action of the workflow) or named in a note as left out."""
    said = SKILL_STEPS[skill_step]
    doable = [STEPS[6], STEPS[9]]
    steps = [s for s, _ in doable]
    steps.insert(position, said)
    lead = TRIGGERS[trigger][0]
    request = f"{lead}, " + ", ".join(steps[:-1]) + " and " + steps[-1]
    draft = understand(request, tz="UTC", now=NOW, people=PEOPLE)
    assert draft.ok, f"{request!r}: {draft.question}"
    notes = [ln for ln in draft.summary.splitlines() if ln.startswith("Note:")]
    actions = draft.params.get("actions") or []
    alone = understand(f"{lead}, {said}", tz="UTC", now=NOW)
    for step, action in [*doable, (said, None)]:
        done = action in actions or (step == said and draft.skill == alone.skill)
        named = [n for n in notes if f"“{step}”" in n and "left out" in n]
        assert done != bool(named), (request, step, draft.summary)


@pytest.mark.parametrize("trigger", range(len(TRIGGERS)))
def test_no_doable_step_reads_as_before(trigger: int) -> None:
    request = f"{TRIGGERS[trigger][0]}, post it in #hiring and send them the prep pack"
    draft = understand(request, tz="UTC", now=NOW)
    assert draft.skill != "workflow", draft.summary


def test_one_step_alone() -> None:
    """A single step in words of its own becomes a workflow; telling someone what happened,
    with no words of its own, is the event alert."""
    said = 'When a candidate reaches Offer, email the hiring manager "prepare the offer letter"'
    draft = understand(said, now=NOW)
    assert draft.ok and draft.skill == "workflow" and len(draft.params["actions"]) == 1
    alert = understand("When a candidate reaches Offer, email the hiring manager", now=NOW)
    assert (alert.skill, alert.to) == ("event-alert", ["hiring_manager"])
    assert understand("when a candidate is hired, email me", now=NOW).skill == "event-alert"
    prep = understand("when an interview is scheduled email the candidate the prep pack", now=NOW)
    assert prep.skill == "interview-prep"


SCHEDULES = [("every monday at 9", "0 9 * * 1"), ("every weekday at 8am", "0 8 * * 1-5"),
             ("each day at 7pm", "0 19 * * *")]  # fmt: skip
FIRST_OUTPUTS = [("send my pipeline summary to me", "email", ["me"]),
                 ("email me a summary of my pipeline", "email", ["me"]),
                 ("post my pipeline summary in #recruiting", "slack", ["#recruiting"])]  # fmt: skip
SECOND_OUTPUTS = [("post it in #hiring", "slack", ["#hiring"]),
                  ("slack it to me", "slack", ["me"]),
                  ("email it to sam@acme.test as well", "email", ["sam@acme.test"]),
                  ("put it in the app too", "in_app", ["me"])]  # fmt: skip
OUTPUT_JOINERS = [" and ", ", then ", " and also ", "; ", ", and "]


@pytest.mark.parametrize(
    ("schedule", "first", "second"),
    list(itertools.product(range(len(SCHEDULES)), range(len(FIRST_OUTPUTS)),
                           range(len(SECOND_OUTPUTS)))),
)  # fmt: skip
def test_one_report_to_two_places(schedule: int, first: int, second: int) -> None:
    """Through another channel, a second output is one more automation of the same report
    and schedule; through the same channel, one more recipient."""
    said_when, cron = SCHEDULES[schedule]
    said_first, channel, to = FIRST_OUTPUTS[first]
    said_second, channel2, to2 = SECOND_OUTPUTS[second]
    joiner = OUTPUT_JOINERS[(schedule + first + second) % len(OUTPUT_JOINERS)]
    request = f"{said_when} {said_first}{joiner}{said_second}"
    draft = understand(request, tz="UTC", now=NOW)
    assert draft.ok and draft.skill == "pipeline-report", f"{request!r}: {draft.question}"
    assert draft.schedule is not None and draft.schedule.expression == cron, request
    lines = draft.summary.splitlines()
    if channel2 == channel:
        assert (draft.channel, draft.to, draft.also) == (channel, [*to, *to2], []), request
        assert lines[-1] == "Confirm to activate?"
    else:
        assert (draft.channel, draft.to) == (channel, to), request
        assert draft.as_json()["also"] == [{"channel": channel2, "to": to2}], request
        assert sum(ln.startswith("- Also: ") for ln in lines) == 1, draft.summary
        assert lines[-1] == "Confirm to activate both?", draft.summary


DUE_SAID = ["make the task due in {n} {u}", "the task due in {n} {u}", "due in {n} {u}",
            "change it so the task is due in {n} {u}", "set it to be due within {n} {u}"]  # fmt: skip


@pytest.mark.parametrize(("said", "weeks"), itertools.product(DUE_SAID, (False, True)))
def test_a_task_s_due_date_changes_and_nothing_else(said: str, weeks: bool) -> None:
    draft = understand("When a candidate reaches Offer, email me saying “Offer” and create a "
                       "task to prepare the contract", tz="UTC", now=NOW)  # fmt: skip
    auto = Automation(org_id=1, owner_id=1, name="w", skill="workflow", params=draft.params,
                      trigger_type="event", event_type=draft.event_type,
                      event_filter=draft.event_filter, created_at=NOW, updated_at=NOW)  # fmt: skip
    amount = 1 + (len(said) % 5)
    text = said.format(n=amount, u="weeks" if weeks else "days")
    changes = workflow_changes(auto, text, NOW)
    assert set(changes) == {"params"}, (text, changes)
    email, task = changes["params"]["actions"]
    assert email == draft.params["actions"][0]
    assert task == {**draft.params["actions"][1], "due_in_days": amount * (7 if weeks else 1)}
