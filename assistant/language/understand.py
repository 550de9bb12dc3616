"""Understanding a request without an LLM: the rules of the other modules in a fixed order,
then one decision: a draft the requester confirms, or one clarifying question. It never guesses
silently: every default it applies is stated in the summary."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime

from assistant.language.alert_words import (
    HIRES_NOTE,
    alert_question,
    applied_filter,
    asks_hires,
    told_skill,
)
from assistant.language.cadence import cadence_params, oftener_than_daily
from assistant.language.calendar_rules import When
from assistant.language.clock_words import Text
from assistant.language.data_words import blank, data_skill, data_spans, fit_window, window_of
from assistant.language.draft import Draft, event_words
from assistant.language.event_words import (
    EventFacts,
)
from assistant.language.holiday_words import NO_HOLIDAYS_HERE, take_holiday_words
from assistant.language.leftovers import without_week_rate
from assistant.language.listed_reports import second_report_note
from assistant.language.notes import dst_notes
from assistant.language.output_steps import understand_outputs
from assistant.language.place_words import Here
from assistant.language.reminder_words import find_reminder
from assistant.language.reminders import understand_reminder
from assistant.language.report_words import fit_report
from assistant.language.request_reading import (
    Reading,
    object_notes,
    read_rest,
    read_schedule,
    unlisted_question,
)
from assistant.language.role_words import role_question
from assistant.language.said_params import fit_said_params, take_declared
from assistant.language.teammate_words import Teammate
from assistant.language.unit_words import spelled_out
from assistant.language.unkept_filters import fit_listed_stage, stage_skill, unkept_filter_notes
from assistant.language.unwatched import unwatched_question
from assistant.language.what_to_do import note_elsewhere, what_to_do
from assistant.language.what_words import OutputFacts, SkillFacts, read_output, read_skill
from assistant.language.workflow_draft import understand_steps
from models.clock import utc
from skills.param_words import SpecsBySkill
from worker.schedule.parse import Schedule, parse_schedule

# given the schedule (None for events) or a poll interval, a plan-limit note or None
PlanCheck = Callable[[Schedule | None, int | None], str | None]

EXAMPLE = "for example “Every Monday at 9am, send me a summary of my pipeline”"
_CRON = re.compile(r"\bcron\s*(?:expression\s*)?[:=]?\s*[`'\"]?((?:[^\s`'\"]+\s+){4}[^\s`'\"]+)")
# skills that watch for a condition: with no schedule named they check each weekday morning
_WATCHERS = ("stale-candidate-sla", "followups", "renewal-reminders")
# skills whose output is for the candidate: sent to them unless the request says otherwise
_TO_CANDIDATE = ("interview-prep", "candidate-note")
# what the read-back of a candidate note promises: each is true of the running skill
NOTE_PROMISES = (
    "it goes out within the candidate's working hours (their time zone, else your "
    "organisation's; one due outside them waits for their next working morning), once per "
    "application even if the ATS reports the event twice; a test run shows it to you only."
)


def understand(
    request: str,
    *,
    tz: str = "UTC",
    now: datetime,
    default_channel: str = "email",
    plan_check: PlanCheck | None = None,
    people: Sequence[Teammate] = (),
    specs: SpecsBySkill | None = None,
    slack_channel: str | None = None,
) -> Draft:
    """Read `request` as said by someone in time zone `tz` at `now` (aware); `people`: the
    organisation's users, whom names the request sends to are looked up among; `specs` (the
    caller's SkillRegistry.specs()) say how the skills' params read in the summary. Several
    steps on one event ("email the hiring manager and create a task") make one workflow.
    `slack_channel`: the Slack channel the request was said in, which "here" means."""
    here = Here.of(slack_channel, default_channel)

    def alone(said: str) -> Draft:
        return _understand_one(
            said,
            tz=tz,
            now=now,
            default_channel=default_channel,
            plan_check=plan_check,
            people=people,
            specs=specs,
            here=here,
        )

    def read_trigger(said: str) -> tuple[EventFacts | None, str, bool]:
        return read_event_trigger(said, tz, now)

    request, skips_holidays = take_holiday_words(without_week_rate(spelled_out(request)))
    plain = alone(request)
    plain = understand_outputs(request, plain, read_alone=alone, people=people)
    drafted = understand_steps(
        request, plain, read_trigger=read_trigger, read_alone=alone, people=people
    )
    return with_holidays_skipped(drafted) if skips_holidays else drafted


def with_holidays_skipped(draft: Draft) -> Draft:
    """`draft` asked to skip the organisation's holidays: a repeating schedule does; any other
    trigger is a question (a one-off on a holiday would never run)."""
    if not draft.ok:
        return draft
    schedule = draft.schedule
    if draft.trigger_type != "cron" or schedule is None or schedule.kind == "once":
        return _ask(draft, NO_HOLIDAYS_HERE)
    draft.skip_holidays = True
    draft.write_summary()
    return draft


def read_event_trigger(said: str, tz: str, now: datetime) -> tuple[EventFacts | None, str, bool]:
    """A trigger said alone ("when a candidate reaches Offer"): its event (None when its
    words are unclear), its time zone, and whether it also names a schedule."""
    reading = read_rest(Text(said), tz, utc(now), None)
    if reading.question:
        return None, tz, False
    return reading.events, reading.tz, reading.when.schedule is not None


def _understand_one(
    request: str,
    *,
    tz: str,
    now: datetime,
    default_channel: str,
    plan_check: PlanCheck | None,
    people: Sequence[Teammate],
    specs: SpecsBySkill | None,
    here: Here | None = None,
) -> Draft:
    """The request read as one skill's automation, or one question."""
    now = utc(now)
    draft = Draft(request=request, tz=tz, specs=specs or {})
    text = Text(request.strip())
    if not re.search(r"[a-z]{2}", text.low) or unwatched_question(request):
        said = f"What would you like to automate? Tell me in a sentence, {EXAMPLE}"
        return _ask(draft, unwatched_question(request) or said)
    cron_match = text.pop(_CRON)
    if (reminder := find_reminder(text, tz, now)) is not None:
        return understand_reminder(
            draft,
            text,
            reminder,
            now=now,
            default_channel=default_channel,
            cron=cron_match,
            plan_check=plan_check,
            people=people,
        )
    declared = take_declared(text, draft.specs)
    output = read_output(text, people, here)
    about = _without(request, output.people_spans)
    reading, windows = None, []
    if spans := data_spans(text):
        # time words about the data say what a repeating report covers: read without them,
        # the request must still repeat for them to be taken so
        trial = read_schedule(blank(text, spans), tz, now, cron_match)
        if trial.repeats:
            reading, windows = trial, [window_of(text, m) for m in spans]
        elif trial.timeless and _names_skill(about, trial):
            # its only time words place the data: when it runs is still to be said
            said = window_of(text, spans[0]).said
            return _ask(
                draft,
                f"When should it run? “{said}” says what each run covers; tell me how often, "
                "for example “every weekday at 8am”.",
            )
    if reading is None:
        reading = read_schedule(text, tz, now, cron_match)
    events, when, draft.tz = reading.events, reading.when, reading.tz
    condition_days, business, condition_question = reading.condition
    zone_question = reading.zone_question
    if reading.question:
        return _ask(draft, reading.question)
    offset = events.filters.get("offset_minutes") if events.relative else None
    read = read_skill(
        about,
        condition_days=condition_days,
        business_days=business,
        event_type=events.event_type,
        relative_offset=offset,
        stage=reading.stage.stage if reading.stage else None,
        hint=data_skill(about) if windows and not events.event_type else None,
    )
    # "show me who's stuck in Offer": the stale-candidate list
    asks = output.mentioned or when.schedule is not None
    chosen = stage_skill(read, reading.listed, events.event_type, asks)
    skill = told_skill(events, read, output, about)
    question = _first_question(
        events,
        when,
        output,
        skill,
        (zone_question, condition_question),
        bool(condition_days) or condition_question is not None,
        draft.specs,
    )
    question = question or alert_question(skill.skill, events.event_type, output.to)
    if question is None and "team" in output.to and output.channel == "webhook":
        question = (
            "A webhook posts to one URL, not to people: to reach your team, say “email my "
            "team” or name a Slack channel."
        )
    if question:
        return _ask(draft, unlisted_question(question, reading))
    assert skill.skill is not None
    draft.skill, draft.params = skill.skill, skill.params
    draft.channel = output.channel or default_channel
    draft.to = output.to or (["candidate"] if skill.skill in _TO_CANDIDATE else ["me"])
    draft.names = output.names
    draft.defaults.extend(_where_said(draft, output))
    if events.event_type:
        draft.trigger_type = "event"
        draft.event_type, draft.event_filter = events.event_type, events.filters
    elif when.schedule is None and skill.skill == "new-candidate-alert":
        draft.trigger_type = "event"
        draft.event_type = "application.created"
        draft.event_filter = applied_filter(events.filters, about)
        draft.defaults.append("you want to hear about each new application as it comes in")
    elif when.schedule is None and skill.skill in _WATCHERS:
        draft.trigger_type = "cron"
        draft.schedule = parse_schedule(cron="0 9 * * 1-5", tz=draft.tz)
        draft.defaults.append(
            "a check every weekday at 09:00, as you named no schedule (say another if you prefer)"
        )
    elif when.schedule is None:
        return _ask(
            draft,
            "When should it run: for example “every Monday at 9am”, “on the "
            "1st of each month” or “when a candidate moves to Interview”?",
        )
    elif when.interval_minutes and skill.skill == "new-candidate-alert":
        draft.trigger_type, draft.poll_interval_minutes = "poll", when.interval_minutes
    else:
        draft.trigger_type, draft.schedule = "cron", when.schedule
    draft.defaults.extend(when.defaults)
    draft.status = "ok"
    draft.next_runs = draft.fires(now, 3)
    if draft.trigger_type != "event" and not draft.next_runs:
        return _ask(draft, "That schedule has no run in the future; when should it run?")
    _fit_params(draft, skill.skill, events)
    fit_report(draft, skill.skill, about, reading.objects)
    object_notes(draft, reading)
    other_report = second_report_note(skill.skill, draft.request)
    if other_report:
        draft.notes.append(other_report)
    if windows:
        first = draft.local(draft.next_runs[0])
        draft.defaults.append(fit_window(skill.skill, draft.params, windows[0], first))
    fit_listed_stage(draft, reading.listed, chosen)
    fit_said_params(draft, about, declared)  # what the words say wins over what follows
    unkept_filter_notes(draft, about, reading.listed)
    draft.notes.extend(dst_notes(draft, now))
    if plan_check is not None and draft.trigger_type != "event":
        note = plan_check(draft.schedule, draft.poll_interval_minutes)
        if note:
            draft.notes.append(note)
            draft.plan_refuses = True
    draft.write_summary()
    return draft


