""" "How many candidates got it?" about a candidate-facing automation: counted from the run
rows (a delivered run's summary, an emailing step's detail), within a window when asked, never
naming anyone; an automation that does not go to candidates says where it goes instead."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from assistant.conversation import ConversationEngine, Turn
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_automation, make_org
from models.settings import load_settings
from models.store.orgs import get_user
from models.tables.runs import AutomationRun, RunAction
from tests.assistant.conversation.test_audit_log_chat import NOW, WINDOWS, ZONE

# (hours ago, candidate id, status, delivered, triggered by)
NOTES = [(2, 11, "completed", 1, "event"), (5, 12, "completed", 1, "event"),
         (30, 11, "completed", 1, "event"), (50, 13, "failed", 0, "event"),
         (80, 14, "completed", 1, "test"), (200, 15, "completed", 1, "event"),
         (400, 16, "skipped", 0, "event"), (900, 17, "completed", 1, "event")]  # fmt: skip
# (hours ago, candidate id, the step's status)
STEPS = [(3, 21, "completed"), (40, 22, "failed"), (60, 23, "completed"), (100, 21, "completed")]
FORMS = ["how many candidates got it {w}?", "how many candidates has #{n} emailed {w}?",
         "how many candidates received #{n} {w}?"]  # fmt: skip


def test_how_many_candidates_got_it_counts_the_run_rows(engine: Engine) -> None:
    org = make_org(engine, NOW - timedelta(days=60))
    note = make_automation(engine, org, NOW, name="Note", skill="candidate-note", channel="email",
                           to=["candidate"])  # fmt: skip
    flow = make_automation(engine, org, NOW, name="Flow", skill="workflow", channel="email",
                           params={"actions": [{"type": "send_email", "to": "candidate"}]})  # fmt: skip
    report = make_automation(engine, org, NOW, name="Report", skill="pipeline-report",
                             channel="email")  # fmt: skip
    with Session(engine) as s:
        for hours, candidate, status, delivered, by in NOTES:
            at = NOW - timedelta(hours=hours)
            s.add(AutomationRun(org_id=org.org_id, automation_id=note.id or 0, triggered_by=by,
                                scheduled_for=at, not_before=at, status=status, created_at=at,
                                output_summary={"note": "received", "candidate_id": candidate},
                                metrics={"delivered": delivered}))  # fmt: skip
        for hours, candidate, status in STEPS:
            at = NOW - timedelta(hours=hours)
            run = AutomationRun(org_id=org.org_id, automation_id=flow.id or 0, triggered_by="event",
                                scheduled_for=at, not_before=at, status=status, created_at=at)  # fmt: skip
            s.add(run)
            s.flush()
            s.add(RunAction(run_id=run.id or 0, action_type="send_email", status=status,
                            detail={"to": "candidate", "candidate_id": candidate}))  # fmt: skip
        s.commit()
    member = Actor.of(get_user(engine, org.member_id))
    chat = ConversationEngine(Toolset(engine, load_settings(), clock=lambda: NOW))

    def say(message: str) -> tuple[str, object]:
        reply = chat.handle(Turn(member, "c", tz=ZONE), message.replace(" ?", "?"))
        return reply.text, reply.data

    for turn, words in enumerate(["", "today", "this week", "last month", "in the last 3 days"]):
        start, end = WINDOWS[words]

        ago = [r[0] for r in NOTES] + [r[0] for r in STEPS]
        held = {h for h in ago if start <= NOW - timedelta(hours=h) < end}
        notes = [r for r in NOTES if r[0] in held and r[4] != "test"]
        steps = [r for r in STEPS if r[0] in held]
        expected = {
            note.id: ([r[1] for r in notes if r[2] == "completed" and r[3]], len(notes)),
            flow.id: ([r[1] for r in steps if r[2] == "completed"], len(steps)),
        }
        for auto in (note, flow):
            say(f"show #{auto.id}")
            got, runs = expected[auto.id]
            text, data = say(FORMS[turn % len(FORMS)].format(n=auto.id, w=words))
            assert data == {"candidates": len(set(got)), "deliveries": len(got), "runs": runs}, text
            assert "@" not in text and "Candidate" not in text.split(" got ")[1], text
    text, _ = say(f"how many candidates got #{report.id}?")
    assert text == f"#{report.id} “Report” does not go to candidates (its output: email to you)."
