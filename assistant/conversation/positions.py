"""A row of the last listing said by its position: "the second one", "the 2nd", "third",
"number 2", "the top one", "the last one", "the one before last". Positions count as the
listing showed its rows; "#2" stays automation 2, never a position."""

from __future__ import annotations

import re

from assistant.conversation.reply import Reply

_NTH = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"
)  # fmt: skip
_SUFFIX = {1: "st", 2: "nd", 3: "rd"}
# position words, each to its index in the listing (negative: counted from its end)
INDEXES: dict[str, int] = {
    **{word: n for n, word in enumerate(_NTH)},
    **{f"{n + 1}{_SUFFIX.get(n + 1, 'th')}": n for n in range(10)},
    "top": 0,
    "last": -1,
    "bottom": -1,
    "final": -1,
    "second last": -2,
    "second to last": -2,
    "one before last": -2,
    "penultimate": -2,
}
_WORD = "|".join(sorted(map(re.escape, INDEXES), key=len, reverse=True))
_POSITION = re.compile(
    rf"(?:the\s+)?(?P<word>{_WORD})(?:\s+(?:one|automation|row|item|line))?"
    r"(?:\s+(?:on|in|of)\s+(?:the|that|this|your)\s+(?:list|listing))?"
    r"|(?:the\s+)?one\s+(?:at\s+the\s+)?(?P<end>top|bottom)"
    r"|(?:the\s+one\s+)?(?P<nb>number|no\.?)\s*(?P<n>\d{1,2})"
)


def position(words: str) -> int | None:
    """The listing index `words` say ("the second one": 1, "the last one": -1), or None when
    they say no position."""
    said = " ".join(words.lower().replace("\u2019", "'").strip(" ?.!").split())
    said = said.replace("-", " ")
    m = _POSITION.fullmatch(said)
    if m is None:
        return None
    if m.group("n"):
        number = int(m.group("n"))
        return number - 1 if number >= 1 else None
    return INDEXES[m.group("word") or m.group("end")]


def by_number(words: str) -> bool:
    """Whether the position is said as a number ("number 2"): without a listing to count in,
    that names automation 2."""
    return bool(re.match(r"\s*(?:the\s+one\s+)?(?:number|no\.?)\s*\d", words.lower()))


def no_listing(words: str) -> Reply:
    """The one-line answer to a position with no listing in this conversation to count in."""
    return Reply(
        f"There's no list in this conversation to count “{words.strip(' ?.!')}” in: say "
        "“list” to see your automations, then pick one by its place or its number.",
        "error",
    )


def out_of_range(count: int) -> Reply:
    return Reply(
        f"The last list had only {count}." if count else "The last list was empty.", "error"
    )
