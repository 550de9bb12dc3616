"""A name after "to", "for" or "cc" is a teammate looked up among the organisation's users (full
name, first name, address or its local part, any case); a name nobody has is asked about; the
read-back never says the requester did not say where. Generated over the fixture's own users x
the ways to say them x cases x prepositions x request templates, on both stores."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from assistant.language import understand
from assistant.language.teammate_words import Teammate
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_org
from models.settings import load_settings
from models.store.orgs import create_user, get_user, list_users

NOW = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
TEMPLATES = (
    "every friday at 4pm send a summary of my pipeline {prep} {who}",
    "send the sourcing recap {prep} {who} every monday at 9am",
    "email a summary of my pipeline {prep} {who} every weekday at 8am",
)
PREPOSITIONS = ("to", "for", "cc")
CASES = (str.lower, str.upper, str.title)
# names no user of the fixture has
STRANGERS = ("bob", "zoltan", "marguerite")


def said_forms(name: str, email: str) -> list[str]:
    """Every way a request may call a user, worked out from the record alone."""
    local = email.split("@")[0]
    forms = {name, name.split()[0], local, local.split(".")[0]}
    return sorted(forms)


def test_each_user_said_any_way_after_to_for_or_cc_is_that_user(engine: Engine) -> None:
    org = make_org(engine, NOW)
    for email, name in (
        ("sam.sourcer@acme.test", "Sam Sourcer"),
        ("priya.k@acme.test", "Priya Kapoor"),
        ("jlee@acme.test", "Jordan Lee"),
    ):
        create_user(engine, org_id=org.org_id, email=email, name=name, now=NOW)
    user = get_user(engine, org.member_id)
    me = Actor(user.org_id, user.id or 0, user.role, user.email, "Europe/London")
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    users = [u for u in list_users(engine, org.org_id) if u.id != user.id]
    checked = 0
    for teammate in users:
        for form in said_forms(teammate.name, teammate.email):
            for case in CASES:
                for prep in PREPOSITIONS:
                    for template in TEMPLATES:
                        request = template.format(prep=prep, who=case(form))
                        draft = tools.understand(me, request, llm=False)
                        assert draft.ok, (request, draft.question)
                        assert draft.to == [teammate.email.lower()], request
                        assert f"{teammate.name} ({teammate.email})" in draft.summary
                        assert "did not say where" not in draft.summary, request
                        checked += 1
    assert checked >= 3 * 4 * 3 * 3 * 3


def test_a_name_nobody_has_is_asked_about_never_assumed() -> None:
    people = [Teammate("Sam Sourcer", "sam.sourcer@acme.test")]
    for stranger in STRANGERS:
        for case in (str.lower, str.title):
            for prep in ("to", "cc"):
                for template in TEMPLATES:
                    request = template.format(prep=prep, who=case(stranger))
                    draft = understand(request, tz="Europe/London", now=NOW, people=people)
                    assert draft.status == "question", request
                    assert (draft.question or "").startswith(f"Who is “{case(stranger)}”?")
                    assert "email address" in (draft.question or "")


def test_two_users_of_one_first_name_are_asked_apart() -> None:
    people = [Teammate("Sam Sourcer", "sam.s@acme.test"), Teammate("Sam Ortiz", "so@acme.test")]
    draft = understand(
        "send my pipeline to sam every friday at 4pm", tz="UTC", now=NOW, people=people
    )
    assert draft.status == "question"
    assert "sam.s@acme.test" in (draft.question or "") and "so@acme.test" in (draft.question or "")
    draft = understand(
        "send my pipeline to sam ortiz every friday at 4pm", tz="UTC", now=NOW, people=people
    )
    assert draft.to == ["so@acme.test"]


def test_to_me_is_where_it_goes_not_an_assumption() -> None:
    draft = understand("every monday at 9 send the team's pipeline report to me", tz="UTC", now=NOW)
    assert draft.ok and draft.to == ["me"]
    assert "did not say where" not in draft.summary


def test_words_after_to_that_are_not_names_stay_what_they_are() -> None:
    people = [Teammate("Sam Sourcer", "sam.sourcer@acme.test")]
    for request in (
        "every friday at 4pm send me a summary of my pipeline to review",
        "send me new applicants for the Data Engineer job every morning at 8am",
        "remind me tomorrow at 3pm to call sam and send it to priya",
    ):
        draft = understand(request, tz="UTC", now=NOW, people=people)
        assert draft.ok, (request, draft.question)
        assert draft.to == ["me"], request
