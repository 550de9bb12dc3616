"""Administration from the command line: an operator creates organisations with their first
admin, and admins add, list, promote, remove and invite users; bad input is one line, exit 1,
nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.cli.root import app
from tests.cli_calls import ok, ok_json, runner
from tests.demo_home import empty_home


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return empty_home(tmp_path, monkeypatch)


def refused(*args: str) -> str:
    """Stricter than tests.cli_calls.refused: nothing on stdout, one line on stderr."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr


def test_an_operator_creates_an_organisation_and_its_admin_manages_users(home: Path) -> None:
    refused("users", "list", "--org", "acme")  # no such organisation yet
    org = ok_json("orgs", "create", "acme", "--admin", "boss@acme.test", "--name", "Acme Inc")
    assert org["slug"] == "acme" and org["users"] == 1
    assert [o["slug"] for o in ok_json("orgs", "list")] == ["acme"]
    ok("users", "add", "dana@acme.test", "--org", "acme", "--name", "Dana")
    ok("users", "role", "dana@acme.test", "admin", "--org", "acme")
    users = ok_json("users", "list", "--org", "acme")
    assert [(u["email"], u["role"]) for u in users] == [
        ("boss@acme.test", "admin"),
        ("dana@acme.test", "admin"),
    ]
    # a member may not manage users
    ok("users", "add", "max@acme.test", "--org", "acme")
    assert "Only admins" in refused("users", "list", "--org", "acme", "--user", "max@acme.test")
    ok("tokens", "create", "--org", "acme", "--user", "max@acme.test")
    assert len(ok_json("tokens", "list", "--org", "acme")) == 1
    refused("users", "remove", "max@acme.test", "--org", "acme")  # no --yes
    removed = ok_json("users", "remove", "max@acme.test", "--org", "acme", "--yes")
    assert removed == {
        "email": "max@acme.test",
        "automations_moved": 0,
        "heir_email": "boss@acme.test",
        "tokens_revoked": 0,
    }
    assert ok_json("tokens", "list", "--org", "acme") == [], "their token went with them"
    ok("users", "role", "boss@acme.test", "member", "--org", "acme")
    assert "only admin" in refused("users", "role", "dana@acme.test", "member", "--org", "acme")
    assert "only admin" in refused("users", "remove", "dana@acme.test", "--org", "acme", "--yes")


def test_invitations_are_mailed_with_a_link_listed_and_revoked(home: Path) -> None:
    ok("orgs", "create", "acme", "--admin", "boss@acme.test")
    issued = ok_json("users", "invite", "ivy@acme.test", "--org", "acme", "--days", "3")
    assert "/invite/inv_" in issued["link"] and issued["emailed"]
    assert [i["email"] for i in ok_json("users", "invitations", "--org", "acme")] == [
        "ivy@acme.test"
    ]
    mail = ok_json("outbox", "list")
    assert mail[0]["to"] == "ivy@acme.test"
    assert issued["link"] in ok("outbox", "show", str(mail[0]["id"]))
    ok("users", "uninvite", str(issued["id"]), "--org", "acme")
    assert ok_json("users", "invitations", "--org", "acme") == []
    refused("users", "uninvite", str(issued["id"]), "--org", "acme")
    refused("users", "uninvite", "1" * 25, "--org", "acme")


BAD_INPUT = [
    ("orgs", "create", "Not A Slug", "--admin", "a@b.test"),
    ("orgs", "create", "ok", "--admin", "not-an-address"),
    ("orgs", "create", "ok", "--admin", "a@b.test", "--name", "n" * 300),
    ("orgs", "create", "ok", "--admin", "a@b.test", "--name", "a\x00b"),
    ("orgs", "create", "ok", "--admin", "a@b.test", "--plan", "gold"),
    ("orgs", "create", "ok", "--admin", "a@b.test", "--tz", "Mars/Olympus"),
    ("orgs", "create", "acme", "--admin", "a@b.test"),
    ("users", "add", "boss@acme.test", "--org", "acme"),
    ("users", "add", "x@acme.test", "--org", "acme", "--name", "x" * 201),
    ("users", "add", "x@acme.test", "--org", "acme", "--role", "owner"),
    ("users", "role", "nobody@acme.test", "admin", "--org", "acme"),
    ("users", "invite", "x@acme.test", "--org", "acme", "--days", "0"),
    ("users", "invite", "boss@acme.test", "--org", "acme"),
    ("tokens", "create", "--org", "acme", "--name", "t\x00"),
]


