"""Talking about an existing automation through the real conversation engine, on both stores:
naming it (by name, skill label or skill, with the verb and filler words around it, in any
case, or as "it"), its owner and name, pausing and resuming what already is so, previews, and
who gets it. Expected targets come from the fixture's own records."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from assistant.language.words import SKILL_LABELS
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import OrgFixture, make_automation, make_org
from models.store.automations import get_automation, list_automations
from models.store.orgs import create_user
from models.store.run_history import list_runs
from models.tables.automations import Automation
from tests.assistant.conversation.member_chat import Chat as SharedChat


class Chat(SharedChat):
    def __init__(self, engine: Engine, user_id: int, key: str = "r") -> None:
        super().__init__(engine, user_id, key=key)


def org_with_automations(engine: Engine) -> tuple[OrgFixture, dict[str, Automation]]:
    """A member with four automations of distinct names and skills, the admin with one, the
    organisation's system jobs, and a third user, Sam Sourcer."""
    org = make_org(engine, NOW, slug="acme")
    create_user(
        engine, org_id=org.org_id, email="sam.sourcer@acme.test", name="Sam Sourcer", now=NOW
    )
    made = {
        "offer": make_automation(
            engine, org, NOW, name="Offer tracker", skill="pipeline-report", channel="email"
        ),
        "recap": make_automation(
            engine, org, NOW, name="Friday wrap", skill="sourcing-recap", channel="email"
        ),
        "alert": make_automation(
            engine, org, NOW, name="Fresh faces", skill="new-candidate-alert", channel="email"
        ),
        "stale": make_automation(
            engine, org, NOW, name="Slow movers", skill="stale-candidate-sla", channel="email"
        ),
        "admins": make_automation(
            engine,
            org,
            NOW,
            name="Diversity digest",
            skill="sourcing-recap",
            channel="email",
            owner_id=org.admin_id,
        ),
    }
    return org, made


def stored(engine: Engine, org: OrgFixture, automation_id: int) -> Automation:
    return get_automation(engine, org.org_id, automation_id)


VERBS = ("show", "show me", "what does {} do?", "tell me about")
FILLERS = ("", "the ", "my ")
CASES = (str.lower, str.upper, str.title)


def phrases(ref: str) -> list[str]:
    said = []
    for verb, filler, case in itertools.product(VERBS, FILLERS, CASES):
        words = case(f"{filler}{ref}")
        said.append(verb.format(words) if "{}" in verb else f"{verb} {words}")
    return said


def test_a_name_or_skill_said_any_way_finds_the_automation(engine: Engine) -> None:
    org, _ = org_with_automations(engine)
    member = Chat(engine, org.member_id)
    mine = list_automations(engine, org.org_id, owner_id=org.member_id)
    for auto in mine:
        for said in phrases(auto.name):
            reply = member.say(said)
            assert reply.automation_id == auto.id, (said, reply.text)
        # the skill's label without its article, and the skill's own name: one of mine has it
        label = SKILL_LABELS[auto.skill].split(" (")[0].split(" ", 1)[1]
        for ref in (label, auto.skill.replace("-", " ")):
            having = [a.id for a in mine if a.skill == auto.skill]
            reply = member.say(f"show me the {ref}")
            assert having == [auto.id] and reply.automation_id == auto.id, (ref, reply.text)
    # "it" is the one spoken about last
    for auto in mine:
        member.say(f"show #{auto.id}")
        for said in ("what does it do?", "show it", "WHAT IS ITS NAME?", "who owns it?"):
            assert member.say(said).automation_id == auto.id, said


def test_stop_sending_me_pauses_and_says_how_to_resume(engine: Engine) -> None:
    org, made = org_with_automations(engine)
    member = Chat(engine, org.member_id)
    for auto, said in itertools.product(
        [made["offer"], made["recap"], made["alert"]],
        ("stop sending me the {}", "Stop sending me {} anymore", "pause my {}", "STOP {}"),
    ):
        reply = member.say(said.format(auto.name))
        assert reply.kind == "done" and reply.automation_id == auto.id, (said, reply.text)
        assert "“resume it”" in reply.text
        assert stored(engine, org, auto.id or 0).enabled is False
        again = member.say("resume it")
        assert again.kind == "done" and stored(engine, org, auto.id or 0).enabled


