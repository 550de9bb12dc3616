"""Who an automation's output goes to, and when a candidate-facing send may go.

An output config's `to` list holds "me"/"owner", addresses (email, Slack channel or user id,
webhook URL), roles the skill can fill: "candidate", "interviewer", "hiring_manager", and "team":
everyone in the organisation, read when the run goes (someone who joins gets the next run). A
retry of an occurrence goes to the team its first attempt resolved, as the organisation has it
now: someone removed in between does not get it, someone who joined in between does not either.

Quiet hours: a message to a candidate waits for the candidate's working hours in their time zone
(else the organisation's). The executor then defers the whole run: it records it `skipped` with
reason `quiet_hours` and queues the next attempt at the start of working hours (a deferral is
not a failure: it moves no failure count and does not use up the occurrence's retries).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from models.addresses import is_email_address, shown
from models.errors import InvalidInput
from models.store.run_inputs import RunAutomation, RunOwner
from models.tables.automations import Automation
from models.tables.orgs import User
from skills.base import Addressee
from skills.calendar import WorkingHours, next_working_moment, zone
from worker.delivery.base import Recipient, recipient_key
from worker.delivery.guard import check_webhook_url
from worker.delivery.slack import is_slack_address

ROLES = ("candidate", "interviewer", "hiring_manager")
TEAM = "team"


@dataclass(frozen=True, slots=True)
class Resolved:
    recipients: list[Recipient]
    candidate_timezones: list[str | None]  # one per candidate-facing recipient
    missing_roles: list[str]  # roles asked for that the skill could not fill
    # the addressee key (SkillOutput.addressees) of each recipient named by role alone, by
    # address (lowercase): who may get their own copy; someone also named otherwise (the
    # owner, the team, an address) gets the whole
    addressed: dict[str, str] = field(default_factory=dict)


def wanted(automation: Automation | RunAutomation) -> list[str]:
    raw = automation.output_config.get("to") or ["me"]
    entries: list[str] = []
    for e in [raw] if isinstance(raw, str) else raw:
        text = (e if type(e) is str else str(e)).strip()
        if text:
            entries.append(text)
    return entries


@functools.lru_cache(maxsize=1024)
def _person(address: str, name: str) -> Recipient:
    # an owner receives run after run; the record is immutable, so one serves every run
    return Recipient(address=address, name=name)


def wants_team(automation: Automation | RunAutomation) -> bool:
    return any(entry.lower() == TEAM for entry in wanted(automation))


def recipient_ref(key: str) -> str:
    """How a run's recipient row names a recipient: the start of its key (worker.delivery)."""
    return key[:16]


def first_team(team: Sequence[User], first_recipients: Collection[str]) -> Sequence[User]:
    """Of the organisation's users now, those among the recipients (recipient_ref) the
    occurrence's first attempt resolved; all of them when it resolved none (a first attempt
    that failed or was deferred before it delivered)."""
    if not first_recipients:
        return team
    return [u for u in team if recipient_ref(recipient_key(u.email)) in first_recipients]


def by_owner(
    automation: Automation | RunAutomation,
) -> Callable[[User | RunOwner], list[Recipient]] | None:
    """How the recipients of the automation's runs follow from its owner alone, as resolve()
    gives them: decided once for every automation with the same `to` list. None when they
    depend on more than the owner (the team, a role a skill fills)."""
    entries = wanted(automation)
    fixed: list[Recipient | None] = []
    for entry in entries:
        role = entry.lower()
        if role == TEAM or role in ROLES:
            return None
        fixed.append(None if role in ("me", "owner") else Recipient(address=entry))
    if fixed == [None]:
        return lambda owner: [_person(owner.email, owner.name)]
    return lambda owner: [r or _person(owner.email, owner.name) for r in fixed]


