"""One note of a kind per application for the whole organisation, on both databases: two
rejection-note automations (one per recruiter) and one signed Greenhouse rejection mail the
candidate one note, signed with its sender's and the organisation's names; the other automation
records the run it did not make as already sent, naming the one that sent it. A worker built on
a registry of its own honours that registry's `oncePer`."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from models.settings import load_settings
from models.store.events import add_connection
from models.store.orgs import get_org, get_user
from models.store.run_history import list_runs
from skills.builtin import notes
from skills.registry import BUILTIN_DIR, SkillRegistry
from tests.worker.delivery.test_delivery import smtp_server  # noqa: F401 (fixture)
from tests.worker.delivery.test_email_delivery_e2e import smtp_settings
from tests.worker.triggers.test_candidate_notes import (  # noqa: F401 (fixture)
    NOW,
    Rejecting,
    applicant,
    body,
    local,
    reject_candidate,
    rejecting,
)
from tests.worker.triggers.trigger_support import SECRET, generic_event, http
from worker.tick.factory import build_worker


def rejection_notes(tools: Toolset, actor: Actor, name: str) -> int:
    """A candidate-note automation for rejections that leaves its kind to the default."""
    spec = AutomationSpec(
        name=name,
        skill="candidate-note",
        params={},
        trigger_type="event",
        event_type="candidate.rejected",
        output_channel="email",
        to=["candidate"],
    )
    return tools.create_automation(actor, spec).id


def test_two_rejection_automations_send_one_note_signed_with_the_organisations_name(
    rejecting: Rejecting,  # noqa: F811
) -> None:
    candidate, app = applicant(rejecting.engine)
    tools = Toolset(rejecting.engine, load_settings(), clock=lambda: NOW)
    other = Actor.of(get_user(rejecting.engine, rejecting.demo.member_ids[1]))
    second = rejection_notes(tools, other, "My rejection notes")
    assert rejecting.send(reject_candidate(candidate.id or 0, app.id or 0, "gh-o1")) == "received"

    tuesday = local(1, 10, 1)
    assert rejecting.tick(tuesday) == {"completed": 1}
    rejecting.tick(tuesday)  # nothing left to send
    (message,) = rejecting.mailbox.messages
    assert message["To"].addresses[0].addr_spec == candidate.email
    sender = get_user(rejecting.engine, rejecting.demo.member_ids[0]).name
    org = get_org(rejecting.engine, rejecting.demo.org_id).name
    assert sender and org
    text = body(message).replace("\r\n", "\n")
    assert text.rstrip().endswith(f"Kind regards,\n{sender}, {org}")
    assert f"a future role with {org} interests you" in text

    org_id = rejecting.demo.org_id
    sent = list_runs(rejecting.engine, org_id, automation_id=rejecting.automation_id)
    assert [(r.status, r.skipped_reason) for r in sent] == [("completed", None)]
    (skipped,) = list_runs(rejecting.engine, org_id, automation_id=second)
    assert (skipped.status, skipped.skipped_reason) == ("skipped", "already_sent")
    assert skipped.output_summary == {
        "sent_by": {"automation_id": rejecting.automation_id, "name": "Rejection notes"}
    }
    why = tools.why(other, second).answer
    assert "the candidate had this note for that application already" in why
    assert f"automation #{rejecting.automation_id} “Rejection notes” sent it" in why

    # the ATS reports the rejection again: neither automation sends a second note
    rejecting.send(reject_candidate(candidate.id or 0, app.id or 0, "gh-o2"))
    assert rejecting.tick(tuesday) == {}
    assert len(rejecting.mailbox.messages) == 1


def test_a_withdrawal_note_still_goes_after_a_rejection_note_for_the_same_application(
    rejecting: Rejecting,  # noqa: F811
) -> None:
    candidate, app = applicant(rejecting.engine)
    tools = Toolset(rejecting.engine, load_settings(), clock=lambda: NOW)
    actor = Actor.of(get_user(rejecting.engine, rejecting.demo.member_ids[0]))
    tools.create_automation(
        actor,
        AutomationSpec(
            name="Withdrawal notes",
            skill="candidate-note",
            params={"kind": "withdrawal"},
            trigger_type="event",
            event_type="candidate.withdrawn",
            output_channel="email",
            to=["candidate"],
        ),
    )
    generic = add_connection(
        rejecting.engine, org_id=rejecting.demo.org_id, provider="generic", secret=SECRET, now=NOW
    )
    url = rejecting.url.replace("greenhouse/", "generic/").rsplit("/", 1)[0] + f"/{generic.key}"
    rejecting.send(reject_candidate(candidate.id or 0, app.id or 0, "gh-w1"))
    data = {"candidate_id": str(candidate.id), "application_id": str(app.id)}
    delivery = generic_event("candidate.withdrawn", event_id="ev-w1", data=data)
    assert http.post(url, content=delivery.body, headers=delivery.headers).status_code == 200

    assert rejecting.tick(local(1, 10, 1)) == {"completed": 2}
    subjects = sorted(str(m["Subject"]) for m in rejecting.mailbox.messages)
    assert subjects[0].startswith("Thank you for considering the ")
    assert subjects[1].startswith("Your application for ")


def once_only_registry(root: Path, once_per: bool) -> SkillRegistry:
    """A registry of one custom skill, a welcome note built on the candidate note's half."""
    folder = root / "welcome-note"
    shutil.copytree(BUILTIN_DIR / "candidate-note", folder)
    front = (folder / "SKILL.md").read_text(encoding="utf-8")
    front = front.replace("name: candidate-note", "name: welcome-note")
    if not once_per:
        front = front.replace("oncePer: application\n", "")
    (folder / "SKILL.md").write_text(front, encoding="utf-8")
    registry = SkillRegistry(
        root, gatherers={"welcome-note": notes.candidate_note}, python_skills=()
    )
    assert registry.errors == [] and "welcome-note" in registry
    return registry


