""" "Post it here" said as a change (or alone: "in this channel", "here instead") means the place
it is said in, as in a request: a Slack channel's id in that channel, the requester's direct
messages in a Slack DM, the app anywhere else; for an automation (in the chat and through the
tool set) and for a draft waiting for "yes" (where its request was said), on both stores."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from assistant.conversation import Turn
from assistant.conversation.reply import Reply
from models.store.automations import get_automation
from tests.assistant.conversation.member_chat import MemberChat

CHANNEL = "C0HIRING1"
# where it is said: (Slack channel, the door's channel) -> (output channel, to)
PLACES = {
    (CHANNEL, "slack"): ("slack", [CHANNEL]),
    ("D0DIRECT1", "slack"): ("slack", ["me"]),
    (None, None): ("in_app", ["me"]),
}
# (said to an automation, said to a draft), at each place
CHANGES = (
    ("post it here", "in this channel"),
    ("send it here instead", "here instead"),
    ("post it in this channel", "in here"),
)


def _say(chat: MemberChat, place: tuple[str | None, str | None], message: str) -> Reply:
    slack_channel, via = place
    origin = {"slack_channel": slack_channel} if slack_channel else {}
    turn = Turn(chat.actor, f"{slack_channel}", tz="UTC", via=via, origin=origin)
    return chat.conversation.handle(turn, message)


def test_here_said_as_a_change_is_where_it_was_said(engine: Engine) -> None:
    chat = MemberChat(engine)
    for place, (change, bare) in zip(PLACES, CHANGES, strict=True):
        _say(chat, place, "every weekday at 9am email me a summary of my pipeline")
        made = _say(chat, place, "yes")
        assert made.kind == "done" and made.automation_id, made.text
        changed = _say(chat, place, change)
        auto = get_automation(engine, chat.org.org_id, made.automation_id)
        assert (auto.output_channel, auto.output_config["to"]) == PLACES[place], changed.text
        assert changed.kind == "done", changed.text

        drafted = _say(chat, place, "every monday at 9am email me a summary of my pipeline")
        assert drafted.kind == "draft", drafted.text
        moved = _say(chat, place, bare)  # said alone, it is a change too
        output = chat.draft(moved)["output"]
        assert (output["channel"], output["to"]) == PLACES[place], moved.text
        _say(chat, place, "cancel")


def test_the_tool_set_reads_here_where_the_change_was_said(engine: Engine) -> None:
    chat = MemberChat(engine)
    chat.say("every weekday at 9am email me a summary of my pipeline")
    made = chat.say("yes").automation_id or 0
    view = chat.tools.update_in_words(
        chat.actor, made, "post it here", slack_channel=CHANNEL, via="slack"
    )
    assert (view.output_channel, view.to) == ("slack", [CHANNEL])
    view = chat.tools.update_in_words(chat.actor, made, "post it here")
    assert (view.output_channel, view.to) == ("in_app", ["me"])


def test_a_draft_moved_here_reads_back_as_a_request_said_here(engine: Engine) -> None:
    chat = MemberChat(engine)
    place = (CHANNEL, "slack")
    _say(chat, place, "every weekday at 9am email me a summary of my pipeline")
    _say(chat, place, "yes")
    changed = _say(chat, place, "post it here")
    assert f"Slack message to this channel ({CHANNEL})" in changed.text, changed.text
    said_here = _say(chat, place, "every monday at 9am post a summary of my pipeline here")
    assert said_here.kind == "draft", said_here.text
    where = f"Slack message to this channel ({CHANNEL})"
    assert where in said_here.text, said_here.text
    _say(chat, place, "cancel")
    for change in ("post it here", "in this channel", "here instead"):
        _say(chat, place, "every monday at 9am email me a summary of my pipeline")
        moved = _say(chat, place, change)
        assert moved.kind == "draft" and where in moved.text, (change, moved.text)
        _say(chat, place, "cancel")