def resolve(
    automation: Automation | RunAutomation,
    owner: User | RunOwner,
    addressees: dict[str, Addressee] | None = None,
    team: Sequence[User] = (),
) -> Resolved:
    """`team`: the organisation's users, when the `to` list names the team."""
    entries = wanted(automation)
    if not team and not addressees and len(entries) == 1 and entries[0].lower() in ("me", "owner"):
        # the commonest output: to its owner alone
        return Resolved([_person(owner.email, owner.name)], [], [])
    addressees = addressees or {}
    recipients: list[Recipient] = []
    zones: list[str | None] = []
    missing: list[str] = []
    addressed: dict[str, str] = {}
    by_role: set[int] = set()  # the positions of the recipients a role named
    for entry in entries:
        role = entry.lower()
        if role in ("me", "owner"):
            recipients.append(_person(owner.email, owner.name))
        elif role in ROLES:
            # a report over many jobs names one person per job: "hiring_manager", then
            # "hiring_manager:2", "hiring_manager:3"...
            people = [
                (key, person)
                for key, person in addressees.items()
                if (key == role or key.startswith(f"{role}:")) and person.email
            ]
            if not people:
                missing.append(role)
                continue
            for key, person in people:
                by_role.add(len(recipients))
                recipients.append(Recipient(address=person.email, name=person.name))
                addressed.setdefault(person.email.strip().lower(), key)
                if role == "candidate":
                    zones.append(person.timezone)
        elif role == TEAM:
            recipients.extend(_person(user.email, user.name) for user in team)
        else:
            recipients.append(Recipient(address=entry))
    if addressed:
        otherwise = {
            r.address.strip().lower() for n, r in enumerate(recipients) if n not in by_role
        }
        addressed = {a: key for a, key in addressed.items() if a not in otherwise}
    if team:
        # "me and my team": the owner is one of the team, and gets one copy
        unique: dict[str, Recipient] = {}
        for recipient in recipients:
            unique.setdefault(recipient.address.lower(), recipient)
        recipients = list(unique.values())
    return Resolved(recipients, zones, missing, addressed)


def quiet_until(
    now: datetime,
    timezones: list[str | None],
    org_tz: str,
    org_settings: dict,
    holidays: frozenset = frozenset(),
) -> datetime | None:
    """When candidate-facing sends may go: None for now, else the latest opening among the
    candidates' working hours (all of them can then receive)."""
    hours = WorkingHours.of(org_settings)
    openings = [next_working_moment(now, zone(tz, org_tz), hours, holidays) for tz in timezones]
    later = [o for o in openings if o is not None]
    return max(later) if later else None


def check_recipients(automation: Automation, webhook_allowlist: Sequence[str] = ()) -> None:
    """Validate an output config's recipients at creation (bad input changes nothing): email
    addresses for email; Slack channels ("#hiring", "C0123ABCD"), user ids ("U0123ABCD") or
    emails for slack; public http(s) URLs for webhook; organisation users (by email) for in_app.
    "me"/"owner" is the owner; roles are filled by the skill at run time, the team from the
    organisation's users."""

    channel = automation.output_channel
    entries = wanted(automation)
    for entry in entries:
        role = entry.lower()
        if channel == "webhook":
            if role in ("me", "owner", TEAM, *ROLES):
                raise InvalidInput(
                    "A webhook automation sends to URLs: give the URL to post to (https://...)."
                )
            check_webhook_url(entry, webhook_allowlist)
            continue
        if role in ("me", "owner", TEAM):
            continue
        if role in ROLES:
            if role == "candidate" and channel in ("slack", "in_app"):
                raise InvalidInput(
                    f"Candidates are not reachable by {channel.replace('_', '-')}"
                    "; send candidate-facing messages by email."
                )
            continue
        if channel == "email" and not is_email_address(entry):
            raise InvalidInput(f"'{shown(entry)}' is not an email address.")
        if channel == "slack" and not is_slack_address(entry):
            raise InvalidInput(
                f"'{shown(entry)}' is not a Slack channel (#hiring or a channel id like "
                "C0123ABCD), a Slack user id (U0123ABCD) or an email address."
            )
        if channel == "in_app" and not is_email_address(entry):
            raise InvalidInput(
                f"'{shown(entry)}' is not a user's email address; in-app messages go to "
                "users of your organisation."
            )
