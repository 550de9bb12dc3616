"""`skilltick chat` as a recruiter runs it (a real subprocess): the read-back of a request and
"show it" and a change afterwards say the automation's settings in words, the same words both times, while
the stored params keep their codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_org
from models.engine import make_engine
from models.migrate import upgrade
from models.store.automations import list_automations

ACTION = (
    "- Action: a summary of your pipeline (pipeline-report), flagging candidates not contacted "
    "for 10 days"
)


def test_a_readback_and_show_it_say_the_settings_in_words(tmp_path: Path) -> None:
    env = {**os.environ, "SKILLTICK_HOME": str(tmp_path), "COLUMNS": "200"}
    env.pop("SKILLTICK_DATABASE_URL", None)
    engine = make_engine(f"sqlite:///{tmp_path}/skilltick.db")
    try:
        upgrade(engine)
        org = make_org(engine, NOW, slug="acme")
        said = [
            "every monday at 9am send me a summary of my pipeline, flag anyone not contacted "
            "in 10 days",
            "yes",
            "show it",
            "move it to 8am",
        ]
        done = subprocess.run(
            [
                *(sys.executable, "-m", "assistant", "chat", "--now", NOW.isoformat()),
                *("--org", "acme", "--user", org.member_email, "--json"),
            ],
            env=env,
            input="\n".join(said) + "\n",
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        replies = [json.loads(row)["reply"] for row in done.stdout.strip().splitlines()]
        draft, activated, shown, changed = replies
        assert draft["kind"] == "draft" and ACTION in draft["text"].splitlines(), draft["text"]
        assert "- Output: email to you" in draft["text"].splitlines()
        assert activated["kind"] == "done", activated["text"]
        assert shown["kind"] == "info" and ACTION in shown["text"].splitlines(), shown["text"]
        assert "- Output: email to you" in shown["text"].splitlines()
        assert changed["kind"] == "done" and "email to you." in changed["text"], changed["text"]
        for reply in (draft, shown, changed):
            assert not any(code in reply["text"] for code in ("stale_days", "scope", "[", "{"))
        (auto,) = list_automations(engine, org.org_id)
        assert auto.params == {"scope": "mine", "stale_days": 10, "period": "weekly"}
    finally:
        engine.dispose()
