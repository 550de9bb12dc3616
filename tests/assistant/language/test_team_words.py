"""Team words read from every template with every kind of name (first name, full name, address,
any case): the person acted on and the one receiving are the names the template was filled
with, exactly as written, and the kind is the template's."""

from __future__ import annotations

import itertools

from assistant.language.team_words import team_wish

NAMES = ["Sam", "dana", "Sam Sourcer", "priya.k@acme.test", "Jo-Ann"]
# template, kind, whether it names a receiver
TEMPLATES = [
    ("give all of {a}'s automations to {b}", "hand_over_all", True),
    ("hand everything of {a}'s over to {b}", "hand_over_all", True),
    ("please transfer {a}'s reports to {b}", "hand_over_all", True),
    ("give {a}'s automations to {b} and remove {a}", "remove", True),
    ("remove {a} from the team and give their automations to {b}", "remove", True),
    ("offboard {a} from the organisation", "remove", False),
    ("make {a} an admin", "role", False),
    ("promote {a} to admin", "role", False),
    ("make {b} the owner of #4", "hand_over", True),
    ("hand #4 over to {b}", "hand_over", True),
]


def test_every_template_reads_the_names_it_was_given() -> None:
    for (template, kind, receives), a, b in itertools.product(TEMPLATES, NAMES, NAMES):
        said = template.format(a=a, b=b)
        wish = team_wish(said)
        assert wish is not None and wish.kind == kind, (said, wish)
        if "{a}" in template:
            assert wish.who == a, (said, wish)
        if receives:
            assert wish.to == b, (said, wish)


def test_a_leaver_s_pronouns_become_their_name() -> None:
    for a, b in itertools.product(NAMES, NAMES):
        said = f"{a} is leaving: hand her automations to {b} and remove her"
        wish = team_wish(said)
        assert wish is not None and wish.kind == "leaving", said
        then = team_wish(wish.rest)
        assert then is not None and (then.kind, then.who, then.to) == ("remove", a, b), said
