"""Recipients listed after a send verb or "to" ("to me and sam", "to sam, priya and me", "email
me & jonas the pipeline") all receive it: each teammate by first name, full name or address,
"me" anywhere in the list, and a name no user has is asked about, never dropped. Teammates,
lists, separators and word orders are generated; who should receive it is the generator's."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from assistant.language.teammate_words import Teammate
from assistant.language.understand import understand

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
FIRST = ("Sam", "Priya", "Jonas", "Lena", "Tomasz", "Aiko", "Rafael", "Noor")
LAST = ("Sourcer", "Patel", "Berg", "Park", "Nowak", "Sato", "Lima", "Haddad")
PEOPLE = [
    Teammate(f"{first} {last}", f"{first.lower()}.{last.lower()}@acme.test")
    for first, last in zip(FIRST, LAST, strict=True)
]
WHEN = ("every monday at 9", "each friday at 4pm", "every weekday at 8:30")


def _said(person: Teammate, pick: random.Random) -> str:
    first = person.name.split()[0]
    return pick.choice((first, first.lower(), person.name, person.email))


def _listed(items: list[str], pick: random.Random) -> str:
    if len(items) == 2:
        return f"{items[0]}{pick.choice((' and ', ' & '))}{items[1]}"
    head = pick.choice((", ", " and "))
    return f"{items[0]}{head}{items[1]}{pick.choice((' and ', ', and ', ' & '))}{items[2]}"


def test_every_recipient_listed_receives_it() -> None:
    pick = random.Random(21)
    for n in range(60):
        chosen = pick.sample(PEOPLE, pick.choice((1, 2)))
        items = [_said(p, pick) for p in chosen]
        expected = {p.email for p in chosen}
        if len(items) == 1 or pick.random() < 0.6:
            items.insert(pick.randrange(len(items) + 1), "me")
            expected.add("me")
        listed = _listed(items, pick)
        when = WHEN[n % len(WHEN)]
        request = pick.choice(
            (
                f"{when} email my pipeline summary to {listed}",
                f"{when} send my pipeline summary to {listed} by email",
                f"email {listed} my pipeline summary {when}",
            )
        )
        draft = understand(request, tz="UTC", now=NOW, people=PEOPLE)
        assert draft.ok, (request, draft.question)
        assert set(draft.to) == expected, (request, draft.to)
        for person in chosen:
            assert f"{person.name} ({person.email})" in draft.summary, draft.summary


def test_a_listed_name_no_user_has_is_asked_about() -> None:
    pick = random.Random(4)
    for n in range(12):
        # by name: an address in the request says who an unknown name is (it is not asked)
        known = pick.choice(PEOPLE).name.split()[0]
        items = pick.choice((["me", "bob"], [known, "bob"], ["me", known, "bob"]))
        request = f"{WHEN[n % len(WHEN)]} email my pipeline summary to {_listed(items, pick)}"
        draft = understand(request, tz="UTC", now=NOW, people=PEOPLE)
        assert not draft.ok and (draft.question or "").startswith("Who is “bob”?"), request
