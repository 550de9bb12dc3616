"""`skilltick operators add|remove|list`: the host names who reads the whole service's figures;
each change is in the organisation's audit log, and a wrong name changes nothing, in one line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_in_process import copy_migrated_database, run_skilltick


def test_the_host_adds_lists_and_removes_operators(tmp_path: Path) -> None:
    copy_migrated_database(tmp_path)
    env = {"SKILLTICK_HOME": str(tmp_path), "COLUMNS": "60"}

    def skilltick(*args: str) -> tuple[int, str, str]:
        done = run_skilltick(args, env)
        return done.returncode, done.stdout, done.stderr

    for slug in ("ops", "acme"):
        assert skilltick("orgs", "create", slug, "--admin", f"boss@{slug}.test")[0] == 0
    assert skilltick("operators", "list") == (
        0,
        "No operators: skilltick operators add EMAIL --org SLUG.\n",
        "",
    )

    code, said, _ = skilltick("operators", "add", "BOSS@ops.test", "--org", "ops")
    assert code == 0 and said.startswith("boss@ops.test (ops) is an operator: ")
    code, listed, _ = skilltick("operators", "list", "--json")
    assert code == 0 and json.loads(listed) == [
        {"org": "ops", "email": "boss@ops.test", "name": "", "role": "admin", "operator": True}
    ]

    # a user the organisation does not have: one line, exit 1, nothing changes
    code, _, complaint = skilltick("operators", "add", "boss@acme.test", "--org", "ops")
    assert code == 1 and complaint == "error: No user 'boss@acme.test' in this organisation.\n"
    assert len(json.loads(skilltick("operators", "list", "--json")[1])) == 1

    code, said, _ = skilltick("operators", "remove", "boss@ops.test", "--org", "ops")
    assert code == 0 and "is not an operator" in said
    assert json.loads(skilltick("operators", "list", "--json")[1]) == []

    code, log, _ = skilltick("audit", "--org", "ops")
    assert code == 0
    assert "an operator of the service" in log and "no longer an operator of the service" in log
    assert "operator" not in skilltick("audit", "--org", "acme")[1]
