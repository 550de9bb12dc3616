"""Contractions typed without their apostrophe ("why didnt it run?", "whats next", "dont send
it") read as spelled ("didn't", "what's", "don't") before any rule reads what was said, so each
rule keeps one spelling. Quoted words are left as said (a reminder's text), and so are words
glued to an address, a channel or a name ("#dont-panic", "cant@acme.test")."""

from __future__ import annotations

import re

# each contraction as typed without its apostrophe, which goes before its last letter
_BARE_WORDS = (
    "didnt doesnt dont isnt arent wasnt werent hasnt havent hadnt cant wont couldnt shouldnt "
    "wouldnt whats whos whens thats wheres hows theres heres"
).split()
_BARE = re.compile(
    r"(?<![\w#@$£€.'\u2019/-])(" + "|".join(_BARE_WORDS) + r")(?![\w@'\u2019-]|\.\w)", re.I
)
_QUOTED = re.compile(r"(“[^”]*”|\"[^\"]*\")")


def _spelled(m: re.Match[str]) -> str:
    word = m.group(1)
    return f"{word[:-1]}'{word[-1]}"


def with_apostrophes(said: str) -> str:
    """`said` with each contraction typed without its apostrophe spelled with it (see the
    module)."""
    parts = _QUOTED.split(said)
    for index in range(0, len(parts), 2):  # odd parts are quoted
        parts[index] = _BARE.sub(_spelled, parts[index])
    return "".join(parts)
