"""What an admin asks about the team in chat: a teammate's automations by first name, full name
or address ("show dana's automations"), a member asking the same told in one line what they may
list; and "resume all", which leaves the organisation's system jobs paused, saying which in
the same line and how to resume one."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from assistant.conversation.intents import classify
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from models.store.automations import list_automations
from models.store.orgs import create_user
from tests.assistant.conversation.member_chat import Chat


@pytest.fixture
def team(sqlite_engine: Engine) -> dict[str, int]:
    """An organisation: its admin, member Max with two automations, Sam with one, and three
    system jobs, two of them paused; the ids by name."""
    org = make_org(sqlite_engine, NOW, slug="acme")
    sam = create_user(
        sqlite_engine, org_id=org.org_id, email="sam.sourcer@acme.test", name="Sam Sourcer",
        role="member", now=NOW,
    )  # fmt: skip
    ids = {"admin": org.admin_id, "max": org.member_id, "sam": sam.id or 0}
    for name, owner, enabled in (
        ("Max digest", org.member_id, True),
        ("Max reminder", org.member_id, False),
        ("Sam recap", sam.id, True),
    ):
        auto = make_automation(sqlite_engine, org, NOW, name=name, owner_id=owner, enabled=enabled)
        ids[name] = auto.id or 0
    for name, enabled in (("Nurture", True), ("Follow-ups", False), ("Renewals", False)):
        job = make_automation(
            sqlite_engine, org, NOW, name=name, owner_id=org.admin_id, system=True, enabled=enabled
        )
        ids[name] = job.id or 0
    return ids


def _listed(text: str) -> set[str]:
    return {line.split(" · ")[0].split(" ", 2)[2] for line in text.splitlines() if " · " in line}


def test_a_teammates_possessive_lists_their_automations_for_an_admin(
    sqlite_engine: Engine, team: dict[str, int]
) -> None:
    admin = Chat(sqlite_engine, team["admin"], tz="America/New_York")
    for said in ("show max's automations", "list Max Member's automations",
                 "what are member@acme.test's automations?", "show me all of max's ones"):  # fmt: skip
        assert _listed(admin.say(said).text) == {"Max digest", "Max reminder"}, said
    assert _listed(admin.say("list Sam's automations").text) == {"Sam recap"}
    assert _listed(admin.say("show max's paused automations").text) == {"Max reminder"}
    assert (
        admin.say("show sam's paused automations").text == "Sam Sourcer has no paused automations."
    )
    assert admin.say("show bob's automations").text == "Nobody called “bob” in your organisation."
    # "it" is the one listed alone
    admin.say("list Sam's automations")
    assert admin.say("pause it").automation_id == team["Sam recap"]

    member = Chat(sqlite_engine, team["max"], key="m")
    refused = member.say("show sam's automations").text
    assert refused == "Only admins can list other people's automations.", refused
    assert _listed(member.say("show max's automations").text) == {"Max digest", "Max reminder"}


def test_a_days_possessive_is_not_a_person() -> None:
    for said in ("show today's reminders", "list tomorrow's automations",
                 "what are this week's reports?", "show monday's automations",
                 "list everyone's automations", "show my automations"):  # fmt: skip
        assert not classify(said).rest.startswith("owner|"), said
    assert classify("show Dana Recruiter's paused reminders").rest == (
        "owner|dana recruiter|paused kind:reminders"
    )


def test_resume_all_names_the_system_jobs_it_leaves_paused(
    sqlite_engine: Engine, team: dict[str, int]
) -> None:
    admin = Chat(sqlite_engine, team["admin"])
    jobs = list_automations(sqlite_engine, admin.actor.org_id, system=True)
    paused_ids = [f"#{a.id}" for a in jobs if not a.enabled]  # the organisation's own and ours
    running = [f"#{a.id}" for a in jobs if a.enabled]
    assert len(paused_ids) >= 2 and f"#{team['Renewals']}" in paused_ids
    said = f"{', '.join(paused_ids[:-1])} and {paused_ids[-1]}"
    paused_jobs = f"System jobs {said} stay paused"
    hint = f"say “resume {paused_ids[0]}” to resume one."
    asked = admin.say("resume all").text
    assert asked.startswith(
        f"This would resume 1 automation: #{team['Max reminder']} Max reminder."
    )
    assert f"{paused_jobs}: {hint}" in asked.splitlines()[0], asked
    done = admin.say("yes").text
    assert (
        done == f"Resumed 1 automation: #{team['Max reminder']} Max reminder. {paused_jobs}: {hint}"
    )
    assert (
        admin.say("resume all").text
        == f"Nobody has paused automations to resume. {paused_jobs}: {hint}"
    )
    assert not admin.tools.get_automation(admin.actor, team["Renewals"]).enabled
    # the running system jobs are named when everything else is paused
    paused = admin.say("pause all").text
    assert f"{', '.join(running[:-1])} and {running[-1]} keep running" in paused, paused
    assert f"#{team['Nurture']}" in running
    # a member's "resume all" is about their own: no system job is named
    member = Chat(sqlite_engine, team["max"], key="m")
    assert "System job" not in member.say("resume all").text
