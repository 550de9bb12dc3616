"""Which automation the words mean: "it" and "that one" (the automation last spoken about),
"#5", "automation 5", or a description matched against names and skills ("my pipeline
report", "the interview alert"). Returns every candidate; choosing among several is the
engine's question to ask, never a guess made here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.language.words import SKILL_LABELS
from assistant.tools.views import AutomationView

THIS = {"it", "that", "this", "that one", "this one", "the same one", "the automation", "them"}
_FILLER = {
    "the", "my", "our", "a", "an", "one", "automation", "please", "of", "for", "that", "this",
    "which", "called", "named", "thing", "again", "now",
}  # fmt: skip
# words that describe a kind of automation, matched only when nothing more specific is said
_GENERIC = {"report", "alert", "reminder", "summary", "message", "email", "notification"}


@dataclass(slots=True)
class Resolution:
    ids: list[int] = field(default_factory=list)
    by_id: bool = False  # "#5": the tool set decides whether it exists and is yours
    needs_focus: bool = False  # "it" with nothing spoken about yet


def _stem(word: str) -> str:
    word = word.lower().strip("'\u2019\".,!?()\u201c\u201d")
    word = re.sub(r"'s$", "", word)
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def words_of(view: AutomationView) -> set[str]:
    text = " ".join(
        (view.name, view.skill.replace("-", " "), SKILL_LABELS.get(view.skill, ""), view.trigger)
    )
    return {_stem(w) for w in re.split(r"[\s\-:,()/]+", text) if w}


def id_in(words: str) -> int | None:
    m = re.fullmatch(
        r"\s*(?:(?:automation|number|no\.?|id)\s*)?#?\s*(\d+)\s*", words.lower().strip("?.! ")
    )
    return int(m.group(1)) if m else None


def resolve(
    words: str, views: list[AutomationView], focus: int | None, my_email: str
) -> Resolution:
    phrase = re.sub(r"\s+", " ", words.strip().lower().strip("?.!"))
    if phrase in THIS or not phrase:
        if focus is None:
            return Resolution(needs_focus=True)
        return Resolution(ids=[focus], by_id=True)
    if (number := id_in(phrase)) is not None:
        return Resolution(ids=[number], by_id=True)
    pool = views
    if re.match(r"my\b", phrase):
        pool = [v for v in views if v.owner_email.lower() == my_email.lower()] or views
    owner = re.match(r"([a-z][\w.-]*)'s\s+", phrase)
    if owner and owner.group(1) not in ("everyone", "everybody"):
        who = owner.group(1)
        pool = [v for v in pool if v.owner_email.lower().split("@")[0].split(".")[0] == who]
        phrase = phrase[owner.end() :]
    wanted = [_stem(w) for w in re.split(r"[\s\-]+", phrase) if w and w not in _FILLER]
    wanted = [w for w in wanted if w and w not in _FILLER]
    specific = [w for w in wanted if w not in _GENERIC] or wanted
    if not specific:
        return Resolution()
    exact = [v for v in pool if v.name.lower().strip() == phrase.removeprefix("the ").strip()]
    if len(exact) == 1:
        return Resolution(ids=[exact[0].id])
    found = [v.id for v in pool if all(w in words_of(v) for w in specific)]
    if len(found) > 1 and len(specific) < len(wanted):
        # "the interview alert" over two interview automations: the generic word may decide
        narrowed = [v.id for v in pool if v.id in found and all(w in words_of(v) for w in wanted)]
        found = narrowed or found
    return Resolution(ids=found)