def test_a_worker_on_its_own_registry_honours_that_registrys_once_per(
    rejecting: Rejecting,  # noqa: F811
    tmp_path: Path,
) -> None:
    candidate, app = applicant(rejecting.engine)
    generic = add_connection(
        rejecting.engine, org_id=rejecting.demo.org_id, provider="generic", secret=SECRET, now=NOW
    )
    url = rejecting.url.replace("greenhouse/", "generic/").rsplit("/", 1)[0] + f"/{generic.key}"
    actor = Actor.of(get_user(rejecting.engine, rejecting.demo.member_ids[0]))
    sent: dict[bool, int] = {}
    for once_per in (True, False):
        registry = once_only_registry(tmp_path / str(once_per), once_per)
        tools = Toolset(rejecting.engine, load_settings(), registry=registry, clock=lambda: NOW)
        auto = tools.create_automation(
            actor,
            AutomationSpec(
                name=f"Welcome notes {once_per}",
                skill="welcome-note",
                params={"kind": "acknowledgement"},
                trigger_type="event",
                event_type="application.created",
                output_channel="email",
                to=["candidate"],
            ),
        )
        data = {"candidate_id": str(candidate.id), "application_id": str(app.id)}
        for copy in ("a", "b"):  # the ATS reports the application twice, under two ids
            delivery = generic_event(
                "application.created", event_id=f"ev-{once_per}-{copy}", data=data
            )
            assert http.post(url, content=delivery.body, headers=delivery.headers).is_success
        before = len(rejecting.mailbox.messages)
        worker = build_worker(
            rejecting.engine, smtp_settings(rejecting.mailbox.port), registry=registry
        )
        worker.tick(now=local(1, 10, 1))
        sent[once_per] = len(rejecting.mailbox.messages) - before
        tools.pause(actor, auto.id)
    assert sent == {True: 1, False: 2}
