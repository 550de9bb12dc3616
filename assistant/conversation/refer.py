"""Which automation the words mean: "it" and "that one" (the automation last spoken about),
"#5", "automation 5", or a description matched against names, skill labels and skill names
("my pipeline report", "me the interview alert", "the hiring report"). The verb and filler
words around a description ("stop sending me", "the", "my") are not part of it. The speaker's
own automations are looked through first, then the others they may read (an admin's
organisation, the system jobs). Returns every candidate; choosing among several is the
engine's question to ask, never a guess made here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.language.words import SKILL_LABELS
from assistant.tools.views import AutomationView

THIS = {"it", "that", "this", "that one", "this one", "the same one", "the automation", "them"}
_FILLER = {
    "the", "my", "our", "a", "an", "one", "automation", "please", "of", "for", "that", "this",
    "which", "called", "named", "thing", "again", "now", "me", "us", "just", "anymore",
    "any", "more", "altogether",
}  # fmt: skip
# what a sentence says before the automation it is about ("stop sending me the report")
_LEAD = re.compile(
    r"^(?:(?:please|just|also)\s+)*(?:stop\s+(?:sending|running|posting|emailing|messaging)|"
    r"pause|stop|resume|unpause|restart|turn\s+(?:off|on)|disable|mute|show(?:\s+me)?|"
    r"preview|test|run|send)\s+"
)
# intents about one automation: said of "it", they mean the automation in focus
ABOUT_ONE = frozenset(
    {
        *("show", "next", "last", "pause", "resume", "delete", "run", "test", "history"),
        *("why", "backtest", "owner", "name", "retry", "edit", "recipients", "tally", "audit"),
        *("skip", "others"),
    }
)
# of those, the ones that change what an automation does or who gets it (a request still being
# set up takes them as details of itself)
SHAPING = frozenset({"edit", "recipients"})
# of those, the questions of what a stored automation did (how many it sent, who changed it)
OF_ITS_PAST = frozenset({"tally", "audit"})
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
    report = str(view.params.get("report") or "")  # the hiring report's own report skill
    text = " ".join(
        (
            view.name,
            str(view.params.get("message") or ""),  # a reminder's text: "the scorecards one"
            view.skill.replace("-", " "),
            SKILL_LABELS.get(view.skill, ""),
            report.replace("-", " "),
            SKILL_LABELS.get(report, ""),
            view.trigger,
        )
    )
    return {_stem(w) for w in re.split(r"[\s\-:,()/]+", text) if w}


def id_in(words: str) -> int | None:
    m = re.fullmatch(
        r"\s*(?:(?:automation|number|no\.?|id)\s*)?#?\s*(\d+)\s*", words.lower().strip("?.! ")
    )
    return int(m.group(1)) if m else None


def subject_of(words: str) -> str:
    """The words naming the automation, without a leading verb or "me": "stop sending me the
    pipeline report" and "me the pipeline report" are "the pipeline report"."""
    phrase = re.sub(r"\s+", " ", words.strip().lower().strip("?.!").replace("\u2019", "'"))
    phrase = _LEAD.sub("", phrase)
    phrase = re.sub(r"^(?:(?:me|us)\s+)+", "", phrase)
    return re.sub(r"\s+(?:any ?more|altogether|for good|please)$", "", phrase).strip()


def ref_words(words: str) -> set[str]:
    """The words of a reference that say which automation ("the pipeline report": pipeline,
    report), each as `words_of` has it."""
    phrase = subject_of(words)
    stems = {_stem(w) for w in re.split(r"[\s\-]+", phrase) if w and w not in _FILLER}
    return {w for w in stems if w and w not in _FILLER}


def stems_of(text: str) -> set[str]:
    """Each word of `text` as `words_of` has it."""
    return {_stem(w) for w in re.split(r"[\s\-:,()/]+", text) if w}


def resolve(
    words: str, views: list[AutomationView], focus: int | None, my_email: str
) -> Resolution:
    phrase = subject_of(words)
    if phrase in THIS or not phrase:
        if focus is None:
            return Resolution(needs_focus=True)
        return Resolution(ids=[focus], by_id=True)
    if (number := id_in(phrase)) is not None:
        return Resolution(ids=[number], by_id=True)
    mine = [v for v in views if v.owner_email.lower() == my_email.lower()]
    own = {v.id for v in mine}
    pool = views
    if re.match(r"my\b", phrase):
        pool = mine or views
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
    name = re.sub(r"^(?:the|my|our)\s+", "", phrase).strip()
    exact = [v for v in pool if v.name.lower().strip() == name]
    if len(exact) > 1:
        exact = [v for v in exact if v.id in own] or exact
    if len(exact) == 1:
        return Resolution(ids=[exact[0].id])
    # one's own first: another's automation is meant only when none of one's own fits
    for tier in ([v for v in pool if v.id in own], [v for v in pool if v.id not in own]):
        found = [v.id for v in tier if all(w in words_of(v) for w in specific)]
        if len(found) > 1 and len(specific) < len(wanted):
            # "the interview alert" over two interview automations: the generic word decides
            narrowed = [
                v.id for v in tier if v.id in found and all(w in words_of(v) for w in wanted)
            ]
            found = narrowed or found
        if found:
            return Resolution(ids=found)
    return Resolution()
