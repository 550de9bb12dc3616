"""The Slack app (slack-bolt): DMs, @mentions, replies in threads the bot started and the
/skilltick command go to the conversation engine (a DM is one conversation, a channel thread
another); a draft is answered with a Block Kit confirmation (Activate / Edit / Cancel), other
choices with buttons that say the answer for the user (once: the clicked question then shows the
choice instead); the App Home tab lists the user's automations (an admin's: everyone's too)
with Pause / Resume buttons. Every listener acknowledges at once; the work (understanding, database, Web API
calls) runs in lazy listeners. A retried event is processed once. A message is read as its
writer saw it (assistant.slack.incoming): "@Bea" is Bea, "#hiring" the channel, an edit is no
new request, and a thread reply that opens with someone else's mention is for them.

The requester's time zone comes from their Slack profile (users.info `tz`); a Slack user is
matched to a skilltick user of the workspace's organisation by id, else by profile email.

The Slack SDKs are imported by the functions that build the app, not with this module, which
every command line start loads (bolt reads its listeners' parameter names, not their types)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assistant.app import AppContext
from assistant.conversation import ConversationEngine, Turn
from assistant.slack import oauth
from assistant.slack.blocks import reply_blocks
from assistant.slack.choices import add_choices, question_of
from assistant.slack.drafts import add_draft_buttons
from assistant.slack.home import add_home
from assistant.slack.incoming import for_the_bot, is_written, plain_text, rewritten
from assistant.slack.notices import add_notice_buttons
from assistant.slack.replies import CommandReply, Reply, ThreadReply, with_interim
from assistant.slack.threads import TurnOrder, ack, conversation_key, is_direct
from assistant.tools.toolset import Actor
from models.errors import InvalidInput, NotFound, SkilltickError
from models.settings_integrations import SlackSettings
from models.store.conversations import (
    conversation_held,
    find_installation,
    first_sighting,
    remove_installation,
    user_for_slack,
)
from models.store.orgs import find_org

if TYPE_CHECKING:
    from slack_bolt import App, Respond
    from slack_sdk import WebClient


def _org_id(ctx: AppContext, settings: SlackSettings, team_id: str | None) -> int:
    """The organisation a Slack workspace is connected to."""
    installation = find_installation(ctx.engine, team_id or "")
    if installation is not None:
        return installation.org_id
    if settings.org:
        return find_org(ctx.engine, settings.org).id or 0
    raise NotFound("This Slack workspace is not connected to a skilltick organisation.")


def _actor(
    ctx: AppContext,
    client: WebClient,
    settings: SlackSettings,
    team_id: str | None,
    slack_user: str,
) -> tuple[Actor, str | None]:
    """The skilltick user behind a Slack user, and their Slack time zone."""
    org_id = _org_id(ctx, settings, team_id)
    profile = client.users_info(user=slack_user)["user"]
    user = user_for_slack(ctx.engine, org_id, slack_user, profile.get("profile", {}).get("email"))
    return Actor.of(user), profile.get("tz") or None


def _person(
    ctx: AppContext, client: WebClient, settings: SlackSettings, team_id: str | None, user: str
) -> str | None:
    """The words a mentioned Slack user is spoken of by: their skilltick name (or address),
    else their Slack profile's address or name; None for a bot."""
    from slack_sdk.errors import SlackApiError

    try:
        profile = client.users_info(user=user)["user"]
    except SlackApiError:
        return ""  # someone Slack no longer knows: the mention's own label, if any
    if profile.get("is_bot"):
        return None
    details = profile.get("profile") or {}
    email = details.get("email")
    try:
        known = user_for_slack(ctx.engine, _org_id(ctx, settings, team_id), user, email)
    except SkilltickError:
        return str(email or details.get("real_name") or profile.get("real_name") or "")
    return known.name or known.email


def _read(
    ctx: AppContext, client: WebClient, settings: SlackSettings, body: dict[str, Any], text: str
) -> str:
    """What the person wrote, as they saw it (assistant.slack.incoming)."""
    team = body.get("team_id") or (body.get("team") or {}).get("id")
    return plain_text(
        text, bot=_bot_user(body), person=lambda user: _person(ctx, client, settings, team, user)
    )


def _bot_user(body: dict[str, Any]) -> str | None:
    """The bot's own user id, from the event's authorizations."""
    for auth in body.get("authorizations") or []:
        if auth.get("is_bot") and auth.get("user_id"):
            return str(auth["user_id"])
    return None


