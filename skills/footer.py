"""The line every report and alert ends with: who sent it and how to pause or change it, naming
only the ways this service offers. It follows from the settings alone, so it is worked out once
per worker and is the same for every run (renders shared between runs stay shared)."""

from __future__ import annotations

from dataclasses import dataclass

from models.settings import Settings

SENT_BY = "Sent by skilltick."


@dataclass(frozen=True, slots=True)
class Reach:
    """The ways a recipient can reach the service to pause or change an automation."""

    # the Slack app answers (/skilltick, direct messages): it is served and knows whose
    # organisation a workspace's users belong to
    slack: bool = False
    # where the dashboard is (its front page lists the automations) and /mcp is served, for
    # Claude connected with an API token from the dashboard; None: no address is known
    public_url: str | None = None


def reach_of(settings: Settings) -> Reach:
    """What `settings` offer: Slack when the app is served for an organisation (OAuth installs
    or SKILLTICK_SLACK_ORG), the public URL when it was set (SKILLTICK_PUBLIC_URL, or the
    address `serve` listens on): the default is this machine's, which a recipient elsewhere
    cannot open."""
    slack = settings.slack
    answers = slack.enabled and bool(slack.oauth or slack.org)
    triggers = settings.triggers
    known = "public_url" in triggers.model_fields_set and bool(triggers.public_url.strip())
    return Reach(slack=answers, public_url=triggers.public_url.rstrip("/") if known else None)


def footer_of(reach: Reach) -> str:
    """The closing line: SENT_BY, then each way `reach` offers to pause or change it."""
    ways = []
    if reach.slack:
        ways.append("ask skilltick in Slack (/skilltick or a direct message to the app)")
    if reach.public_url:
        ways.append(f"open {reach.public_url}")
        ways.append(f"ask Claude connected to {reach.public_url}/mcp")
    if not ways:
        return SENT_BY
    listed = " or ".join(ways) if len(ways) < 3 else ", ".join(ways[:-1]) + ", or " + ways[-1]
    return f"{SENT_BY} To pause or change this automation, {listed}."


def service_footer(settings: Settings) -> str:
    """The footer of this service's messages."""
    return footer_of(reach_of(settings))
