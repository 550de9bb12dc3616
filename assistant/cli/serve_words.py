"""What `serve --demo` says as it starts, true to the automations and settings as they are now:
where a forced first run's output lands and when, what the demo's event automation does with a
stage move, and where Slack reaches the service (or what is missing)."""

from __future__ import annotations

from assistant.app import AppContext
from assistant.cli.output import out
from assistant.demo import EXTRA_DEMO_AUTOMATIONS, INTERVIEW_FOLLOW_UP
from assistant.tools.toolset import actor_for
from assistant.tools.views import AutomationView
from models.settings_integrations import SlackSettings

# where a forced demo run's output shows, by output channel
DEMO_LANDING = {
    "in_app": "its message will be in the Inbox (dashboard: Inbox)",
    "email": "its email will be in the outbox",
    "slack": "its message will be posted to Slack",
    "webhook": "its message will be posted to its webhook",
}


def force_first_run(
    ctx: AppContext, org_slug: str, view: AutomationView, *, worker: bool = True
) -> None:
    """Queue a demo automation's run now, as its owner, and say where its output will show:
    within seconds when this process runs the worker, else when a worker or tick runs it."""
    forced = ctx.tools.run_now(actor_for(ctx.engine, org_slug, view.owner_email), view.id)
    landing = DEMO_LANDING.get(view.output_channel, "its output will be sent")
    if view.output_channel == "email" and ctx.settings.smtp.host:
        landing = f"its email will go to SMTP {ctx.settings.smtp.host}:{ctx.settings.smtp.port}"
    when = (
        "within seconds"
        if worker
        else "once a worker runs it (`skilltick worker`, `skilltick tick` or POST /cron/tick)"
    )
    out.print(
        f"Forced run #{forced.id} of #{view.id} “{view.name}” queued now; {landing} {when}.",
        highlight=False,
    )


def slack_words(slack: SlackSettings, public_url: str) -> str | None:
    """Where Slack reaches the service, or what is missing when only part of Slack is set (the
    events path is not served then, and Slack would be told 404); nothing without Slack."""
    events = f"{public_url.rstrip('/')}/slack/events"
    if slack.enabled:
        workspaces = (
            f"; admins connect workspaces at {public_url.rstrip('/')}/slack/install"
            if slack.oauth
            else ""
        )
        if not (slack.oauth or slack.org):  # the bot could not tell whose organisation
            workspaces = (
                "; set SKILLTICK_SLACK_ORG to the organisation its users belong to (until then "
                "the bot answers that the workspace is not connected)"
            )
        return f"Slack: events, /skilltick and interactivity at {events}{workspaces}."
    if not (slack.bot_token or slack.signing_secret or slack.client_id or slack.client_secret):
        return None
    missing = [] if slack.signing_secret else ["SKILLTICK_SLACK_SIGNING_SECRET"]
    if not (slack.bot_token or slack.oauth):
        missing.append(
            "SKILLTICK_SLACK_BOT_TOKEN (or SKILLTICK_SLACK_CLIENT_ID and _CLIENT_SECRET)"
        )
    return f"Slack is not served at {events}: set {' and '.join(missing)}."


def follow_up_words(follow_up: AutomationView | None) -> str:
    """What the demo's event automation does with a stage move, as it is now: the recruiter may
    have renamed, paused or changed it since the first start."""
    if follow_up is None:
        return "no automation follows stage moves."
    named = f"#{follow_up.id} “{follow_up.name}”"
    if not follow_up.enabled:
        return (
            f"{named} is paused, so it does not run on the move "
            f"(`skilltick automations resume {follow_up.id}` resumes it)."
        )
    if follow_up.params == EXTRA_DEMO_AUTOMATIONS[INTERVIEW_FOLLOW_UP]["params"]:
        return f"{named} emails its owner and adds a task."
    return f"{named} runs on it."
