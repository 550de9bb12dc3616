"""Where it goes and when it stops, said in the chat (and whose it is, read by an admin): one event alert to two places ("post in
#hiring and email the hiring manager") is made as two automations by one "yes"; "also" adds a
place to a waiting request instead of replacing the one said; "stop the pipeline report at
5pm" is answered honestly (no stop at a time of day exists) and changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from assistant.conversation import ConversationEngine, Turn
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_org
from models.settings import load_settings
from models.store.audit import list_entries
from models.store.automations import list_automations
from models.store.orgs import create_user, get_user

NOW = datetime(2026, 3, 12, 15, 0, tzinfo=UTC)


def _chat(engine: Engine) -> tuple[int, ConversationEngine, Actor]:
    org = make_org(engine, NOW)
    member = Actor.of(get_user(engine, org.member_id))
    settings = load_settings(slack_bot_token="xoxb-configured")
    return org.org_id, ConversationEngine(Toolset(engine, settings, clock=lambda: NOW)), member


def test_an_event_alert_to_slack_and_to_the_hiring_manager(engine: Engine) -> None:
    org_id, chat, member = _chat(engine)

    def say(message: str) -> str:
        return chat.handle(Turn(member, "c", tz="UTC"), message).text

    draft = say("when an offer is accepted, post in #hiring and email the hiring manager")
    assert "- Output: Slack message to the #hiring channel" in draft, draft
    assert "- Also: email to the job's hiring manager" in draft, draft
    assert "left out" not in draft and draft.endswith("Confirm to activate both?"), draft
    say("yes")
    made = sorted(list_automations(engine, org_id), key=lambda a: a.id or 0)
    assert [(a.output_channel, a.output_config["to"]) for a in made] == [
        ("slack", ["#hiring"]),
        ("email", ["hiring_manager"]),
    ]
    for auto in made:
        assert (auto.trigger_type, auto.event_type) == ("event", "offer.accepted")
        assert auto.skill == made[0].skill and auto.skill != "workflow"


def test_also_adds_a_place_to_a_waiting_draft_and_question(engine: Engine) -> None:
    org_id, chat, member = _chat(engine)

    def say(message: str) -> str:
        return chat.handle(Turn(member, "c", tz="UTC"), message).text

    say("every monday at 9 send me my pipeline summary")
    added = say("and also post it to #recruiting on slack")
    assert "- Output: email to you\n- Also: Slack message to the #recruiting channel" in added
    say("cancel")
    asked = say("send me my sourcing recap")
    assert asked.startswith("When should it run"), asked
    added = say("post it in #recruiting as well")
    assert added.startswith("Added “") and "When should it run" in added, added
    drafted = say("every friday at 4pm")
    assert "- Output: email to you\n- Also: Slack message to the #recruiting channel" in drafted
    say("yes")
    made = list_automations(engine, org_id)
    assert sorted((a.output_channel, a.cron_expression) for a in made) == [
        ("email", "0 16 * * 5"),
        ("slack", "0 16 * * 5"),
    ]


def test_stop_at_a_time_of_day_says_what_it_can_do_and_changes_nothing(engine: Engine) -> None:
    org_id, chat, member = _chat(engine)

    def say(message: str) -> str:
        return chat.handle(Turn(member, "c", tz="UTC"), message).text

    say("every monday at 9 send me my pipeline summary")
    say("yes")
    (before,) = list_automations(engine, org_id)
    answer = say("stop the pipeline report at 5pm")
    assert "\n" not in answer and "at a time of day" in answer, answer
    assert f"pause #{before.id}" in answer and "last day" in answer, answer
    (after,) = list_automations(engine, org_id)
    assert (after.enabled, after.cron_expression, after.rrule) == (True, "0 9 * * 1", None)


def test_an_automations_last_run_is_retried_by_its_number(engine: Engine) -> None:
    """ "rerun #N's last run" names the automation (whose last run it retries), not a run."""
    org_id, chat, member = _chat(engine)

    def say(message: str) -> str:
        return chat.handle(Turn(member, "c", tz="UTC"), message).text

    say("every monday at 9 send me my pipeline summary")
    say("yes")
    (auto,) = list_automations(engine, org_id)
    for said in (f"rerun #{auto.id}'s last run", f"retry the last run of #{auto.id}"):
        assert say(said) == f"#{auto.id} has no failed run to retry.", said


def test_also_on_an_active_automation_is_one_more_where_it_goes(engine: Engine) -> None:
    """One more recipient through its channel is added; a place through another channel is one
    more automation, the same but for where it goes, as a draft's second place is; with Slack
    not configured that is refused in one line and nothing is made."""
    org_id, chat, member = _chat(engine)

    def say(message: str) -> str:
        return chat.handle(Turn(member, "c", tz="UTC"), message).text

    say("every monday at 9 send me my pipeline summary")
    say("yes")
    (auto,) = list_automations(engine, org_id)
    added = say("also post it in #recruiting")
    first, copy = sorted(list_automations(engine, org_id), key=lambda a: a.id or 0)
    assert added == f"Added #{copy.id} “{copy.name}” — the same, posted to #recruiting.", added
    assert (first.output_channel, first.output_config["to"]) == ("email", ["me"])
    assert (copy.output_channel, copy.output_config["to"]) == ("slack", ["#recruiting"])
    assert copy.name == f"{auto.name} (#recruiting)"
    same = ("skill", "params", "cron_expression", "timezone", "enabled", "owner_id")
    assert [getattr(copy, f) for f in same] == [getattr(auto, f) for f in same]
    (entry,) = list_entries(engine, org_id, automation_id=copy.id)
    assert entry.entry.action == "create"
    undone = say("undo")  # the one it made stays, and undo says how to remove it
    assert undone.startswith(f"Undo doesn't take back an activation: say “delete #{copy.id}”")
    assert len(list_automations(engine, org_id)) == 2
    say(f"email #{auto.id} to lee@example.com too")
    (again,) = [a for a in list_automations(engine, org_id) if a.id == auto.id]
    assert again.output_config["to"] == ["me", "lee@example.com"]

    bare = ConversationEngine(Toolset(engine, load_settings(), clock=lambda: NOW))
    bare.handle(Turn(member, "c2", tz="UTC"), f"show #{auto.id}")
    refused = bare.handle(Turn(member, "c2", tz="UTC"), "also post it in #hiring").text
    assert "\n" not in refused and "not configured" in refused, refused
    assert len(list_automations(engine, org_id)) == 2


def test_a_first_name_on_a_draft_is_the_one_user_called_so(engine: Engine) -> None:
    """ "email it to sam too" on a draft adds the one user whose first name or address is
    sam; two such users are asked about, naming both, and nothing is added."""
    org_id, chat, member = _chat(engine)

    def say(message: str, conversation: str = "c") -> str:
        return chat.handle(Turn(member, conversation, tz="UTC"), message).text

    create_user(engine, org_id=org_id, email="sam.sourcer@acme.test", name="Sam Sourcer", now=NOW)
    say("every monday at 9 send me my pipeline summary")
    added = say("email it to sam too")
    assert "- Output: email to you and Sam Sourcer (sam.sourcer@acme.test)" in added, added
    say("yes")
    (auto,) = list_automations(engine, org_id)
    assert auto.output_config["to"] == ["me", "sam.sourcer@acme.test"]

    create_user(engine, org_id=org_id, email="samira@acme.test", name="Sam Iyer", now=NOW)
    say("every friday at 4pm send me my pipeline summary", "c2")
    asked = say("email it to sam too", "c2")
    assert asked.startswith("Several people are called “sam”"), asked
    assert "sam.sourcer@acme.test" in asked and "samira@acme.test" in asked, asked