def _where_said(draft: Draft, output: OutputFacts) -> list[str]:
    """What the read-back says of where it goes: the place assumed, or what "here" is."""
    if not output.mentioned:
        where = "the candidate" if draft.to == ["candidate"] else "you"
        channel = draft.channel.replace("_", "-")
        return [f"it goes by {channel} to {where}, as you did not say where"]
    return [output.here] if output.here else []


def _names_skill(request: str, reading: Reading) -> bool:
    """Whether the request says what to do, its data words helping."""
    days, business, _ = reading.condition
    skill = read_skill(
        request,
        condition_days=days,
        business_days=business,
        event_type=None,
        relative_offset=None,
        hint=data_skill(request),
    )
    return skill.skill is not None


def _first_question(
    events: EventFacts,
    when: When,
    output: OutputFacts,
    skill: SkillFacts,
    words_questions: tuple[str | None, str | None],
    condition_named: bool,
    specs: SpecsBySkill,
) -> str | None:
    """The one clarifying question to ask, in order of what the request left unclear; None
    when it is clear. `words_questions`: about its time zone, and about its condition."""
    zone_question, condition_question = words_questions
    has_schedule = when.schedule is not None or when.question is not None
    understood_something = bool(
        events.event_type or has_schedule or skill.skill or condition_named or skill.vague
    )
    question = (
        (
            None
            if understood_something
            else f"I couldn't tell what to automate from that. Could you say it another way, {EXAMPLE}?"
        )
        or zone_question
        or events.question
        or condition_question
    )
    if question is None and events.event_type and has_schedule:
        said = event_words(events.event_type, events.filters)
        question = (
            f"Should it run each time “{said[0].lower()}{said[1:]}”, or on a schedule? "
            "An automation has one trigger."
        )
    question = question or when.question or when.unread
    question = question or output.question or skill.question
    if question is None and skill.skill == "candidate-note" and output.to:
        question = note_elsewhere(events, output)
    if question is None and skill.skill is None:
        return what_to_do(events, skill, output)
    return question or role_question(skill.skill or "", output.to, specs)


