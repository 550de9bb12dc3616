"""The question asked when a request says when but not what to do: the alert of the event it
named, the reports to choose from, or a candidate's note sent elsewhere."""

from __future__ import annotations

from assistant.language.draft import event_words
from assistant.language.event_words import EventFacts
from assistant.language.what_words import OutputFacts, SkillFacts

WHAT_THEN = "What should it do then?"


def what_to_do(events: EventFacts, skill: SkillFacts, output: OutputFacts) -> str:
    if events.event_type:
        # the event alert tells of any event: offered as a request that reads back as a draft
        said = event_words(events.event_type, events.filters)
        when = f"{said[0].lower()}{said[1:]}"
        alert = f"“{when}, {_where(output)}” (an alert saying what happened)"
        if events.event_type == "candidate.stage_changed":
            return f"What should happen then: for example “email them the prep pack”, or {alert}?"
        if "candidate" in output.to:
            return (
                "What should the candidate get then? Notes go to candidates on a rejection, a "
                f"withdrawal or an application; to hear of it yourself, say {alert}."
            )
        return f"What should happen then? For example {alert}."
    if skill.vague:
        return (
            "Which report would you like: a summary of your pipeline "
            "(pipeline-report), a sourcing recap (sourcing-recap) or the hiring "
            "report (scheduled-report)?"
        )
    return WHAT_THEN + (
        " For example send you a summary of your pipeline, or list candidates nobody has "
        "contacted for 5 days."
    )


def note_elsewhere(events: EventFacts, output: OutputFacts) -> str | None:
    """A candidate's note sent to someone else: None when the candidate is among them, else
    the question (a recruiter who wants to hear of a rejection has no skill for it yet)."""
    if "candidate" in output.to:
        return None
    said = event_words(events.event_type or "", events.filters) if events.event_type else ""
    when = f"{said[0].lower()}{said[1:]}, " if said else ""
    return (
        f"A note is for the candidate: shall they get it (“{when}send them a kind note”), or "
        f"should it be an alert saying what happened (“{when}{_where(output)}”)?"
        if said
        else "That note is for the candidate: shall I email it to them?"
    )


def _where(output: OutputFacts) -> str:
    """The output the request named, as words a new request can use."""
    places = [t for t in output.to if t.startswith("#")]
    if "team" in output.to:
        return "message my team on Slack" if output.channel == "slack" else "email my team"
    if output.channel == "slack" and places:
        return f"post in {places[0]}"
    if output.channel == "slack":
        return "message me on Slack"
    return "email me"
