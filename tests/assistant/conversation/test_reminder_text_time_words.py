"""A time word inside a reminder's text that no rule reads ("review the summer interns",
"plan the christmas party") is asked about as the reminder's ("If it is part of what to remind
you of, say “text”"), and "text" keeps it in the text, the schedule as said. Words, schedules
and tasks are generated; the text and the runs are the generator's."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from models.settings import load_settings
from models.store.automations import get_automation
from tests.assistant.conversation.member_chat import MemberChat

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
SCHEDULES = [("every Monday at 9am", "0 9 * * 1"), ("every Friday at 4pm", "0 16 * * 5")]
TASKS = ["review the {w} interns", "plan the {w} hiring push", "email the {w} candidates"]
WORDS = ("summer", "winter", "christmas")


def test_a_time_word_in_the_text_is_asked_about_and_kept_as_text(sqlite_engine: Engine) -> None:
    chat = MemberChat(sqlite_engine, "UTC", now=NOW, settings=load_settings())
    cases = itertools.product(SCHEDULES, TASKS, WORDS)
    for n, ((when, cron), task, word) in enumerate(list(cases)[::3]):
        chat.key = f"c{n}"
        text = task.format(w=word)
        asked = chat.say(f"remind me {when} to {text}")
        assert asked.kind == "question", asked.text
        assert asked.text.startswith(f"I didn't understand '{word}' as part of the schedule.")
        assert "If it is part of what to remind you of, say “text”" in asked.text
        assert chat.say("text").kind == "draft"
        done = chat.say("yes")
        assert done.kind == "done", done.text
        auto = get_automation(sqlite_engine, chat.org.org_id, done.automation_id or 0)
        assert auto.skill == "reminder" and auto.cron_expression == cron
        assert auto.params["message"].replace("“", "").replace("”", "") == text