def _oauth_app(
    ctx: AppContext, settings: SlackSettings, client: WebClient | None
) -> tuple[App, WebClient]:
    """The bolt app of a many-workspace install: bolt's OAuth flow, and each request answered
    with its own workspace's bot token (a single bot token is the fallback)."""
    from slack_bolt import App

    client = client or oauth.workspace_client(settings.bot_token or None, settings.api_url)
    app = App(
        signing_secret=settings.signing_secret,
        client=client,
        oauth_settings=oauth.oauth_settings(
            ctx.engine,
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            public_url=ctx.settings.triggers.public_url,
        ),
        listener_executor=oauth.ContextExecutor(),
        process_before_response=False,
    )
    app.middleware(oauth.use_workspace_token)
    return app, client


def _wait_out_rate_limits(client: WebClient) -> None:
    """Slack answers a burst of posts with 429 and Retry-After: the client waits and posts
    again (twice at most), so an answer the conversation made (a read-back, a change) is not
    lost."""
    from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

    if not any(isinstance(h, RateLimitErrorRetryHandler) for h in client.retry_handlers):
        client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))


DM_KEY = conversation_key("D", None)  # the start of a DM conversation's key
EDITED = (
    "I read each message once, so that edit changed nothing: say the change as a new message "
    "(e.g. “make it 8am”)."
)


def tell_edit_changed_nothing(client: WebClient, channel: str, edit: dict[str, Any]) -> None:
    """The writer of an edited message learns, alone, that the bot answered what they wrote
    first: one who fixed "9am" to "8am" in place would otherwise activate the 9am read-back."""
    client.chat_postEphemeral(
        channel=channel, user=str(edit["user"]), thread_ts=edit.get("thread_ts"), text=EDITED
    )


def _on_message(
    body: dict[str, Any],
    client: WebClient,
    bots_thread: Callable[[dict[str, Any], str], bool],
    answer_message: Callable[[dict[str, Any], dict[str, Any]], None],
) -> None:
    """DMs, and replies in a thread the bot started; other channel talk is not for it. An
    edit is not a new request: its writer is told so, alone."""
    event = body["event"]
    edit = rewritten(event)
    said = edit or event
    if not is_written(said):
        return  # our own posts, deletions and other changes are not requests
    if not is_direct(event):
        # a thread's key is the ts of its first message (an edited mention's own)
        thread = said.get("thread_ts") or (said.get("ts") if edit else None)
        if not thread or not bots_thread(body, conversation_key(event["channel"], thread)):
            return
        if not for_the_bot(str(said.get("text", "")), _bot_user(body)):
            return
    if edit:
        tell_edit_changed_nothing(client, event["channel"], edit)
    else:
        answer_message(body, event)


