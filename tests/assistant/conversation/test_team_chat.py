"""The team in the chat: an admin hands automations over (one, or all of a leaver's), sees who is
in the team, invites, makes someone admin and removes someone (asked first, with who takes
their automations); everyone lists and revokes their own tokens, and no token is made in the
chat. A member asking for an admin's change gets one line naming the admins, and nothing
changes. Each change is read back from the store and its audit entry."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import yaml
from sqlalchemy.engine import Engine

from assistant.conversation.reply import Reply
from assistant.language.team_words import team_wish
from assistant.slack.blocks import reply_blocks
from bench.kit.conversation.scripts import SCRIPTS
from bench.kit.factories import make_automation, make_org
from models.engine import make_engine
from models.store import audit
from models.store.access import create_token, list_tokens
from models.store.automations import get_automation
from models.store.orgs import create_user, get_user, list_users
from tests.assistant.conversation.member_chat import NOW, Chat
from tests.cli_in_process import run_skilltick


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

    # no automation of that name: a new request, as before
    new = admin.say("give a summary of my pipeline to Sam")
    assert new.kind in ("question", "draft"), new.text
    assert said(admin, "cancel").startswith(("Cancelled", "Dropped"))
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
    deleting = admin.say(f"delete #{own}")  # Slack shows a removal's buttons as a delete's
    assert [_buttons(r) for r in (asked, deleting)] == [
        [("Remove", "yes", "danger"), ("Keep them", "no", None)],
        [("Delete", "yes", "danger"), ("Keep it", "no", None)],
    ]
    assert said(admin, "no") == "OK, nothing changed."
    asked = admin.say("Dana is leaving, hand her automations to Sam and remove her")
    assert asked.kind == "confirm" and [c.say for c in asked.choices] == ["yes", "no"]
    assert "2 automations go to sam@acme.test" in asked.text, asked.text
    assert "dana@acme.test stays" in said(admin, "no")
    assert get_user(engine, dana).email == "dana@acme.test"
    paused = admin.say("Dana is leaving: pause everything of hers")
    assert paused.kind == "confirm" and "2" in paused.text, paused.text
    assert said(admin, "no") == "OK, nothing changed."
    asked = admin.say("remove Dana")  # the heir is asked for, and named in the answer
    assert "Who takes their 2 automations" in asked.text, asked.text
    create_user(engine, org_id=org.org_id, email="sam.b@acme.test", name="Sam B", now=NOW)
    assert "say the address" in said(admin, "Sam")  # two Sams: asked again, still waiting
    done = said(admin, "to sam@acme.test")
    gone = said(admin, "remove sam.b@acme.test from the team")
    assert "they have no automations" in gone, gone
    assert (
        said(admin, "yes")
        == "Removed sam.b@acme.test from the team: their tokens and sessions ended."
    )
    assert done.startswith("Removed dana@acme.test") and "sam@acme.test's now, paused" in done
    assert {owner(n) for n in rest} == {sam}
    assert not any(get_automation(engine, org.org_id, n).enabled for n in rest)
    assert "dana@acme.test" not in {u.email for u in list_users(engine, org.org_id)}

    handing = admin.say("give all of Sam's automations to Max")
    assert handing.kind == "confirm" and "Give sam@acme.test's 4 automations" in handing.text
    assert said(admin, "yes").startswith("Handed 4 automations to member@acme.test")
    assert {owner(n) for n in (first, own, *rest)} == {org.member_id}
    assert said(admin, "make Sam an admin") == "sam@acme.test is an admin now."
    assert get_user(engine, sam).role == "admin"
    invited = said(admin, "invite new.hire@acme.test as a recruiter")
    assert "as a member (a recruiter is a member here" in invited and "/invite/" in invited
    assert "new.hire@acme.test (member)" in said(admin, "who is in our team")
    for action in ("user_role", "user_remove", "invite"):
        assert action in actions(), action
    handed = [  # each hand-over an edit of the owner, by the admin, on that automation
        r.entry.automation_id or 0
        for r in audit.list_entries(engine, org.org_id, limit=200)
        if r.entry.action == "edit" and "owner_id" in (r.entry.changes or {})
        and r.entry.actor_user_id == org.admin_id
    ]  # fmt: skip
    assert sorted(handed) == sorted([first, own, *[first, own, *rest]]), handed


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


def test_the_terminal_chat_asks_before_removing_and_refuses_a_member(
    tmp_path: Path, sqlite_template: Path
) -> None:
    """`printf 'remove Dana\\nyes\\n' | skilltick chat --user ADMIN`, and a member's try."""
    shutil.copyfile(sqlite_template, tmp_path / "skilltick.db")
    engine = make_engine(f"sqlite:///{tmp_path}/skilltick.db")
    env = {**os.environ, "SKILLTICK_HOME": str(tmp_path), "COLUMNS": "200"}
    env.pop("SKILLTICK_DATABASE_URL", None)
    try:
        org = make_org(engine, NOW, slug="acme")
        dana = create_user(
            engine, org_id=org.org_id, email="dana@acme.test", name="Dana D", now=NOW
        )
        make_automation(engine, org, NOW, owner_id=dana.id)
        chat = ["chat", "--now", NOW.isoformat(), "--org", "acme", "--user"]
        member = run_skilltick([*chat, org.member_email], env, input="remove Dana from the team\n")
        assert f"Only admins can remove users: ask {org.admin_email}." in member.stdout
        assert "dana@acme.test" in {u.email for u in list_users(engine, org.org_id)}
        admin = run_skilltick([*chat, org.admin_email], env, input="remove dana\nyes\n")
        assert admin.returncode == 0, admin.stderr
        asked, done = admin.stdout.index("Remove dana@acme.test"), admin.stdout.index("Removed")
        assert asked < done, admin.stdout
        assert "Say who (“Max”)" in admin.stdout  # a colleague, never the one leaving
        assert "their 1 automation is yours now, paused." in admin.stdout
        assert "dana@acme.test" not in {u.email for u in list_users(engine, org.org_id)}
    finally:
        engine.dispose()


def test_no_request_of_the_scripts_or_the_request_corpus_reads_as_team_words() -> None:
    """Every message the conversation scripts say and every request and question of the parser's
    corpus (none speaks of the team) stays what it was: none is read as team words."""
    corpus = yaml.safe_load(
        (Path(__file__).parents[3] / "bench/kit/language/requests.yaml").read_text()
    )
    said = [turn["say"] for script in SCRIPTS for turn in script["turns"] if "say" in turn]
    said += list(_strings(corpus))
    assert len(said) > 1000
    assert [s for s in said if team_wish(s) is not None] == []


def _buttons(reply: Reply) -> list[tuple[str, str, str | None]]:
    """The Slack buttons of `reply`: label, the words a click says, style."""
    blocks = reply_blocks(reply) or []
    return [
        (b["text"]["text"], b["value"], b.get("style"))
        for block in blocks
        if block["type"] == "actions"
        for b in block["elements"]
    ]


def _strings(tree: object) -> Iterator[str]:
    if isinstance(tree, str):
        yield tree
    elif isinstance(tree, dict):
        for value in tree.values():
            yield from _strings(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from _strings(value)
