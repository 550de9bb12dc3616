"""The team in the chat: an admin hands automations over (one, or all of a leaver's), sees who is
in the team, invites, makes someone admin and removes someone (asked first, with who takes
their automations); everyone lists and revokes their own tokens, and no token is made in the
chat. A member asking for an admin's change gets one line naming the admins, and nothing
changes. Each change is read back from the store and its audit entry."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from bench.kit.factories import make_automation, make_org
from models.store import audit
from models.store.access import create_token, list_tokens
from models.store.automations import get_automation
from models.store.orgs import create_user, get_user, list_users
from tests.assistant.conversation.member_chat import NOW, Chat


def test_an_admin_hands_over_and_offboards_and_a_member_cannot(engine: Engine) -> None:
    org = make_org(engine, NOW, slug="acme")
    people = {
        first: create_user(
            engine,
            org_id=org.org_id,
            email=f"{first.lower()}@acme.test",
            name=f"{first} {last}",
            role="member",
            now=NOW,
        )
        for first, last in (("Sam", "Sourcer"), ("Dana", "Diaz"))
    }
    sam, dana = people["Sam"].id or 0, people["Dana"].id or 0
    ones = [make_automation(engine, org, NOW, owner_id=dana, name=f"Dana {n}") for n in range(3)]
    first, *rest = [a.id or 0 for a in ones]
    admin, member = Chat(engine, org.admin_id, key="a"), Chat(engine, org.member_id, key="m")

    def said(chat: Chat, message: str) -> str:
        reply = chat.say(message)
        assert "\n" not in reply.text, reply.text
        return reply.text

    def owner(automation_id: int) -> int:
        return get_automation(engine, org.org_id, automation_id).owner_id

    def actions() -> list[str]:
        return [r.entry.action for r in audit.list_entries(engine, org.org_id, limit=200)]

    # a member is refused in one line that names the admins, and nothing changes
    own = make_automation(engine, org, NOW, name="Offer letters").id or 0  # the member's
    for request in (
        f"give #{first} to sam",
        f"give #{own} to sam",
        "make Sam an admin",
        "remove Dana from the team",
        "give all of Dana's automations to Sam",
        "invite x@acme.test as a recruiter",
    ):
        refused = said(member, request)
        assert "admin can" in refused or refused.startswith("Only admins can"), refused
        assert refused.endswith(f"ask {org.admin_email}."), refused
    assert {owner(n) for n in (first, *rest)} == {dana}
    assert "member" == get_user(engine, sam).role

    team = said(admin, "who's in the team?")
    assert all(u.email in team for u in list_users(engine, org.org_id)), team
    given = said(admin, f"give #{first} to sam")
    assert given.startswith(f"#{first}") and "sam@acme.test's now" in given, given
    assert owner(first) == sam
    assert "already" in said(admin, f"hand #{first} over to sam@acme.test")
    by_name = said(admin, "make Sam the owner of the offer letters")
    assert by_name.startswith(f"#{own} “Offer letters”"), by_name
    assert owner(own) == sam

    asked = admin.say("Dana is leaving, hand her automations to Sam and remove her")
    assert asked.kind == "confirm" and [c.say for c in asked.choices] == ["yes", "no"]
    assert "2 automations go to sam@acme.test" in asked.text, asked.text
    assert "dana@acme.test stays" in said(admin, "no")
    assert get_user(engine, dana).email == "dana@acme.test"
    asked = admin.say("remove Dana")  # the heir is asked for, and named in the answer
    assert "Who takes their 2 automations" in asked.text, asked.text
    done = said(admin, "to Sam")
    assert done.startswith("Removed dana@acme.test") and "sam@acme.test's now, paused" in done
    assert {owner(n) for n in rest} == {sam}
    assert not any(get_automation(engine, org.org_id, n).enabled for n in rest)
    assert "dana@acme.test" not in {u.email for u in list_users(engine, org.org_id)}

    assert said(admin, "make Sam an admin") == "sam@acme.test is an admin now."
    assert get_user(engine, sam).role == "admin"
    invited = said(admin, "invite new.hire@acme.test as a recruiter")
    assert "as member (a recruiter is a member here" in invited and "/invite/" in invited
    assert "new.hire@acme.test (member)" in said(admin, "who is in our team")
    for action in ("user_role", "user_remove", "invite"):
        assert action in actions(), action
    assert sum(a.startswith("update") or a == "edit" for a in actions()) >= 1


def test_everyone_lists_and_revokes_their_own_tokens(engine: Engine) -> None:
    org = make_org(engine, NOW, slug="tok")
    member = Chat(engine, org.member_id, key="t")
    user = get_user(engine, org.member_id)
    secrets = [create_token(engine, user=user, name=n, now=NOW).secret for n in ("laptop", "ci")]
    admins = create_token(engine, user=get_user(engine, org.admin_id), name="laptop", now=NOW)
    listed = member.say("what tokens do I have?").text
    assert "“laptop”" in listed and "“ci”" in listed and "(2)" in listed, listed
    assert not any(s in listed for s in secrets)
    revoked = member.say("revoke my token called laptop").text
    assert revoked.startswith("Revoked your token") and "laptop" in revoked, revoked
    left = {t.name for t in list_tokens(engine, org.org_id, user_id=org.member_id)}
    assert left == {"ci"}
    assert "no token called “laptop”" in member.say("revoke my token called laptop").text
    assert [t.id for t in list_tokens(engine, org.org_id, user_id=org.admin_id)] == [
        admins.token.id
    ]  # an admin's token of the same name stays
    made = member.say("create a token for me").text
    assert "/tokens" in made and not list_tokens(engine, org.org_id, user_id=org.member_id)[1:]
    entry = audit.list_entries(engine, org.org_id, limit=5)[0].entry
    assert entry.action == "token_revoke" and entry.actor_user_id == org.member_id
