"""Bulk pause and resume in words ("pause all of Dana's automations until Monday", "resume
everything paused this week"): what a request means, said back before anything changes, and
done after "yes". Members act on their own automations only."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from assistant.language.bulk_words import bulk_in_words
from assistant.language.kind_words import of_kind
from assistant.language.until_words import until_in_words
from assistant.tools.automations import AutomationTools
from assistant.tools.base import Actor
from assistant.tools.bulk_words import bulk_message, until_words
from models.clock import utc
from models.errors import InvalidInput, NotFound, PermissionDenied
from models.limits import TEXT_MAX, check_text
from models.store.automations import list_automations
from models.store.orgs import get_org, list_users
from models.tables.automations import Automation
from models.tables.orgs import User
from skills.ats.unmirrored import unmirrored_refusal


class BulkResult(BaseModel):
    action: str
    done: bool
    message: str
    automation_ids: list[int]


class BulkTools(AutomationTools):
    def bulk(self, actor: Actor, text: str, *, confirm: bool = False) -> BulkResult:
        """ "pause all of Dana's automations", "resume everything paused this week". Without
        confirm it only says what it would do. Members act on their own automations only."""
        wish = bulk_in_words(check_text(text, "The request", TEXT_MAX))
        owner_id: int | None = actor.user_id
        whose: str | None = "you"
        if wish.owner_name:
            owner = _user_named(self, actor, wish.owner_name)
            owner_id = owner.id
            whose = "you" if owner_id == actor.user_id else (owner.name or owner.email)
        elif not wish.mine and actor.is_admin:
            owner_id, whose = None, None
        if owner_id != actor.user_id and not actor.is_admin:
            raise PermissionDenied("Only admins can pause or resume other people's automations.")
        autos = list_automations(self.engine, actor.org_id, owner_id=owner_id)
        if wish.kind:  # "pause my reminders": the reminders only
            autos = [a for a in autos if of_kind(a, wish.kind)]
        now = self.clock()
        since: datetime | None = None
        unfed = ""  # the paused ones a resume leaves, and why
        until = until_in_words(wish.until, self.zone_of(actor), now) if wish.until else None
        if wish.action == "pause":
            chosen = [a for a in autos if a.enabled]
        else:
            since = _since(wish.paused_since, self.zone_of(actor), now)
            chosen = [
                a for a in autos if not a.enabled and (since is None or a.updated_at >= since)
            ]
            chosen, unfed = self._feedable(actor, chosen)
        ids = [a.id or 0 for a in chosen]
        verb = "pause" if wish.action == "pause" else "resume"
        ending = until_words(until, self.zone_of(actor))
        # an admin's "resume all" leaves the system jobs as they are: the answer names them
        left = "" if whose is not None or wish.kind else self._system_left(actor, verb, since)
        left = " ".join(part for part in (left, unfed) if part)
        if not confirm or not ids:
            window = wish.paused_since if verb == "resume" else None
            message = bulk_message(
                verb,
                chosen,
                whose=whose,
                done=False,
                since=window,
                until=ending,
                kind=wish.kind,
                left=left,
            ) + (" Confirm to go ahead." if ids else "")
            return BulkResult(action=verb, done=False, message=message, automation_ids=ids)
        # the listing is the actor's to change (their own, or an admin's pick; no system
        # jobs): each is changed as listed, without reading it again
        org = get_org(self.engine, actor.org_id) if verb == "resume" else None
        for auto in chosen:
            if org is None:
                self.paused(actor, auto, until, now)
            else:
                self.resumed(auto, org, now, actor)
        return BulkResult(
            action=verb,
            done=True,
            automation_ids=ids,
            message=bulk_message(
                verb, chosen, whose=whose, done=True, since=None, until=ending, left=left
            ),
        )

    def _system_left(self, actor: Actor, verb: str, since: datetime | None) -> str:
        """The system jobs a bulk change to everyone's leaves as they are, in words: "System
        jobs #3 and #4 stay paused: say “resume #3” to resume one.", or nothing."""
        jobs = list_automations(self.engine, actor.org_id, system=True)
        if verb == "pause":
            left = [a for a in jobs if a.enabled]
        else:
            left = [a for a in jobs if not a.enabled and (since is None or a.updated_at >= since)]
        if not left:
            return ""
        ids = [f"#{a.id}" for a in left]
        named = ids[0] if len(ids) == 1 else f"{', '.join(ids[:-1])} and {ids[-1]}"
        jobs_word = "System job" if len(ids) == 1 else "System jobs"
        stay = ("keeps" if len(ids) == 1 else "keep") + " running"
        if verb == "resume":
            stay = ("stays" if len(ids) == 1 else "stay") + " paused"
        one = " one" if len(ids) > 1 else " it"
        return f"{jobs_word} {named} {stay}: say “{verb} {ids[0]}” to {verb}{one}."

    def _feedable(self, actor: Actor, chosen: list[Automation]) -> tuple[list[Automation], str]:
        """The paused automations a resume may wake, and in words those it leaves paused
        because the organisation's mirrored ATS cannot feed their skill (skills.ats.unmirrored):
        "#7 stays paused: Renewal reminders would always be empty here: …"."""
        kept: list[Automation] = []
        unfed: dict[str, list[str]] = {}
        for auto in chosen:
            if refusal := unmirrored_refusal(self.engine, actor.org_id, auto.skill):
                unfed.setdefault(refusal, []).append(f"#{auto.id}")
            else:
                kept.append(auto)
        words = []
        for refusal, ids in unfed.items():
            named = ids[0] if len(ids) == 1 else f"{', '.join(ids[:-1])} and {ids[-1]}"
            stays = "stays" if len(ids) == 1 else "stay"
            words.append(f"{named} {stays} paused: {refusal}")
        return kept, " ".join(words)


def _user_named(tools: BulkTools, actor: Actor, name: str) -> User:
    wanted = name.lower()
    users = [
        u
        for u in list_users(tools.engine, actor.org_id)
        if (u.name.split() or [""])[0].lower() == wanted
        or u.email.split("@")[0].lower().split(".")[0] == wanted
        or u.email.lower() == wanted
    ]
    if not users:
        raise NotFound(f"Nobody called {name} in your organisation.")
    if len(users) > 1:
        raise InvalidInput(
            f"Several people match {name}: {', '.join(u.email for u in users)}. Which one?"
        )
    return users[0]


def _since(word: str | None, tz: str, now: datetime) -> datetime | None:
    if word is None:
        return None
    today = now.astimezone(ZoneInfo(tz)).replace(hour=0, minute=0, second=0, microsecond=0)
    if word == "today":
        return utc(today)
    if word == "yesterday":
        return utc(today - timedelta(days=1))
    return utc(today - timedelta(days=today.weekday()))  # this week: since Monday 00:00
