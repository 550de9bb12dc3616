"""After "run it now", "did it work?" says in one line how that run went, as the real worker
left it: still waiting, delivered (how many, by which channel: never who), or failed with why
and what to say next."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine

from assistant.conversation import ConversationEngine, Turn
from assistant.tools.toolset import Actor, Toolset
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from models.settings import load_settings
from models.store.orgs import get_user
from worker.tick.factory import build_worker


def test_did_it_work_after_run_it_now_says_how_the_run_went(engine: Engine) -> None:
    org = make_org(engine, NOW)
    settings = load_settings(slack_bot_token="")  # Slack not set up: a post fails
    inbox = make_automation(engine, org, NOW, name="Inbox digest", skill="noop", channel="in_app")
    mailed = make_automation(engine, org, NOW, name="Posted", skill="noop", channel="slack",
                             to=["#hiring"])  # fmt: skip
    chat = ConversationEngine(Toolset(engine, settings, clock=lambda: NOW))
    member = Actor.of(get_user(engine, org.member_id))

    def say(message: str) -> str:
        return chat.handle(Turn(member, "o", tz="UTC"), message).text

    queued = say(f"run #{inbox.id} now")
    run_id = int(queued.split("#")[1].split()[0])
    assert say("did it work?") == (
        f"Run #{run_id} of #{inbox.id} “Inbox digest” hasn't finished yet (it is waiting to run); nothing "
        "is known of it so far. Ask again in a minute."
    )
    # a run that has not happened yet is not its last run
    assert say("when did it last run?").startswith(f"#{inbox.id} “Inbox digest” hasn't run yet")
    say(f"run #{mailed.id} now")
    build_worker(engine, settings).tick(now=NOW + timedelta(seconds=5))
    failed = say("how did it go?")
    assert failed.startswith(f"No: Run #{run_id + 1} of #{mailed.id} “Posted” failed "), failed
    assert failed.endswith("Say “why did it fail?” for more, or “retry it” to run it again.")
    assert "@" not in failed and "#hiring" not in failed  # where to is never said
    done = say(f"did #{inbox.id} work?")
    assert done.startswith(f"Yes: Run #{run_id} of #{inbox.id} “Inbox digest” completed "), done
    assert done.endswith(", delivered to 1 recipient by in-app message."), done
