"""A Slack message's text read as its writer saw it: messages are built from pieces, each
written both as Slack sends it (markup, entities, formatting, emoji) and as the writer saw it,
and the reading of the first is the second."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.slack.incoming import plain_text

BOT = "UBOT"
NAMES = {"U0BEA": "Bea Recruiter", "U0HANK": "Hank Manager"}
WORD = st.sampled_from(
    ["every", "monday", "9am", "send", "R&D", "a<b", "x>y", "9:30", "0 9 * * 1", "bea_smith"]
)
# (as Slack sends it, as the writer saw it)
PIECES = st.one_of(
    WORD.map(lambda w: (w.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), w)),
    st.sampled_from(sorted(NAMES)).map(lambda u: (f"<@{u}>", NAMES[u])),
    st.just((f"<@{BOT}>", "")),
    st.sampled_from(["hiring", "q1-roles"]).map(lambda c: (f"<#C0{len(c)}X|{c}>", f"#{c}")),
    st.just(("<mailto:bea@acme.test|bea@acme.test>", "bea@acme.test")),
    st.just(
        ("<https://hooks.example.com/a_b*c*|hooks.example.com>", "https://hooks.example.com/a_b*c*")
    ),
    st.sampled_from(["*", "_", "`"]).map(lambda m: (f"{m}weekly digest{m}", "weekly digest")),
    st.just(("~pause it~", "")),
    st.sampled_from([":tada:", ":+1::skin-tone-2:", ":flag-de:"]).map(lambda e: (e, "")),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=8))
def test_a_message_reads_as_its_writer_saw_it(pieces: list[tuple[str, str]]) -> None:
    sent = " ".join(s for s, _ in pieces)
    seen = " ".join(" ".join(w for _, w in pieces).split())
    if not seen and any(s.startswith(":+1:") for s, _ in pieces):
        seen = "yes"  # nothing but emoji, one of them a thumbs up
    assert plain_text(sent, bot=BOT, person=NAMES.get) == seen
