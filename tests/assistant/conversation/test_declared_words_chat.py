"""What a read-back says of a param can be said back, generated: for each skill param whose
declared words are distinctive ("looking back {value} hour{s} on the first run"), values drawn
within its range put in those words (param_in_words, the read-back's own function) are said in
a new request for that skill and as a change to one already made; both must end with the value
drawn. A value out of range is refused in a change and left as it was, said so, in a request."""

from __future__ import annotations

import random

from sqlalchemy.engine import Engine

from assistant.language.declared_words import said_back
from bench.kit.conversation.scripts import NOW
from bench.kit.factories import make_org
from skills.builtin import default_registry
from skills.param_words import param_in_words
from tests.assistant.conversation.member_chat import Chat

SPECS = default_registry().specs()
# a request that makes each skill's automation (checked: the draft is of that skill)
REQUESTS = {
    "interview-briefing": "every morning at 8 send me my interview briefing",
    "new-candidate-alert": "when someone applies, email me",
    "nurture-sequence": "every Monday at 9 run the nurture sequence",
    "open-roles-report": "every Monday at 9 send me the open roles report",
    "pipeline-report": "every Monday at 9 send me the pipeline report",
    "renewal-reminders": "every Monday at 9 send me the renewal reminders",
    "sourcing-recap": "every Monday at 9 send me the sourcing recap",
    "stale-candidate-sla": "every weekday at 9 send me the stale candidates",
}
# the follow-up's window is its schedule's, asked for by no request of a few words
LEFT_OUT = {"within_hours"}
TEXTS = ("onboarding", "Berlin", "Re-engagement")


def _said_params() -> list[tuple[str, str, object]]:
    rng = random.Random(7)
    found = []
    for skill, spec in SPECS.items():
        for name, param in spec.params.items():
            if name in LEFT_OUT or not said_back(name, param):
                continue
            assert skill in REQUESTS, f"{skill}.{name}: add a request that makes it"
            if param.type == "integer":
                least = param.minimum or 0
                # never the default: a change to it would rightly change nothing
                span = range(least, min(param.maximum or 99, 59) + 1)
                values: list[object] = rng.sample([v for v in span if v != param.default], 2)
            else:
                values = list(rng.sample(TEXTS, 2))
            found += [(skill, name, value) for value in values]
    return found


def test_a_param_said_as_the_readback_says_it_sets_it(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW, slug="acme")
    chat = Chat(sqlite_engine, org.admin_id, key="declared")
    made: dict[str, int] = {}
    said = _said_params()
    assert {skill for skill, _, _ in said} == set(REQUESTS)
    for skill, name, value in said:
        phrase = param_in_words(name, SPECS[skill].params[name], value)
        drafted = chat.say(f"{REQUESTS[skill]}, {phrase}")
        assert drafted.kind == "draft", (phrase, drafted.text)
        draft = chat.draft(drafted)
        assert (draft["skill"], draft["params"].get(name)) == (skill, value), phrase
        chat.say("cancel")
        if skill not in made:
            fresh = chat.say(REQUESTS[skill])
            assert fresh.kind == "draft", (skill, fresh.text)
            made[skill] = chat.say("yes").automation_id or 0
        changed = chat.say(f"change #{made[skill]} to {phrase}")
        assert changed.kind == "done", (phrase, changed.text)
        assert chat.tools.get_automation(chat.actor, made[skill]).params[name] == value, phrase


def test_a_value_out_of_range_is_never_taken(sqlite_engine: Engine) -> None:
    org = make_org(sqlite_engine, NOW, slug="acme")
    chat = Chat(sqlite_engine, org.admin_id, key="range")
    phrase = "looking back 9000 hours on the first run"
    drafted = chat.say(f"when someone applies, email me, {phrase}")
    assert "since_hours" not in chat.draft(drafted)["params"]
    assert f"“{phrase}” is out of range (it takes 1 to 8760)" in drafted.text
    chat.say("yes")
    refused = chat.say(f"make it {phrase}")
    assert refused.kind == "error" and "out of range" in refused.text
