"""A preview reaches no further than an automation of the same skill may: the system jobs'
skills over the whole organisation (every recruiter's follow-ups, the renewal reminders) are
an admin's, so a member asking to see them now is told so, as a member asking for such an
automation is, and sees nothing of anyone else's candidates; their own follow-ups still show,
and an admin sees the organisation's."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from skills.ats.seed import seed_demo
from tests.assistant.conversation.member_chat import Chat

NOW = datetime(2026, 3, 4, 16, 0, tzinfo=UTC)
ADMINS_ONLY = (
    "show me everyone's follow-ups now",
    "show me the renewal reminders now",
    "preview the follow-ups for the whole organization",
)


def test_a_member_previews_no_system_job_over_the_organisation(sqlite_engine: Engine) -> None:
    demo = seed_demo(sqlite_engine, now=NOW, candidates=40)
    member = Chat(sqlite_engine, demo.member_ids[0], now=NOW)
    admin = Chat(sqlite_engine, demo.admin_id, now=NOW)
    for said in ADMINS_ONLY:
        refused = member.say(said)
        assert refused.kind == "error" and "only an admin" in refused.text, (said, refused.text)
        assert "TASKS" not in refused.text and "OFFERS" not in refused.text, refused.text
        shown = admin.say(said)
        assert shown.kind == "info" and shown.data["output"], (said, shown.text)
    own = member.say("show me my follow-ups now")
    assert own.kind == "info" and own.data["params"] in ({}, {"scope": "mine"}), own.text
