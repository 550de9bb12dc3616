"""Asked to see something now ("show me my pipeline", "who is in Offer?", "how many candidates
applied in the last 7 days?"), the chat answers at once with that skill rendered once for the
asker (its params set by the words), then offers to make it recurring; a schedule said next
drafts exactly that. Generated from (question form x skill x filter words), each case's skill and
params known from how it was built; counts and names are checked against the ATS rows read
directly. Both stores: a preview writes an audit entry, the month's run counter and the
conversation state, and nothing else (no run row, no automation, no draft)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from assistant.conversation.previewing import CAN_SHOW
from assistant.conversation.reply import Reply
from assistant.tools.audit_entries import org_entry
from assistant.tools.views import AutomationSpec
from models.store.audit import list_entries
from models.store.usage import count_preview, month_runs
from models.tables.automations import Automation
from models.tables.conversations import AutomationDraft
from models.tables.demo_ats import AtsApplication, AtsCandidate
from models.tables.runs import AutomationRun
from skills.ats.seed import seed_demo
from tests.assistant.conversation.member_chat import Chat

NOW = datetime(2026, 3, 4, 16, 0, tzinfo=UTC)  # a Wednesday
FORMS = (
    "show me {o}",
    "show me {o} now",
    "preview {o}",
    "what does {o} look like?",
    "can I see {o}?",
    "give me {o} right now",
    "let me see {o}, please",
)
# what the words name -> the skill and the params they set (the rest are the skill's defaults)
OBJECTS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("my pipeline", "pipeline-report", {"scope": "mine"}),
    ("my pipeline for engineering", "pipeline-report", {"scope": "mine", "departments": ["Engineering"]}),
    ("the open roles", "open-roles-report", {}),
    ("open roles open for more than 30 days", "open-roles-report", {"older_than_days": 30}),
    ("my follow-ups", "followups", {}),
    ("hiring metrics by job", "hiring-metrics", {"group_by": "job"}),
    ("the sourcing recap for the last 3 days", "sourcing-recap", {"days": 3}),
    ("new candidates for the Backend Engineer job", "new-candidate-alert", {"jobs": ["Backend Engineer"]}),
)  # fmt: skip
STAGES = {"screening": "Screen", "interview": "Interview", "offer": "Offer"}
STAGE_FORMS = (
    "who is in {s}?",
    "who's in {s} right now?",
    "how many candidates are in {s}?",
    "which candidates are in the {s} stage?",
)
# a window said -> its hours back from NOW (the asker speaks UTC): calendar periods from their start
WINDOWS = {"in the last 7 days": 168, "in the last 10 days": 240, "this week": 64, "today": 16}
WINDOW_FORMS = (
    "how many candidates applied {w}?",
    "who applied {w}?",
    "which candidates applied {w}?",
)


@dataclass
class Demo:
    engine: Engine
    org_id: int
    member_id: int
    admin_id: int
    keys: Iterator[int]

    def chat(self, user_id: int | None = None) -> Chat:
        """A new conversation of the demo's first recruiter (or of `user_id`)."""
        return Chat(self.engine, user_id or self.member_id, key=f"k{next(self.keys)}", now=NOW)


@pytest.fixture(scope="module")
def demo(module_engine: Engine) -> Demo:
    made = seed_demo(module_engine, now=NOW, candidates=40)
    return Demo(module_engine, made.org_id, made.member_ids[0], made.admin_id, itertools.count())


def _previewed(reply: Reply, skill: str, params: dict[str, Any], said: str) -> None:
    assert reply.kind == "info" and reply.private, (said, reply.text)
    assert (reply.data["skill"], reply.data["params"]) == (skill, params), said
    assert re.search(r"\nWant this every (?:week|weekday)\? Say “every .+”\.$", reply.text)


def test_each_form_of_asking_to_see_renders_the_skill_its_words_name(demo: Demo) -> None:
    forms = itertools.cycle(FORMS)
    for words, skill, params in OBJECTS:
        for form in (next(forms), next(forms)):
            said = form.format(o=words)
            _previewed(demo.chat().say(said), skill, params, said)


