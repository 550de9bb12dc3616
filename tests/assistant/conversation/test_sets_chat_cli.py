"""`skilltick chat` as an admin types it, in one real subprocess: a bulk pause of a colleague's
automations, "resume them" (said back, then "yes"), a question it cannot answer, and "who has
the most automations?"; the database says what changed."""

from __future__ import annotations

from pathlib import Path

from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_automation, make_org
from models.engine import make_engine
from models.store.automations import list_automations
from models.store.orgs import create_user
from tests.chat_process import chat_home, chat_output


def test_resume_them_and_unanswerable_questions_in_a_chat_process(tmp_path: Path) -> None:
    env, engine = chat_home(tmp_path)
    org = make_org(engine, NOW, slug="acme")
    dana = create_user(engine, org_id=org.org_id, email="dana@acme.test", name="Dana R", now=NOW)
    made = [
        make_automation(engine, org, NOW, name=name, owner_id=dana.id).id
        for name in ("Digest", "Recap")
    ]
    engine.dispose()
    said = [
        "pause all of dana's automations",
        "yes",
        "resume them",
        "yes",
        "who has the most automations?",
        "how do I export my data?",
    ]
    out = chat_output(env, NOW, ["--org", "acme", "--user", org.admin_email], said)
    names = f"#{made[0]} Digest, #{made[1]} Recap"
    assert f"Paused 2 automations: {names}." in out
    assert f"Resume 2 automations: {names}. Say “yes” to go ahead" in out
    assert f"Resumed 2 automations: {names}." in out
    assert "Which automation?" not in out
    assert "Most: dana@acme.test (2)." in out
    assert "I can't answer that yet. I can answer questions like" in out
    assert "what to automate" not in out
    engine = make_engine(f"sqlite:///{tmp_path}/skilltick.db")
    assert all(a.enabled for a in list_automations(engine, org.org_id))
    engine.dispose()
