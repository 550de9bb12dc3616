"""The Slack app (slack-bolt): DMs, @mentions and the /skilltick command draft automations and
answer with a Block Kit confirmation (Activate / Edit / Cancel); the App Home tab lists the
user's automations with Pause / Resume buttons. Every listener acknowledges at once; the work
(understanding, database, Web API calls) runs in lazy listeners.

The requester's time zone comes from their Slack profile (users.info `tz`); a Slack user is
matched to a skilltick user of the workspace's organisation by id, else by profile email."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic_settings import BaseSettings, SettingsConfigDict
from slack_bolt import Ack, App
from slack_sdk import WebClient

from assistant.app import AppContext
from assistant.tools.toolset import Actor
from assistant.tools.views import AutomationView
from models.errors import InvalidInput, NotFound, SkilltickError
from models.settings import is_placeholder_secret
from models.store.conversations import add_slack_thread, find_installation, user_for_slack
from models.store.orgs import find_org
from worker.run.notices import notice_blocks


class SlackSettings(BaseSettings):
    """SKILLTICK_SLACK_SIGNING_SECRET, _BOT_TOKEN, _APP_TOKEN (Socket Mode), _ORG (the
    organisation of a single-workspace install), _API_URL (Web API base, for tests)."""

    model_config = SettingsConfigDict(env_prefix="SKILLTICK_SLACK_", extra="ignore")

    signing_secret: str = ""
    bot_token: str = ""
    app_token: str = ""
    org: str | None = None
    api_url: str = "https://slack.com/api/"

    @property
    def enabled(self) -> bool:
        return bool(self.signing_secret and self.bot_token)

    def check(self) -> None:
        if not self.signing_secret or is_placeholder_secret(self.signing_secret):
            raise InvalidInput(
                "SKILLTICK_SLACK_SIGNING_SECRET is a placeholder; use the "
                "signing secret from your Slack app's Basic Information page."
            )


def _actor(
    ctx: AppContext,
    client: WebClient,
    settings: SlackSettings,
    team_id: str | None,
    slack_user: str,
) -> tuple[Actor, str | None]:
    """The skilltick user behind a Slack user, and their Slack time zone."""
    installation = find_installation(ctx.engine, team_id or "")
    if installation is not None:
        org_id = installation.org_id
    elif settings.org:
        org_id = find_org(ctx.engine, settings.org).id or 0
    else:
        raise NotFound("This Slack workspace is not connected to a skilltick organisation.")
    profile = client.users_info(user=slack_user)["user"]
    user = user_for_slack(ctx.engine, org_id, slack_user, profile.get("profile", {}).get("email"))
    return Actor.of(user), profile.get("tz") or None


def confirmation_blocks(summary: str, draft_id: int) -> list[dict[str, Any]]:
    def button(text: str, action: str, style: str | None = None) -> dict[str, Any]:
        element: dict[str, Any] = {
            "type": "button",
            "action_id": action,
            "value": str(draft_id),
            "text": {"type": "plain_text", "text": text},
        }
        if style:
            element["style"] = style
        return element

    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": summary}},
        {
            "type": "actions",
            "block_id": f"draft_{draft_id}",
            "elements": [
                button("Activate", "draft_activate", "primary"),
                button("Edit", "draft_edit"),
                button("Cancel", "draft_cancel", "danger"),
            ],
        },
    ]


def home_view(views: list[AutomationView]) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Your automations"}}
    ]
    if not views:
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": "None yet. DM me what you want, e.g. _Every Monday at 9am, send me a "
                    "summary of my pipeline_.",
                },
            }
        )
    for view in views:
        state = "active" if view.enabled else f"paused ({view.paused_reason or view.status})"
        action = ("home_pause", "Pause") if view.enabled else ("home_resume", "Resume")
        blocks.append(
            {
                "type": "section",
                "block_id": f"automation_{view.id}",
                "text": {
                    "type": "mrkdwn",
                    "text": f"*#{view.id} {view.name}*\n{view.trigger} · {state}",
                },
                "accessory": {
                    "type": "button",
                    "action_id": action[0],
                    "value": str(view.id),
                    "text": {"type": "plain_text", "text": action[1]},
                },
            }
        )
    return {"type": "home", "blocks": blocks}


def post_failure_notice(
    client: WebClient,
    origin: dict[str, Any],
    automation_id: int,
    text: str,
    *,
    paused: bool,
    failed_run_id: int | None,
) -> bool:
    """Post a failure notice in the Slack thread of `origin` (the automation's origin JSON:
    {"channel": "slack", "slack_channel": ..., "thread_ts": ...}); False if it has none.
    For worker/notices.py when origin.channel is "slack"."""
    channel = origin.get("slack_channel")
    if origin.get("channel") != "slack" or not channel:
        return False
    client.chat_postMessage(
        channel=str(channel),
        thread_ts=origin.get("thread_ts"),
        text=text,
        blocks=notice_blocks(automation_id, text, paused=paused, failed_run_id=failed_run_id),
    )
    return True


def build_slack_app(  # noqa: C901 - one closure per Slack handler
    ctx: AppContext, settings: SlackSettings, client: WebClient | None = None
) -> App:
    """The bolt app; `client` lets tests point the Web API at a local server."""
    settings.check()
    client = client or WebClient(token=settings.bot_token, base_url=settings.api_url)
    app = App(
        signing_secret=settings.signing_secret,
        client=client,
        token_verification_enabled=False,
        process_before_response=False,
    )
    tools = ctx.tools

    def who(body: dict[str, Any], slack_user: str) -> tuple[Actor, str | None]:
        team = body.get("team_id") or (body.get("team") or {}).get("id")
        return _actor(ctx, client, settings, team, slack_user)

    def propose(
        body: dict[str, Any], slack_user: str, channel: str, text: str, thread_ts: str | None
    ) -> None:
        try:
            actor, tz = who(body, slack_user)
            origin = {
                "channel": "slack",
                "slack_channel": channel,
                "thread_ts": thread_ts,
                "slack_user": slack_user,
            }
            draft = tools.draft_automation(actor, text, tz=tz, origin=origin, via="slack")
        except SkilltickError as exc:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=exc.message)
            return
        if draft.id is None:
            client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, text=draft.question or draft.summary
            )
            return
        posted = client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            text=draft.summary,
            blocks=confirmation_blocks(draft.summary, draft.id),
        )
        add_slack_thread(
            ctx.engine,
            org_id=actor.org_id,
            draft_id=draft.id,
            channel_id=channel,
            thread_ts=thread_ts or str(posted.get("ts") or ""),
            slack_user_id=slack_user,
            now=tools.clock(),
        )

    def just_ack(ack: Ack) -> None:
        ack()

    def on_command(body: dict[str, Any]) -> None:
        text = (body.get("text") or "").strip()
        if not text or text.lower() in ("help", "list"):
            actor, _ = who(body, body["user_id"])
            lines = [
                f"#{v.id} {v.name}: {v.trigger} ({'active' if v.enabled else 'paused'})"
                for v in tools.list_automations(actor, everyone=False)
            ]
            client.chat_postEphemeral(
                channel=body["channel_id"],
                user=body["user_id"],
                text="\n".join(lines) or "You have no automations yet.",
            )
            return
        propose(body, body["user_id"], body["channel_id"], text, None)

    def ack_command(ack: Ack) -> None:
        ack(text="Got it, one moment…")

    app.command("/skilltick")(ack=ack_command, lazy=[on_command])

    def on_message(body: dict[str, Any]) -> None:
        event = body["event"]
        if event.get("bot_id") or event.get("subtype"):
            return  # our own posts and edits are not requests
        text = " ".join(w for w in str(event.get("text", "")).split() if not w.startswith("<@"))
        propose(
            body, event["user"], event["channel"], text, event.get("thread_ts") or event.get("ts")
        )

    app.event("app_mention")(ack=just_ack, lazy=[on_message])
    app.event({"type": "message", "channel_type": "im"})(ack=just_ack, lazy=[on_message])

    def on_draft_button(body: dict[str, Any]) -> None:
        action = body["actions"][0]
        draft_id = int(action["value"])
        actor, _ = who(body, body["user"]["id"])
        channel = body["channel"]["id"]
        ts = body["message"]["ts"]
        try:
            if action["action_id"] == "draft_activate":
                view = tools.confirm_draft(actor, draft_id)
                text = f"Activated #{view.id} “{view.name}”."
            elif action["action_id"] == "draft_cancel":
                tools.cancel_draft(actor, draft_id)
                text = "Cancelled; nothing was created."
            else:
                text = "Reply in this thread with the corrected request and I'll draft it again."
        except SkilltickError as exc:
            text = exc.message
        if action["action_id"] == "draft_edit":
            client.chat_postMessage(channel=channel, thread_ts=ts, text=text)
        else:
            client.chat_update(
                channel=channel,
                ts=ts,
                text=text,
                blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
            )

    for action_id in ("draft_activate", "draft_edit", "draft_cancel"):
        app.action(action_id)(ack=just_ack, lazy=[on_draft_button])

    def publish_home(body: dict[str, Any], slack_user: str) -> None:
        actor, _ = who(body, slack_user)
        client.views_publish(
            user_id=slack_user, view=home_view(tools.list_automations(actor, everyone=False))
        )

    def on_home(body: dict[str, Any]) -> None:
        publish_home(body, body["event"]["user"])

    app.event("app_home_opened")(ack=just_ack, lazy=[on_home])

    def on_home_button(body: dict[str, Any]) -> None:
        action = body["actions"][0]
        actor, _ = who(body, body["user"]["id"])
        change: Callable[..., Any] = (
            tools.pause if action["action_id"] == "home_pause" else tools.resume
        )
        try:
            change(actor, int(action["value"]))
        except SkilltickError as exc:
            client.chat_postMessage(channel=body["user"]["id"], text=exc.message)
        publish_home(body, body["user"]["id"])

    for action_id in ("home_pause", "home_resume"):
        app.action(action_id)(ack=just_ack, lazy=[on_home_button])

    def on_notice_button(body: dict[str, Any]) -> None:
        action = body["actions"][0]
        actor, _ = who(body, body["user"]["id"])
        target = int(action["value"])
        try:
            if action["action_id"] == "notice_retry":
                run = tools.retry(actor, target)
                text = f"Retrying: run #{run.id} is queued with the current configuration."
            elif action["action_id"] == "notice_pause":
                text = f"Paused “{tools.pause(actor, target).name}”."
            else:
                text = f"Resumed “{tools.resume(actor, target).name}”."
        except SkilltickError as exc:
            text = exc.message
        message = body.get("message") or {}
        client.chat_postMessage(
            channel=body["channel"]["id"],
            text=text,
            thread_ts=message.get("thread_ts") or message.get("ts"),
        )

    for action_id in ("notice_retry", "notice_pause", "notice_resume"):
        app.action(action_id)(ack=just_ack, lazy=[on_notice_button])
    return app


def run_socket_mode(ctx: AppContext, settings: SlackSettings) -> None:
    """Socket Mode: no public URL needed (SKILLTICK_SLACK_APP_TOKEN, xapp-...)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    if not settings.app_token:
        raise InvalidInput("Socket Mode needs SKILLTICK_SLACK_APP_TOKEN (xapp-...).")
    SocketModeHandler(build_slack_app(ctx, settings), settings.app_token).start()