def build_slack_app(
    ctx: AppContext, settings: SlackSettings, client: WebClient | None = None
) -> App:
    """The bolt app; `client` lets tests point the Web API at a local server."""
    from slack_bolt import App, BoltResponse
    from slack_sdk import WebClient

    settings.check()
    if settings.oauth:
        app, client = _oauth_app(ctx, settings, client)
    else:
        client = client or WebClient(token=settings.bot_token, base_url=settings.api_url)
        app = App(
            signing_secret=settings.signing_secret,
            client=client,
            token_verification_enabled=False,
            process_before_response=False,
        )
    _wait_out_rate_limits(client)
    tools = ctx.tools

    @app.middleware
    def once_per_event(body: dict[str, Any], next: Callable[[], Any]) -> Any:
        """A retried delivery (same event_id, X-Slack-Retry-Num) is acknowledged, not
        processed again, whichever process of the service took the first one."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not first_sighting(ctx.engine, str(event_id), tools.clock()):
            return BoltResponse(status=200, body="")
        return next()

    def who(body: dict[str, Any], slack_user: str) -> tuple[Actor, str | None]:
        team = body.get("team_id") or (body.get("team") or {}).get("id")
        return _actor(ctx, client, settings, team, slack_user)

    conversation = ConversationEngine(tools)

    def converse(
        body: dict[str, Any],
        slack_user: str,
        reply: Reply,
        origin: dict[str, Any],
        text: str,
        key: str,
    ) -> bool:
        """One turn of the conversation `key`; refusals and errors only the speaker sees.
        False when it was refused or not understood."""
        try:
            actor, tz = who(body, slack_user)
        except SkilltickError as exc:
            reply.private(exc.message)
            return False
        turn = Turn(actor, key, tz=tz, via="slack", origin=origin)
        answer = with_interim(
            reply,
            lambda: conversation.handle(turn, text),
            after=settings.interim_after_seconds,
        )
        # a preview of live data, like a refusal, is for the asker's eyes only; in the DM
        # with the bot it is kept in the DM (an ephemeral message there goes on a reload)
        if answer.kind == "error" or (answer.private and not key.startswith(DM_KEY)):
            reply.private(answer.text)
            return answer.kind != "error"
        # the buttons name the question they answer: what the conversation waits for now
        question = question_of(conversation.state(actor, key)) if answer.choices else None
        reply.final(
            answer.text,
            reply_blocks(answer, asker=slack_user, question=question),
            metadata={
                "event_type": "skilltick_reply",
                "event_payload": {"kind": answer.kind, "conversation": key},
            },
        )
        return True

    def read(body: dict[str, Any], text: str) -> str:
        return _read(ctx, client, settings, body, text)

    def on_command(body: dict[str, Any], respond: Respond) -> None:
        # escaped as a message is: &amp;, and <@U…|name> for a person (the manifest's
        # should_escape)
        text = read(body, str(body.get("text") or "")) or "help"
        user = body["user_id"]
        # reports and notices reach the requester by DM: the command may come from a channel
        # the bot is not in
        origin = {"channel": "slack", "slack_channel": user, "thread_ts": None, "slack_user": user}
        key = conversation_key(str(body.get("channel_id") or user), None)
        converse(body, user, CommandReply(respond), origin, text, key)

    app.command("/skilltick")(ack=ack, lazy=[on_command])

    def answer_message(body: dict[str, Any], event: dict[str, Any]) -> None:
        text = read(body, str(event.get("text") or ""))
        channel = event["channel"]
        # a DM is a chat: an answer follows the message it answers (in its thread when it was
        # written in one); in a channel the answer starts or continues the message's thread
        thread_ts = event.get("thread_ts")
        if not is_direct(event):
            thread_ts = thread_ts or event.get("ts")
        reply = ThreadReply(client, channel=channel, thread_ts=thread_ts, user=event["user"])
        origin = {
            "channel": "slack",
            "slack_channel": channel,
            "thread_ts": thread_ts,
            "slack_user": event["user"],
        }
        # in a channel the conversation is the thread the answer goes to, so a reply there
        # (with or without a mention) continues it
        converse(body, event["user"], reply, origin, text, conversation_key(channel, thread_ts))

    def bots_thread(body: dict[str, Any], key: str) -> bool:
        """A thread the bot is talking in: someone's conversation lives under its key."""
        team = body.get("team_id") or (body.get("team") or {}).get("id")
        try:
            org_id = _org_id(ctx, settings, team)
        except SkilltickError:
            return False
        return conversation_held(ctx.engine, org_id=org_id, key=key, now=tools.clock())

    add_choices(app, client, converse, who, conversation)

    order = TurnOrder()

    def on_mention(body: dict[str, Any]) -> None:
        with order.turn(body):
            answer_message(body, body["event"])

    def on_message(body: dict[str, Any]) -> None:
        with order.turn(body):
            _on_message(body, client, bots_thread, answer_message)

    app.event("app_mention")(ack=order.ack, lazy=[on_mention])
    app.event("message")(ack=order.ack, lazy=[on_message])
    _add_uninstall(app, ctx)

    add_draft_buttons(app, client, tools, who, conversation)
    add_home(app, client, tools, who)
    add_notice_buttons(app, client, tools, who)
    return app


def _add_uninstall(app: App, ctx: AppContext) -> None:
    """A workspace that removes the app: its token is dead, its mapping goes (audited)."""

    def on_uninstalled(body: dict[str, Any]) -> None:
        team = body.get("team_id")
        if team:
            remove_installation(ctx.engine, str(team), ctx.tools.clock())

    app.event("app_uninstalled")(ack=ack, lazy=[on_uninstalled])


def run_socket_mode(ctx: AppContext, settings: SlackSettings) -> None:
    """Socket Mode: no public URL needed (SKILLTICK_SLACK_APP_TOKEN, xapp-...)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    if not settings.app_token:
        raise InvalidInput("Socket Mode needs SKILLTICK_SLACK_APP_TOKEN (xapp-...).")
    SocketModeHandler(build_slack_app(ctx, settings), settings.app_token).start()