def test_a_preview_shows_what_a_test_run_of_the_automation_it_offers_shows(demo: Demo) -> None:
    chat = demo.chat()
    for words, skill, params in OBJECTS[::2]:
        shown = chat.say(f"show me {words} now").data["output"]
        spec = AutomationSpec(
            name=words, skill=skill, params=params, cron="0 9 * * 1", timezone=chat.tz
        )
        made = chat.tools.create_automation(chat.actor, spec)
        try:
            tested = chat.tools.test(chat.actor, made.id)
        finally:
            chat.tools.delete(chat.actor, made.id, confirm=True)
        assert shown == (tested.output or "").strip(), words


def test_who_is_in_a_stage_lists_the_askers_candidates_there(demo: Demo) -> None:
    with Session(demo.engine) as s:
        rows = s.execute(
            select(
                col(AtsCandidate.first_name) + " " + col(AtsCandidate.last_name),
                col(AtsApplication.stage),
                col(AtsApplication.stage_changed_at),
            )
            .join(AtsCandidate, col(AtsCandidate.id) == AtsApplication.candidate_id)
            .where(
                col(AtsApplication.status) == "active", col(AtsCandidate.owner_id) == demo.member_id
            )
        ).all()
    for (said_stage, stage), form in zip(
        STAGES.items(), itertools.cycle(STAGE_FORMS), strict=False
    ):
        said = form.format(s=said_stage)
        reply = demo.chat().say(said)
        params = {"business_days": 0, "stage": stage, "measure": "stage"}
        _previewed(reply, "stale-candidate-sla", params, said)
        # everyone in the stage, however long (one who reached it today too)
        there = {name for name, at, _ in rows if at == stage}
        listed = set(re.findall(r"- (?:\[[^\]]+\] )?([^(\n]+?) \(", reply.text))
        assert listed == there, (said, listed, there)
        head = reply.text.split("\n", 1)[0]
        assert head.startswith(f"{len(listed)} candidate"), head
        assert f"in {stage}" in head and "business day" not in head, head


def test_how_many_applied_in_a_window_counts_the_applications_in_it(demo: Demo) -> None:
    forms = itertools.cycle(WINDOW_FORMS)
    for window, hours in WINDOWS.items():
        said = next(forms).format(w=window)
        reply = demo.chat().say(said)
        _previewed(reply, "new-candidate-alert", {"since_hours": hours}, said)
        with Session(demo.engine) as s:
            count = s.scalar(
                select(func.count()).where(
                    col(AtsApplication.org_id) == demo.org_id,
                    col(AtsApplication.applied_at) > NOW - timedelta(hours=hours),
                )
            )
        if count:
            assert reply.text.startswith(f"{count} new candidate"), (said, count, reply.text)
        else:
            assert "has nothing to show right now: none match." in reply.text, said


def test_a_schedule_after_the_offer_drafts_the_previewed_report(demo: Demo) -> None:
    chat = demo.chat()
    _previewed(chat.say("show me my pipeline for engineering"), *OBJECTS[1][1:], "pipeline")
    drafted = chat.say("every Monday at 9am")
    assert drafted.kind == "draft", drafted.text
    draft = chat.draft(drafted)
    assert draft["skill"] == "pipeline-report" and draft["params"]["departments"] == ["Engineering"]
    assert chat.say("cancel").kind == "done"
    # "yes" to the offer asks when (or drafts, for a check with its usual schedule)
    chat.say("how many candidates applied in the last 10 days?")
    assert chat.say("yes").kind in ("question", "draft")
    chat.say("cancel")
    # the offer lasts one message: a schedule said later is a request of its own
    chat.say("show me the open roles")
    assert chat.say("what plan are we on?").kind == "info"
    assert chat.say("every Monday at 9am").kind == "question"


