"""Questions a recruiter asks in the conversation, through the real conversation engine: about
their automations (listings), about the one spoken about ("show me its last runs", "when will
it run next?"), and what is not an answer to a pending "Which one?" question."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from assistant.conversation.words import when
from assistant.language.draft import output_words
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import OrgFixture, make_automation, make_org
from models.store.automations import list_automations
from tests.assistant.conversation.member_chat import Chat as SharedChat


class Chat(SharedChat):
    def __init__(self, engine: Engine, org: OrgFixture, user_id: int, key: str = "q") -> None:
        super().__init__(engine, user_id, key=key)
        self.org = org


def ids(items: Sequence[Any]) -> list[int]:
    """The ids of views, runs or their JSON."""
    return [v["id"] if isinstance(v, dict) else v.id for v in items]


def seeded(engine: Engine) -> OrgFixture:
    """A member with an active, a paused and a failing automation; the admin with one."""
    org = make_org(engine, NOW, slug="acme")
    make_automation(engine, org, NOW, name="Pipeline report weekly", skill="pipeline-report")
    make_automation(engine, org, NOW, name="Sourcing recap", skill="sourcing-recap", enabled=False)
    make_automation(
        engine,
        org,
        NOW,
        name="Interview alert",
        skill="pipeline-report",
        consecutive_failures=2,
        last_run_status="failed",
    )
    make_automation(engine, org, NOW, name="Ada's digest", owner_id=org.admin_id)
    return org


# "what automations do I have?": openers x nouns x qualifiers, each a question about one's own
OWN = [
    *(
        f"{opener} {noun} do I have{qualifier}?"
        for opener, noun, qualifier in itertools.product(
            ("what", "which"),
            ("automations", "reports", "alerts", "jobs"),
            ("", " set up", " running", " right now", " scheduled at the moment"),
        )
    ),
    *(
        f"{opener}{qualifier}?"
        for opener, qualifier in itertools.product(
            ("what do I have", "what have I got", "what have I", "what've I"),
            (" running", " set up", " scheduled", " so far", " going"),
        )
        if opener[-1] != "I" or qualifier in (" set up", " scheduled")
    ),
    *(
        f"{opener} any {noun}{qualifier}?"
        for opener, noun, qualifier in itertools.product(
            ("do I have", "have I got", "have I set up"),
            ("automations", "reports", "alerts"),
            ("", " set up", " at all"),
        )
    ),
    "my automations",
    "all my reports",
    "what am I running?",
    "what reports am I getting?",
    "show all my automations",
    "list all of my reports",
    "what are my automations?",
    "are my automations running?",
]
# questions that say nobody's in particular: the listing "list" gives
ANY = [
    *(
        f"{opener}{qualifier}?"
        for opener, qualifier in itertools.product(
            ("what's scheduled", "what is running", "what's set up", "is anything scheduled"),
            ("", " right now", " at the moment", " currently"),
        )
    ),
    "show me everything",
    "show everything",
    "list it all",
    "any automations?",
    "are there any reports?",
    "what do we have running?",
    "anything running?",
    "what's on?",
    "list all",
    "list all automations",
    "list our automations",
    "show me all of them",
]


@pytest.mark.parametrize("role", ["member", "admin"])
def test_questions_about_ones_automations_are_listings(engine: Engine, role: str) -> None:
    org = seeded(engine)
    chat = Chat(engine, org, org.member_id if role == "member" else org.admin_id)
    mine = ids(chat.tools.list_automations(chat.actor, everyone=False))
    everything = ids(chat.tools.list_automations(chat.actor))
    if chat.actor.is_admin:
        everything += ids(chat.tools.list_automations(chat.actor, system=True))
    assert len(OWN) > 60 and len(ANY) > 15
    for asked, wanted in [*((q, mine) for q in OWN), *((q, everything) for q in ANY)]:
        if "alert" in asked:  # a listing of a kind: every one seeded is a scheduled report
            wanted = []
        reply = chat.say(asked)
        assert reply.kind == "list", (asked, reply.text)
        assert ids(reply.data) == wanted, asked
        assert chat.state()["listed"] == wanted, asked


STATE_QUESTIONS = {
    "failing": [
        "is anything failing?",
        "is anything broken?",
        "are any of my automations failing?",
        "do I have anything failing?",
        "anything failing?",
        "what's failing right now?",
        "are any reports erroring?",
        "which of my automations failed?",
        "what broke?",
        "which ones have failed recently?",
    ],
    "paused": [
        "is anything paused?",
        "are any of my reports paused?",
        "do I have any automations paused?",
        "anything on hold?",
        "what's paused?",
        "list all paused",
        "show our paused automations",
    ],
    "active": ["is anything active?", "do I have anything active?", "any active alerts?"],
}


def test_questions_about_a_state_list_those_in_it(engine: Engine) -> None:
    org = seeded(engine)
    chat = Chat(engine, org, org.member_id)
    views = chat.tools.list_automations(chat.actor)
    expected = {
        "failing": [v.id for v in views if v.consecutive_failures or v.last_run_status == "failed"],
        "paused": [v.id for v in views if not v.enabled],
        "active": [v.id for v in views if v.enabled],
    }
    for state, questions in STATE_QUESTIONS.items():
        assert expected[state]
        for asked in questions:
            reply = chat.say(asked)
            wanted = [] if "alert" in asked else expected[state]  # no alert is seeded
            assert reply.kind == "list" and ids(reply.data) == wanted, (asked, reply.text)


def test_how_many_counts_the_listing_it_shows(engine: Engine) -> None:
    org = seeded(engine)
    chat = Chat(engine, org, org.member_id)
    views = chat.tools.list_automations(chat.actor)
    paused = [v for v in views if not v.enabled]
    for asked, shown, first in (
        ("how many automations do I have?", views, f"You have {len(views)} automations:"),
        ("how many reports have I got running?", views, f"You have {len(views)} reports:"),
        ("how many are paused?", paused, f"You have {len(paused)} paused automation:"),
        ("how many of my automations are paused?", paused, "You have 1 paused automation:"),
    ):
        reply = chat.say(asked)
        assert reply.kind == "list" and ids(reply.data) == ids(shown), asked
        lines = reply.text.splitlines()
        assert lines[0] == first and len(lines) == len(shown) + 1, (asked, reply.text)
    fresh = make_org(engine, NOW, slug="empty")
    alone = Chat(engine, fresh, fresh.member_id)
    assert alone.say("how many automations do I have?").text.startswith("No automations yet.")


HISTORY = [
    "show me its last runs",
    "show its runs",
    "show me the runs",
    "what were its last runs?",
    "how's it doing?",
    "did it run?",
    "did it run today?",
    "has it run yet?",
    "did it send anything?",
    "is it failing?",
    "show me its history",
    "its last runs",
]
# how its latest run went: one line about that run
OUTCOME = ["how did it go?", "did it work?", "did it fail?", "how did the last run go?"]
NEXT = [
    "when will it run next?",
    "when does it run next?",
    "when's the next run?",
    "what's its next run?",
    "when will it go out?",
    "when is it next due?",
    "next run?",
    "when's it next?",
    "when is it next?",
    "When\u2019s it next?",
    "when is the next one?",
    "when's it running next?",
    "when does it go next?",
    "when is it on next?",
]
DESCRIBED = [
    "who gets it?",
    "who receives it?",
    "where does it go?",
    "who is it sent to?",
    "how often does it run?",
    "what does it send?",
    "what's it called?",
    "what does it do?",
]


@pytest.mark.parametrize("before", ["show", "change", "list"])
def test_its_questions_speak_of_the_automation_last_shown_changed_or_listed(
    engine: Engine, before: str
) -> None:
    org = seeded(engine)
    chat = Chat(engine, org, org.member_id)
    target = make_automation(engine, org, NOW, name="Offer tracker", skill="pipeline-report")
    chat.tools.run_now(chat.actor, target.id or 0)
    said = {
        "show": f"show #{target.id}",
        "change": f"move #{target.id} to 8am",
        "list": "what's failing?",
    }[before]
    if before == "list":  # the failing one is the only one listed
        target = next(a for a in list_automations(engine, org.org_id) if a.consecutive_failures)
        chat.tools.run_now(chat.actor, target.id or 0)
    assert chat.say(said).kind in ("info", "done", "list")
    runs = ids(chat.tools.history(chat.actor, target.id or 0, 10))
    assert runs
    for asked in HISTORY:
        reply = chat.say(asked)
        assert reply.kind == "list" and reply.automation_id == target.id, (asked, reply.text)
        assert ids(reply.data) == runs, asked
    for asked in OUTCOME:
        reply = chat.say(asked)
        assert reply.kind == "info" and reply.automation_id == target.id, (asked, reply.text)
        assert reply.data["id"] == runs[0] and f"Run #{runs[0]} of #{target.id}" in reply.text
    view = chat.tools.get_automation(chat.actor, target.id or 0)
    assert len(view.next_runs) == 3
    for asked in NEXT:
        reply = chat.say(asked)
        assert reply.kind == "info" and reply.automation_id == target.id, (asked, reply.text)
        for instant in view.next_runs:
            assert when(instant, view.timezone) in reply.text, asked
    for asked in DESCRIBED:
        reply = chat.say(asked)
        assert reply.kind == "info" and reply.automation_id == target.id, (asked, reply.text)
        # the output as a read-back says it: "me" is "you" to its owner
        assert f"- Output: {output_words(view.output_channel, view.to)}" in reply.text, asked
        assert f"- Trigger: {view.trigger}" in reply.text, asked


def test_next_run_of_a_paused_automation_says_it_is_paused(engine: Engine) -> None:
    org = seeded(engine)
    chat = Chat(engine, org, org.member_id)
    paused = next(a for a in list_automations(engine, org.org_id) if not a.enabled)
    chat.say(f"show #{paused.id}")
    reply = chat.say("when will it run next?")
    assert reply.automation_id == paused.id
    assert "is paused, so no run is scheduled" in reply.text


def test_next_run_of_a_pause_with_an_end_says_it_resumes_by_itself(engine: Engine) -> None:
    org = seeded(engine)
    chat = Chat(engine, org, org.member_id)
    active = next(a for a in chat.tools.list_automations(chat.actor, everyone=False) if a.enabled)
    assert chat.say(f"pause #{active.id} until next week").kind == "done"
    reply = chat.say("when will it run next?")
    paused = chat.tools.get_automation(chat.actor, active.id)
    assert reply.automation_id == active.id and paused.paused_until is not None
    assert f"until {when(paused.paused_until, paused.timezone)} and resumes by itself" in reply.text


def test_it_with_several_candidates_asks_rather_than_guesses(engine: Engine) -> None:
    org = seeded(engine)
    chat = Chat(engine, org, org.member_id)
    mine = ids(chat.tools.list_automations(chat.actor, everyone=False))
    for asked in ("did it run?", "when will it run next?", "show me its last runs"):
        reply = chat.say(asked)
        assert reply.kind == "choose", (asked, reply.text)
        assert [c.say for c in reply.choices] == [f"#{n}" for n in mine]
    chosen = chat.say("the second one")
    assert chosen.kind == "list" and chosen.automation_id == mine[1]  # the last question's


NOT_ANSWERS = [
    "when will it run next?",
    "did it run?",
    "pause it",
    "list",
    "what automations do I have?",
    "help",
    "every weekday at 9am send me a summary of my pipeline",
    "show #{recap}",
]


@pytest.mark.parametrize("said", NOT_ANSWERS)
def test_a_turn_that_does_not_answer_which_one_is_a_new_turn(engine: Engine, said: str) -> None:
    org = make_org(engine, NOW, slug="acme")
    weekly = make_automation(
        engine, org, NOW, name="Pipeline report weekly", skill="pipeline-report"
    )
    daily = make_automation(engine, org, NOW, name="Pipeline report daily", skill="pipeline-report")
    recap = make_automation(engine, org, NOW, name="Sourcing recap", skill="sourcing-recap")
    chat = Chat(engine, org, org.member_id)
    chat.say(f"show #{daily.id}")  # "it" was the daily one before the question
    asked = chat.say("delete my pipeline report")
    assert asked.kind == "choose" and chat.state()["pending"]["kind"] == "choose"
    reply = chat.say(said.replace("{recap}", str(recap.id)))
    pending = chat.state()["pending"] or {}
    if reply.kind == "choose":  # "it" among the candidates is asked about, for the new action
        assert "Which automation" in reply.text and pending["intent"]["kind"] != "delete"
        assert [c.say for c in reply.choices] == [f"#{weekly.id}", f"#{daily.id}"]
    else:
        assert pending.get("kind") != "choose", (said, reply.text)
        assert reply.kind != "confirm" and "Delete" not in reply.text
    assert len(list_automations(engine, org.org_id)) == 3
    assert all(a.enabled for a in list_automations(engine, org.org_id))


@pytest.mark.parametrize(
    "answer, index",
    [
        ("the second one", 1),
        ("2", 1),
        ("#{daily}", 1),
        ("{daily}", 1),
        ("the first one", 0),
        ("Pipeline report weekly", 0),
        ("the weekly one", 0),
        ("daily", 1),
    ],
)
def test_a_real_answer_picks(engine: Engine, answer: str, index: int) -> None:
    org = make_org(engine, NOW, slug="acme")
    weekly = make_automation(
        engine, org, NOW, name="Pipeline report weekly", skill="pipeline-report"
    )
    daily = make_automation(engine, org, NOW, name="Pipeline report daily", skill="pipeline-report")
    chat = Chat(engine, org, org.member_id)
    assert chat.say("pause my pipeline report").kind == "choose"
    reply = chat.say(answer.replace("{daily}", str(daily.id)))
    chosen = (weekly, daily)[index]
    assert reply.kind == "done" and reply.automation_id == chosen.id, (answer, reply.text)
    enabled = {a.id: a.enabled for a in list_automations(engine, org.org_id)}
    assert enabled == {weekly.id: index != 0, daily.id: index != 1}
    assert chat.state()["pending"] is None
