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
from models.store.automations import list_automations
from models.store.orgs import get_user

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


def test_also_on_an_active_automation_keeps_where_it_went(engine: Engine) -> None:
    """One more recipient through its channel is added; another channel is refused in one
    line rather than replacing the one it has."""
    org_id, chat, member = _chat(engine)

    def say(message: str) -> str:
        return chat.handle(Turn(member, "c", tz="UTC"), message).text

    say("every monday at 9 send me my pipeline summary")
    say("yes")
    (auto,) = list_automations(engine, org_id)
    refused = say("also post it in #recruiting")
    assert "\n" not in refused and "one channel" in refused and "instead" in refused, refused
    assert refused.startswith(f"#{auto.id} goes by email"), refused
    (same,) = list_automations(engine, org_id)
    assert (same.output_channel, same.output_config["to"]) == ("email", ["me"])
    say("email it to lee@example.com too")
    (added,) = list_automations(engine, org_id)
    assert (added.output_channel, added.output_config["to"]) == ("email", ["me", "lee@example.com"])


def test_an_admin_reads_whose_pipeline_it_is(engine: Engine) -> None:
    """ "your" in a read-back is its owner's: another reader reads the owner's address."""
    org = make_org(engine, NOW)
    org_id = org.org_id
    member = Actor.of(get_user(engine, org.member_id))
    admin = Actor.of(get_user(engine, org.admin_id))
    chat = ConversationEngine(Toolset(engine, load_settings(), clock=lambda: NOW))
    chat.handle(Turn(member, "c", tz="UTC"), "every monday at 9 send me my pipeline summary")
    chat.handle(Turn(member, "c", tz="UTC"), "yes")
    (auto,) = list_automations(engine, org_id)
    mine = chat.handle(Turn(member, "c", tz="UTC"), f"show #{auto.id}").text
    theirs = chat.handle(Turn(admin, "a", tz="UTC"), f"show #{auto.id}").text
    assert "- Action: a summary of your pipeline" in mine, mine
    assert f"- Action: a summary of {member.email}'s pipeline" in theirs, theirs