def test_questions_about_automations_keep_their_answers(demo: Demo) -> None:
    chat = demo.chat()
    made = chat.tools.create_automation(
        chat.actor,
        AutomationSpec(name="Weekly pipeline report", skill="pipeline-report", cron="0 9 * * 4"),
    )
    try:
        for said, kind, has in (
            ("what runs tomorrow?", "list", "Weekly pipeline report"),
            ("show my pipeline report", "info", f"#{made.id}"),
            (f"show #{made.id}", "info", "Weekly pipeline report"),
            ("how many automations do I have?", "list", "Weekly pipeline report"),
            ("show my weekly pipeline report", "info", f"#{made.id}"),
        ):
            reply = chat.say(said)
            assert (reply.kind, reply.private) == (kind, False), (said, reply)
            assert has in reply.text, (said, reply.text)
        # the data itself ("my pipeline", no "report") is the preview, whatever automation fits
        _previewed(chat.say("show me my pipeline"), *OBJECTS[0][1:], "data")
        # two pipeline reports: naming them asks which; "now" asks for the data itself
        other = chat.tools.create_automation(
            chat.actor,
            AutomationSpec(name="Daily pipeline report", skill="pipeline-report", cron="0 9 * * *"),
        )
        assert chat.say("show my pipeline report").kind == "choose"
        chat.say("cancel")
        _previewed(chat.say("show me my pipeline now"), *OBJECTS[0][1:], "now")
        chat.tools.delete(chat.actor, other.id, confirm=True)
    finally:
        chat.tools.delete(chat.actor, made.id, confirm=True)


def test_what_no_skill_shows_is_told_what_can_be_in_one_line(demo: Demo) -> None:
    chat = demo.chat()
    for said in ("what is Lena Park's email?", "show me Sam's phone number", "who is in Narnia?"):
        reply = chat.say(said)
        assert "\n" not in reply.text and not reply.private, (said, reply.text)
    assert chat.say("what is Lena Park's email?").text == CAN_SHOW


def test_a_preview_is_refused_to_whom_its_automation_would_be(demo: Demo) -> None:
    """A test run needs an automation its requester may have: the organisation's follow-ups
    are an admin's (a system job's reach), a recruiter's own are theirs."""
    said = "show me everyone's follow-ups"
    refused = demo.chat().say(said)
    assert refused.kind == "error" and "only an admin" in refused.text, refused.text
    assert list_entries(demo.engine, demo.org_id, limit=1)[0].entry.action != "preview"
    params = {"scope": "organization"}
    _previewed(demo.chat(demo.admin_id).say(said), "followups", params, said)
    _previewed(demo.chat().say("show me my follow-ups"), "followups", {}, "mine")


def test_a_preview_is_recorded_as_a_test_run_is_and_stores_no_output(demo: Demo) -> None:
    def rows(table: Any) -> int:
        with Session(demo.engine) as s:
            return int(s.scalar(select(func.count()).select_from(table)) or 0)

    chat = demo.chat()
    before = (rows(AutomationRun), rows(Automation), rows(AutomationDraft))
    logged, unlogged = month_runs(demo.engine, demo.org_id, "2026-03")
    reply = chat.say("who is in offer?")
    names = re.findall(r"- (?:\[[^\]]+\] )?([^(\n]+?) \(", reply.text)
    assert names and (rows(AutomationRun), rows(Automation), rows(AutomationDraft)) == before
    assert month_runs(demo.engine, demo.org_id, "2026-03") == (logged + 1, unlogged)
    entry = list_entries(demo.engine, demo.org_id, limit=1)[0].entry
    assert (entry.action, entry.actor_user_id) == ("preview", demo.member_id)
    assert entry.changes["skill"] == "stale-candidate-sla"
    assert not any(name in str(entry.changes) for name in names)
    assert chat.state()["previewed"]["skill"] == "stale-candidate-sla"


def test_beyond_the_plans_logged_runs_a_preview_counts_as_not_kept(demo: Demo) -> None:
    """As a test run past the quota keeps no history row, a preview is counted as not kept."""
    chat = demo.chat()
    logged, unlogged = month_runs(demo.engine, demo.org_id, "2026-03")
    entry = org_entry(chat.actor, "preview", NOW, skill="followups", params={})
    count_preview(demo.engine, demo.org_id, now=NOW, logged_quota=logged, audit=entry)
    assert month_runs(demo.engine, demo.org_id, "2026-03") == (logged, unlogged + 1)
    count_preview(demo.engine, demo.org_id, now=NOW, logged_quota=logged + 1, audit=entry)
    assert month_runs(demo.engine, demo.org_id, "2026-03") == (logged + 1, unlogged + 1)