def test_one_own_automation_comes_before_the_organisation_s(engine: Engine) -> None:
    """The admin's own "Diversity digest" and the member's "Friday wrap" are both sourcing
    recaps: the admin's "sourcing recap" is their own; the member's is theirs."""
    org, made = org_with_automations(engine)
    admin, member = Chat(engine, org.admin_id), Chat(engine, org.member_id)
    assert admin.say("show the sourcing recap").automation_id == made["admins"].id
    assert member.say("show the sourcing recap").automation_id == made["recap"].id
    # by name, the admin reaches the member's too, and a system job by its name or label
    assert admin.say("show friday wrap").automation_id == made["recap"].id
    hiring = next(
        a
        for a in list_automations(engine, org.org_id, system=True)
        if a.skill == "scheduled-report"
    )
    for said in ("pause the hiring report", "show the weekly hiring report"):
        assert admin.say(said).automation_id == hiring.id, said


def test_several_matches_ask_which_one(engine: Engine) -> None:
    org, made = org_with_automations(engine)
    second = make_automation(
        engine, org, NOW, name="Offer tracker daily", skill="pipeline-report", channel="email"
    )
    member = Chat(engine, org.member_id)
    reply = member.say("stop sending me the pipeline summary")
    assert reply.kind == "choose" and "Which one?" in reply.text
    assert [v["id"] for v in reply.data] == [made["offer"].id, second.id]
    assert stored(engine, org, second.id or 0).enabled  # nothing paused before the answer
    done = member.say("the second one")
    assert done.kind == "done" and not stored(engine, org, second.id or 0).enabled


def test_members_are_refused_reading_or_changing_system_jobs(engine: Engine) -> None:
    """System jobs are the admins': a member asking about one by number or name is told so,
    and learns nothing of it (not its owner's address, not its settings)."""
    org, made = org_with_automations(engine)
    member, admin = Chat(engine, org.member_id), Chat(engine, org.admin_id)
    for job in list_automations(engine, org.org_id, system=True):
        for said in (f"who owns #{job.id}?", f"what does #{job.id} do?", f"show the {job.name}"):
            refused = member.say(said)
            assert refused.kind == "error" and "only an admin can see" in refused.text, said
            assert org.admin_email not in refused.text and refused.data is None, said
        owner = admin.say(f"who owns #{job.id}?")
        assert owner.kind == "info" and org.admin_email in owner.text, owner.text
        before = stored(engine, org, job.id or 0)
        for said in (f"pause #{job.id}", f"resume the {job.name}", f"add sam to #{job.id}"):
            refused = member.say(said)
            assert refused.kind == "error" and "only an admin" in refused.text, said
        after = stored(engine, org, job.id or 0)
        assert (after.enabled, after.output_config) == (before.enabled, before.output_config)
    # a member cannot pause the admin's automation, named or by number; the admin can
    for said in ("pause diversity digest", f"pause #{made['admins'].id}"):
        assert member.say(said).kind == "error", said
        assert stored(engine, org, made["admins"].id or 0).enabled
    assert admin.say("pause the offer tracker").kind == "done"
    assert not stored(engine, org, made["offer"].id or 0).enabled


def test_resume_on_active_and_pause_on_paused_change_nothing(engine: Engine) -> None:
    org, made = org_with_automations(engine)
    member = Chat(engine, org.member_id)
    auto = made["offer"]
    for said in ("turn it back on", "resume it", "resume the offer tracker"):
        member.say(f"show #{auto.id}")
        reply = member.say(said)
        assert reply.kind == "info" and "already active; nothing changed" in reply.text, said
        assert stored(engine, org, auto.id or 0).updated_at == auto.updated_at
    assert member.say("pause it").kind == "done"
    paused = stored(engine, org, auto.id or 0)
    for said in ("pause it", "turn it off", "stop sending me the offer tracker"):
        reply = member.say(said)
        assert reply.kind == "info" and "already paused; nothing changed" in reply.text, said
        assert stored(engine, org, auto.id or 0).updated_at == paused.updated_at