def _fit_params(draft: Draft, skill: str, events: EventFacts) -> None:
    """Params that follow from the trigger: a report's period, an alert's job."""
    if draft.schedule is not None:
        draft.params.update(cadence_params(skill, draft.next_runs))
        if often := oftener_than_daily(skill, draft.next_runs):
            draft.notes.append(f"{often[:1].upper()}{often[1:]}.")
    if (
        skill == "new-candidate-alert"
        and draft.trigger_type != "event"
        and (job := events.filters.get("job"))
    ):
        draft.params["jobs"] = list(job) if isinstance(job, list) else [job]
    if draft.trigger_type != "event":
        draft.event_filter = {}
    if skill == "candidate-note":
        draft.notes.append(NOTE_PROMISES)
    if skill == "pipeline-report" and asks_hires(draft.request):
        draft.notes.append(HIRES_NOTE)


def _without(request: str, spans: list[tuple[int, int]]) -> str:
    """The request with the words naming its recipients blanked: "send my team the pipeline"
    is about the requester's pipeline, sent to the team."""
    for start, end in spans:
        request = request[:start] + " " * (end - start) + request[end:]
    return request


def _ask(draft: Draft, question: str) -> Draft:
    draft.status, draft.question = "question", question
    draft.schedule, draft.next_runs = None, []
    draft.write_summary()
    return draft
