"""The App Home tab: a member sees their automations with Pause / Resume; an admin also sees an
"Everyone's automations" part with the owner of each and the same buttons. Each row gives the
next run in the viewer's time zone (their Slack profile's). Names are shown as plain text: a
name holding "<!channel>" or "*" is shown as typed, never pings or formats. Slack allows 100
blocks in a view: past that, a context line says how many more the dashboard lists. add_home
publishes it when the tab opens and after each of its buttons."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from assistant.slack.mrkdwn import escape
from assistant.slack.threads import Who, ack
from assistant.tools.toolset import Toolset
from assistant.tools.views import AutomationView
from models.clock import local_time
from models.errors import SkilltickError

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_sdk import WebClient

MAX_VIEW_BLOCKS = 100
Block = dict[str, Any]


def next_run_words(when: datetime | None, tz: str | None) -> str:
    """ "next run Mon 07 Dec 2026 08:00 EST" in the zone `tz` (UTC when unknown)."""
    if when is None:
        return "no run scheduled"
    return f"next run {local_time(when, tz)}"


def _row(view: AutomationView, *, show_owner: bool, tz: str | None) -> Block:
    state = "active" if view.enabled else f"paused ({view.paused_reason or view.status})"
    action = ("home_pause", "Pause") if view.enabled else ("home_resume", "Resume")
    owner = f" · {view.owner_email}" if show_owner else ""
    upcoming = f" · {next_run_words(view.next_kept_run_at, tz)}" if view.enabled else ""
    text = f"#{view.id} {view.name}\n{view.trigger} · {state}{upcoming}{owner}"
    return {
        "type": "section",
        "block_id": f"automation_{view.id}",
        "text": {"type": "plain_text", "text": text[:3000], "emoji": False},
        "accessory": {
            "type": "button",
            "action_id": action[0],
            "value": str(view.id),
            "text": {"type": "plain_text", "text": action[1]},
        },
    }


def _header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": text}}


def _part(
    title: str,
    views: Sequence[AutomationView],
    *,
    show_owner: bool,
    room: int,
    empty: str,
    tz: str | None,
) -> list[Block]:
    blocks = [_header(title)]
    if not views:
        return [*blocks, {"type": "section", "text": {"type": "mrkdwn", "text": empty}}]
    shown = list(views[: max(0, room - 2)])
    blocks.extend(_row(v, show_owner=show_owner, tz=tz) for v in shown)
    if len(shown) < len(views):
        more = len(views) - len(shown)
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": f"… and {more} more: the dashboard lists them all."}
                ],
            }
        )
    return blocks


def home_view(
    mine: Sequence[AutomationView],
    everyone: Sequence[AutomationView] | None = None,
    *,
    tz: str | None = None,
) -> dict[str, Any]:
    """The Home tab for a member (`everyone` None) or an admin (everyone's, theirs included),
    its times in the viewer's zone `tz`."""
    budget = MAX_VIEW_BLOCKS if everyone is None else MAX_VIEW_BLOCKS // 2
    blocks = _part(
        "Your automations",
        mine,
        show_owner=False,
        room=budget,
        tz=tz,
        empty="None yet. DM me what you want, e.g. _Every Monday at 9am, send me a "
        "summary of my pipeline_.",
    )
    if everyone is not None:
        blocks.append({"type": "divider"})
        blocks.extend(
            _part(
                "Everyone's automations",
                everyone,
                show_owner=True,
                room=MAX_VIEW_BLOCKS - len(blocks),
                tz=tz,
                empty="Nobody in your organisation has an automation yet.",
            )
        )
    return {"type": "home", "blocks": blocks}


def unlinked_view(text: str) -> dict[str, Any]:
    """The Home tab of someone the app cannot serve (not a user of the organisation): why."""
    said = {"type": "plain_text", "text": text[:3000], "emoji": False}
    return {"type": "home", "blocks": [{"type": "section", "text": said}]}


def add_home(app: App, client: WebClient, tools: Toolset, who: Who) -> None:
    """The App Home tab: the automations, with pause and resume buttons."""

    def publish_home(body: dict[str, Any], slack_user: str) -> None:
        try:
            actor, tz = who(body, slack_user)
        except SkilltickError as exc:
            # the tab would stay blank: it says why instead
            client.views_publish(user_id=slack_user, view=unlinked_view(exc.message))
            return
        mine = tools.list_automations(actor, everyone=False)
        everyone = tools.list_automations(actor, everyone=True) if actor.is_admin else None
        client.views_publish(user_id=slack_user, view=home_view(mine, everyone, tz=tz))

    def on_home(body: dict[str, Any]) -> None:
        if body["event"].get("tab", "home") == "home":  # not the Messages tab
            publish_home(body, body["event"]["user"])

    app.event("app_home_opened")(ack=ack, lazy=[on_home])

    def on_home_button(body: dict[str, Any]) -> None:
        action = body["actions"][0]
        actor, _ = who(body, body["user"]["id"])
        change: Callable[..., Any] = (
            tools.pause if action["action_id"] == "home_pause" else tools.resume
        )
        try:
            change(actor, int(action["value"]))
        except SkilltickError as exc:
            client.chat_postMessage(channel=body["user"]["id"], text=escape(exc.message))
        publish_home(body, body["user"]["id"])

    for action_id in ("home_pause", "home_resume"):
        app.action(action_id)(ack=ack, lazy=[on_home_button])