def test_a_preview_shows_what_it_would_send_and_sends_nothing(engine: Engine) -> None:
    org, made = org_with_automations(engine)
    member = Chat(engine, org.member_id)
    auto = made["offer"]
    for n, said in enumerate(
        (
            "show me what it would send",
            "preview it",
            "what would it send now?",
            "show me a preview of the offer tracker",
        ),
        start=1,
    ):
        member.say(f"show #{auto.id}")
        reply = member.say(said)
        assert reply.kind == "info" and reply.automation_id == auto.id, (said, reply.text)
        assert "nothing was sent" in reply.text and "Pipeline report" in reply.text, said
        runs = list_runs(engine, org.org_id, automation_id=auto.id)
        assert len(runs) == n and {r.triggered_by for r in runs} == {"test"}


PEOPLE = {  # as said -> as stored
    "sam": "sam.sourcer@acme.test",
    "Sam": "sam.sourcer@acme.test",
    "SAM SOURCER": "sam.sourcer@acme.test",
    "sam.sourcer@acme.test": "sam.sourcer@acme.test",
    "Priya@Example.com": "priya@example.com",
}
ADDING = (
    "add {} to it",
    "cc {}",
    "also send it to {}",
    "add {} to the offer tracker",
    "copy in {} on #{id}",
)
REMOVING = (
    "remove {} from it",
    "stop sending it to {}",
    "take {} off #{id}",
    "stop sending {} the offer tracker",
    "don't send it to {} anymore",
)


def to_of(engine: Engine, org: OrgFixture, automation_id: int) -> list[Any]:
    return list(stored(engine, org, automation_id).output_config["to"])


def test_recipients_are_added_removed_and_read_back(engine: Engine) -> None:
    org, made = org_with_automations(engine)
    auto = made["offer"]
    member = Chat(engine, org.member_id)
    pairs = list(zip(ADDING, REMOVING, strict=True))
    for (said, address), (adding, removing) in itertools.product(PEOPLE.items(), pairs):
        member.say(f"show #{auto.id}")
        added = member.say(adding.format(said, id=auto.id))
        assert added.kind == "done", (adding, said, added.text)
        assert to_of(engine, org, auto.id or 0) == ["me", address]
        assert f"It goes by email to you and {address}." in added.text
        again = member.say(adding.format(said, id=auto.id))
        assert again.kind == "info" and "already gets it" in again.text
        assert to_of(engine, org, auto.id or 0) == ["me", address]
        removed = member.say(removing.format(said, id=auto.id))
        assert removed.kind == "done", (removing, said, removed.text)
        assert to_of(engine, org, auto.id or 0) == ["me"]
        assert "It goes by email to you." in removed.text


def test_recipient_changes_that_cannot_be_made_change_nothing(engine: Engine) -> None:
    org, made = org_with_automations(engine)
    auto = made["offer"]
    member = Chat(engine, org.member_id)
    member.say(f"show #{auto.id}")
    for said, refusal in (
        ("add nobody to it", "Nobody called “nobody”"),
        ("stop sending it to me", "would then go to nobody"),
        ("remove sam from it", "doesn't get it"),
    ):
        reply = member.say(said)
        assert refusal in reply.text and reply.kind in ("error", "info"), (said, reply.text)
        assert to_of(engine, org, auto.id or 0) == ["me"]
    # "send it to sam": sam instead of whoever got it; a name is a person of the organisation
    reply = member.say("send it to Sam")
    assert reply.kind == "done" and to_of(engine, org, auto.id or 0) == ["sam.sourcer@acme.test"]
    # the admin changes a member's recipients; the member cannot change the admin's
    admin = Chat(engine, org.admin_id)
    assert admin.say("cc max on the offer tracker").kind == "done"
    assert to_of(engine, org, auto.id or 0) == ["sam.sourcer@acme.test", "me"]
    refused = member.say(f"add sam to #{made['admins'].id}")
    assert refused.kind == "error" and to_of(engine, org, made["admins"].id or 0) == ["me"]


@pytest.mark.parametrize("said", ["add sam to it", "also send it to Sam", "cc sam"])
def test_adding_a_person_to_a_draft_names_their_address(engine: Engine, said: str) -> None:
    org, _ = org_with_automations(engine)
    member = Chat(engine, org.member_id, key=said)
    assert member.say("every monday at 9am email me a summary of my pipeline").kind == "draft"
    reply = member.say(said)
    assert reply.kind == "draft" and "sam.sourcer@acme.test" in reply.text, reply.text
