"""Recipients by role are checked against the skill when the request is read: a role no run of
the skill names (a pipeline report has no job, so no hiring manager) gets one line and makes
nothing; a skill that names the role keeps it. The ground truth is each skill's own `roles` in
the registry; changes in words are checked the same way and change nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from assistant.language import understand
from assistant.language.role_words import role_question
from assistant.tools.toolset import Actor, Toolset
from bench.kit.factories import make_automation, make_org
from models.errors import InvalidInput
from models.settings import load_settings
from models.store.automations import get_automation
from models.store.orgs import get_user
from skills.builtin import default_registry
from skills.registry import ADDRESSEE_ROLES

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
REGISTRY = default_registry()
ROLE_WORDS = {
    "hiring_manager": ("the hiring manager", "the hiring managers"),
    "interviewer": ("the interviewer", "the interviewers"),
}
# requests naming each skill, with where its recipients go
REQUESTS = {
    "pipeline-report": "every monday at 9am send a summary of my pipeline to {who}",
    "sourcing-recap": "every friday at 4pm send the sourcing recap to {who}",
    "scheduled-report": "on the 1st of every month at 9am email the hiring report to {who}",
    "followups": "every weekday at 9am send the follow-ups that are due to {who}",
    "offer-accepted-alert": "when an offer is accepted, email {who}",
    "interview-briefing": "30 minutes before each interview, send a briefing to {who}",
}


def test_every_skill_and_role_is_checked_by_the_skills_own_roles() -> None:
    specs = [spec for spec in REGISTRY.list() if spec.path is not None]  # SKILL.md skills
    assert any(spec.roles for spec in specs)
    for spec in specs:
        for role in ADDRESSEE_ROLES:
            answer = role_question(spec.name, [role], REGISTRY.specs())
            assert (answer is None) == (role in spec.roles), (spec.name, role, answer)
            if answer is not None and spec.roles:
                # a skill that names someone says whom, never that it is about no one
                assert "is not about one" not in answer and " is for the " in answer, answer


def test_requests_by_role_read_as_the_skill_allows() -> None:
    checked = 0
    for skill, template in REQUESTS.items():
        roles = REGISTRY.get(skill).spec.roles
        for role, phrasings in ROLE_WORDS.items():
            for who in phrasings:
                request = template.format(who=who)
                draft = understand(request, tz="UTC", now=NOW, specs=REGISTRY.specs())
                if role in roles:
                    assert draft.ok and draft.to == [role], (request, draft.question)
                else:
                    assert draft.status == "question", request
                    question = draft.question or ""
                    assert "\n" not in question and f"no {role.replace('_', ' ')}" in question
                checked += 1
    assert checked == len(REQUESTS) * 4


def test_a_change_to_a_role_the_skill_has_not_changes_nothing(engine: Engine) -> None:
    org = make_org(engine, NOW)
    auto = make_automation(
        engine, org, NOW, cron="0 9 * * 1", skill="pipeline-report", channel="email"
    )
    user = get_user(engine, org.member_id)
    me = Actor(user.org_id, user.id or 0, user.role, user.email, None)
    tools = Toolset(engine, load_settings(), clock=lambda: NOW)
    for said in ("send it to the hiring managers", "email it to the interviewer instead"):
        with pytest.raises(InvalidInput, match="is not about one"):
            tools.update_in_words(me, auto.id or 0, said)
    assert get_automation(engine, org.org_id, auto.id or 0).output_config == auto.output_config
