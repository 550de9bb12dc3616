"""Who an automation goes to, changed one person at a time: "add sam", "cc priya@example.com",
"remove Sam Sourcer", "stop sending it to me". A person is named by an address or as a user
of the organisation (first name, full name or the start of their address, any case). The new
list goes through update_automation, so the owner-or-admin rule and the channel's recipient
checks apply as to any other change."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.tools.automations import AutomationTools
from assistant.tools.base import Actor
from assistant.tools.views import AutomationView
from models.errors import InvalidInput, NotFound
from models.store.orgs import list_users

_OWNER = ("me", "owner")


@dataclass(frozen=True, slots=True)
class Person:
    """Someone named in a request: `address` is what a `to` list holds for them."""

    said: str
    address: str
    name: str = ""

    @property
    def shown(self) -> str:
        return f"{self.name} ({self.address})" if self.name else self.address


@dataclass(frozen=True, slots=True)
class RecipientChange:
    view: AutomationView
    changed: list[Person]  # those added or removed
    unchanged: list[Person]  # already there (adding) or not there (removing)


class RecipientTools(AutomationTools):
    def person_named(self, actor: Actor, said: str) -> Person:
        """The person `said` names: an address as given, "me" (the speaker), or the one user
        of the organisation whose full name, first name or address (or its part before the
        first dot) it is, in any case."""
        wanted = said.strip().strip("“”\"'").lower()
        if wanted in ("me", "myself"):
            return Person(said, actor.email.lower())
        if re.fullmatch(r"[^\s@]+@[^\s@]+\.[^\s@]+", wanted):
            return Person(said, wanted)
        users = [
            u
            for u in list_users(self.engine, actor.org_id)
            if wanted
            in (
                u.name.lower(),
                (u.name.split() or [""])[0].lower(),
                u.email.lower().split("@")[0],
                u.email.lower().split("@")[0].split(".")[0],
            )
        ]
        if not users:
            raise NotFound(
                f"Nobody called “{said}” in your organisation; say their email address instead."
            )
        if len(users) > 1:
            raise InvalidInput(
                f"Several people are called “{said}”: {', '.join(u.email for u in users)}. "
                "Say which one by their address."
            )
        return Person(said, users[0].email.lower(), users[0].name)

    def _recipient_named(
        self, actor: Actor, entries: list[str], said: str, owner_email: str
    ) -> Person:
        """The recipient among `entries` whom `said` names: by the start of their address
        ("sam" for sam@acme.com) or, for a teammate, by name; "stop sending it to sam" takes
        out the Sam who gets it before a teammate Sam who does not. Nobody among them: the
        person named anywhere (who then does not get it)."""
        wanted = said.strip().strip("“”\"'").lower()
        addresses = {_address(e, owner_email) for e in entries}
        names = {u.email.lower(): u.name for u in list_users(self.engine, actor.org_id)}
        found = {
            address for address in addresses if wanted in _names_of(address, names.get(address, ""))
        }
        if len(found) > 1:
            raise InvalidInput(
                f"Several who get it are called “{said}”: {', '.join(sorted(found))}. "
                "Say which one by their address."
            )
        if found:
            address = found.pop()
            return Person(said, address, names.get(address, ""))
        return self.person_named(actor, said)

    def change_recipients(
        self,
        actor: Actor,
        automation_id: int,
        *,
        add: list[str],
        remove: list[str],
        only: bool = False,
    ) -> RecipientChange:
        """Add the people `add` names to the automation's recipients (`only`: instead of
        everyone before), or take out those `remove` names; nothing is stored when nobody
        changes or the change is refused."""
        auto, owner_email = self.owned_with_owner(actor, automation_id)
        owner = owner_email.lower()
        before = [str(e) for e in (auto.output_config or {}).get("to") or ["me"]]
        after = [] if only else list(before)
        changed: list[Person] = []
        unchanged: list[Person] = []
        for person in [self.person_named(actor, w) for w in add]:
            present = {_address(e, owner) for e in after}
            if person.address in present:
                unchanged.append(person)
                continue
            after.append("me" if person.address == owner else person.address)
            changed.append(person)
        for person in [self._recipient_named(actor, after, w, owner) for w in remove]:
            kept = [e for e in after if _address(e, owner) != person.address]
            (changed if len(kept) < len(after) else unchanged).append(person)
            after = kept
        if not after:
            raise InvalidInput(
                f"#{automation_id} would then go to nobody; nothing changed. Say “pause it” "
                "to stop it, or add someone first."
            )
        if after == before or (only and set(after) == set(before)):
            return RecipientChange(self.get_automation(actor, automation_id), [], unchanged)
        view = self.update_automation(actor, automation_id, {"to": after})
        return RecipientChange(view, changed, unchanged)


def _names_of(address: str, name: str) -> tuple[str, ...]:
    """What a person may be called by: the part of their address before "@" and before its
    first dot, and for a teammate their full and first names."""
    local = address.split("@")[0]
    said = (local, local.split(".")[0]) if "@" in address else ()
    return (*said, name.lower(), (name.split() or [""])[0].lower()) if name else said


def _address(entry: str, owner_email: str) -> str:
    """The address a `to` entry stands for ("me" is the owner's), lower case."""
    low = entry.strip().lower()
    return owner_email if low in _OWNER else low