def test_bad_input_is_one_line_and_changes_nothing(home: Path) -> None:
    ok("orgs", "create", "acme", "--admin", "boss@acme.test")
    before = (ok_json("orgs", "list"), ok_json("users", "list", "--org", "acme"))
    for args in BAD_INPUT:
        refused(*args)
    after = (ok_json("orgs", "list"), ok_json("users", "list", "--org", "acme"))
    assert after == before
    assert ok_json("users", "invitations", "--org", "acme") == []


def test_skills_list_shows_integer_ranges_that_creation_enforces(home: Path) -> None:
    ok("orgs", "create", "acme", "--admin", "boss@acme.test")
    skills = {s["name"]: s for s in ok_json("skills", "list")}
    stale = skills["pipeline-report"]["params"]["stale_days"]
    assert stale["type"] == "integer" and stale["minimum"] >= 1 and stale["maximum"] > 1
    for skill in skills.values():
        for param in skill["params"].values():
            ranged = param["minimum"] is not None and param["maximum"] is not None
            assert ranged == (param["type"] == "integer")
    create: tuple[str, ...] = ("automations", "create", "--org", "acme", "--name", "Report")
    create += ("--skill", "pipeline-report", "--cron", "0 9 * * MON", "--param")
    refused(*create, f"stale_days={stale['maximum'] + 1}")
    refused(*create, f"stale_days={stale['minimum'] - 1}")
    ok(*create, f"stale_days={stale['maximum']}")


def test_other_names_are_length_limited_and_nul_free_on_every_write(home: Path) -> None:
    ok("orgs", "create", "acme", "--admin", "boss@acme.test")
    for args in (
        ("holidays", "add", "2026-12-25", "--org", "acme", "--name", "x" * 101),
        ("holidays", "add", "2026-12-25", "--org", "acme", "--name", "Xmas\x00"),
        ("connections", "add", "greenhouse", "--org", "acme", "--secret", "s" * 501),
        ("connections", "add", "greenhouse", "--org", "acme", "--secret", "s\x00"),
        ("connections", "add", "g\x00", "--org", "acme", "--secret", "s"),
    ):
        refused(*args)
    assert ok_json("holidays", "list", "--org", "acme") == []
    assert ok_json("connections", "list", "--org", "acme") == []


def test_an_invitation_link_names_its_address_and_a_leavers_automations_go_to_a_colleague(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok("orgs", "create", "acme", "--admin", "boss@acme.test")
    monkeypatch.delenv("SKILLTICK_PUBLIC_URL", raising=False)
    guessed = ok("users", "invite", "ivy@acme.test", "--org", "acme")
    assert "http://127.0.0.1:8080/invite/inv_" in guessed and "SKILLTICK_PUBLIC_URL" in guessed
    monkeypatch.setenv("SKILLTICK_PUBLIC_URL", "https://hire.acme.test")
    told = ok("users", "invite", "ivy2@acme.test", "--org", "acme")
    assert "https://hire.acme.test/invite/inv_" in told and "SKILLTICK_PUBLIC_URL" not in told
    for email in ("dana@acme.test", "max@acme.test"):
        ok("users", "add", email, "--org", "acme")
    made = ok_json(
        "automations", "create", "--org", "acme", "--user", "max@acme.test", "--name", "Mine",
        "--skill", "pipeline-report", "--cron", "0 9 * * MON",
    )  # fmt: skip
    said = ok(
        "users", "remove", "max@acme.test", "--org", "acme", "--yes", "--to", "dana@acme.test"
    )
    assert (
        said.strip() == "Removed max@acme.test; their automation is now dana@acme.test's, paused."
    )
    (taken,) = ok_json("automations", "list", "--org", "acme", "--all")
    assert (taken["id"], taken["owner_email"], taken["enabled"]) == (
        made["id"], "dana@acme.test", False,
    )  # fmt: skip
    assert "to user #" in ok("audit", "--org", "acme")
    assert "nobody@acme.test" in refused(
        "users", "remove", "dana@acme.test", "--org", "acme", "--yes", "--to", "nobody@acme.test"
    )
