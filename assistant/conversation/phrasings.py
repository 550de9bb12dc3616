"""What a message asks for, as an Intent, and the readers of the phrasings about one
automation already spoken about ("turn it back on", "show me a preview", "who paused #3?",
"skip next week") and of listings ("list paused"). The ordered table that tries them is
intents.py's."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.conversation.event_questions import event_question
from assistant.conversation.narrowed import question_about_many
from assistant.conversation.questions import Asked, listing_question, plain, target_question
from assistant.conversation.recipients import recipient_change
from assistant.conversation.run_tally import tally_question
from assistant.conversation.thread_words import others_or_next_one, skip_said
from assistant.conversation.usage_talk import usage_question
from assistant.language.delay_words import is_delay_change
from assistant.language.edit_words import is_relative_change
from assistant.language.kind_words import kind_in, trigger_kind_in

BULK_NOUN = r"(?:automations|alerts|reports|reminders|workflows)"
THIS_WORDS = r"it|that|this|that one|this one|#\d+"


@dataclass(frozen=True, slots=True)
class Intent:
    kind: str
    ref: str = ""  # the words naming the automation ("it", "#5", "my pipeline report")
    rest: str = ""  # what else the action needs: a change in words, "until Monday"...
    index: int | None = None  # "the second one"


def _first_group(m: re.Match[str]) -> str:
    """The first group a phrasing's alternatives filled: the words naming the automation."""
    return next((g for g in m.groups() if g), "").strip()


# "list paused", "which automations are failing?", "what is paused?": a listing by state
_STATES = {"paused": "paused", "active": "active", "failing": "failing"}
_STATE_WORD = r"(paused|active|failing|disabled|enabled|failed|broken|on hold)"


def read_relative_change(text: str) -> Intent | None:
    """ "an hour earlier", "drop Friday", "DM me instead": a change to what was spoken about."""
    return Intent("edit", rest=text) if is_relative_change(text) or is_delay_change(text) else None


def read_switch(text: str) -> Intent | None:
    """ "turn it off", "switch #5 off until Monday", "turn it back on"."""
    if m := re.fullmatch(
        rf"(?:turn|switch)\s+({THIS_WORDS})\s+(?:back\s+)?(off|on)"
        r"(\s+(?:until|till|til|through|for)\s+.+)?",
        text,
        re.I,
    ):
        kind = "pause" if m.group(2).lower() == "off" else "resume"
        return Intent(kind, ref=m.group(1), rest=(m.group(3) or "").strip())
    return None


# a short description of an automation, never a schedule or a request of its own
_SHORT_REF = r"((?:(?!\b(?:every|at|on|daily|weekly|when|whenever)\b)[\w#'.-]+\s*){1,6}?)"


def read_brought_back(text: str) -> Intent | None:
    """ "bring it back", "switch it back on", "turn it on again", "unpause": a resume."""
    low = text.lower().rstrip(" ?.!")
    if m := re.fullmatch(
        rf"(?:bring|get|switch|turn|start|set)\s+{_SHORT_REF}\s*(?:back(?:\s+(?:on|up))?|"
        r"on\s+again|up\s+again|going\s+again|running\s+again|live\s+again)(?:\s+again)?"
        rf"|(?:bring|get|switch|turn)\s+back\s+(?:on\s+)?{_SHORT_REF}"
        rf"|(?:start|turn\s+on|switch\s+on|run)\s+{_SHORT_REF}\s*again"
        rf"|(?:unpause|un-pause|resume|reactivate|restore|re-?enable|restart)(?:\s+{_SHORT_REF})?",
        low,
    ):
        return Intent("resume", ref=_first_group(m) or "it")
    return None


def read_preview(text: str) -> Intent | None:
    """ "show me a preview", "preview it", "send me a sample", "what would it look like?": a
    test run showing what it would send now (nothing is sent)."""
    low = text.lower().rstrip(" ?.!")
    low = re.sub(r"^(?:can|could|may) (?:i|we) (?:see|have|get)\b", "show me", low)
    low = re.sub(r"^(?:i'd|i would|we'd) (?:like|love) (?:to see|to get)\b", "show me", low)
    low = re.sub(r"\s+(?:please|now|right now|first)$", "", low)
    if m := re.fullmatch(
        r"(?:show|give|send|get|let me see|email|post)(?: (?:me|us))?(?: (?:a|the|an))?"
        r"(?: quick)? (?:preview|sample|example|dry run|test run|mock-?up)(?: (?:output|message|"
        rf"report|run))?(?: (?:of|for) {_SHORT_REF})?"
        rf"|(?:preview|sample|dry[- ]run)(?: {_SHORT_REF})?"
        rf"|(?:what|how) (?:would|will|does|do) {_SHORT_REF} (?:look like|read|look)"
        rf"|(?:what|how) (?:would|will) {_SHORT_REF} (?:send|say|post)(?: (?:me|us))?",
        low,
    ):
        return Intent("test", ref=_first_group(m) or "it")
    return None


def read_next_or_last_run(text: str) -> Intent | None:
    """ "is it paused?", "what does it do?", "what does it check?" show the automation; "when
    does it come back?" says when its pause ends;
    "show me the last run", "what did it send last time?" its history."""
    if m := re.fullmatch(
        r"(?:is|are) (.+?) (?:paused|active|running|on|off|enabled|disabled|working)(?: now)?\??"
        r"|what does (.+?) (?:do|check|check for|look (?:at|for)|watch(?: for)?|cover|send)\??",
        text,
        re.I,
    ):
        return Intent("show", ref=(m.group(1) or m.group(2)).strip())
    if m := re.fullmatch(
        r"when (?:does|will|is) (.+?) (?:come back|coming back|back|resume|restart|start again|"
        r"run again|wake up|unpause|be back)(?: by itself| on its own)?\??",
        text,
        re.I,
    ):
        return Intent("next", ref=m.group(1).strip())
    if m := re.fullmatch(
        r"(?:(?:show|see)(?: me)? )?(?:the |its )?(?:last|latest|previous) run(?: of (.+?))?\??"
        r"|what did (.+?) (?:send|say|post)(?: last time| last| yesterday| today)?\??",
        text,
        re.I,
    ):
        return Intent("history", ref=(m.group(1) or m.group(2) or "").strip())
    return None


def read_listing(low: str) -> Intent | None:
    """ "list", "list my automations", "show the system jobs", "list paused"; narrowed to a
    kind when it names one ("my reminders")."""
    if event_question(low):  # "what happens when a candidate is rejected?"
        return Intent("list", rest=f"on|{low}")
    if asked := usage_question(low):  # "how many automations do I have left on my plan?"
        return Intent("list", rest=f"usage|{asked}|{low}")
    if by_trigger := _listing_by_trigger(plain(low)):
        return by_trigger
    found = _read_listing(plain(low))
    if found is None or found.kind != "list" or not (kind := kind_in(plain(low))):
        return found
    if "|" in found.rest or found.rest.split()[:1] in (["runs"], ["upcoming"], ["more"]):
        return found  # runs, audit entries and windows are not automations of a kind
    return Intent("list", ref=found.ref, rest=f"{found.rest} kind:{kind}".strip())


# what is left of a listing once its trigger words are out: "which automations", "my ones"
_BARE_LISTING = re.compile(
    r"(?:(?:list|show|show me|see|what are|which are|what|which|give me)\b\s*)?(?:all\s+)?(?:of\s+)?"
    r"(?:(my|our|the|all|everyone's|everybody's)\s+)?(?:automations?|ones?)?"
    r"(?:\s+(?:do i have|have i got|do we have|have we got|are there|there are|i have|we have))?"
)


def _listing_by_trigger(low: str) -> Intent | None:
    """ "list my event automations", "which automations run on a schedule?", "the ones that
    poll": a listing of the automations started so (rest "<scope> <state> kind:<trigger>")."""
    said = trigger_kind_in(low)
    if said is None:
        return None
    kind, rest = said
    rest = re.sub(r"\bones?\b", "automations", rest)
    if _BARE_LISTING.fullmatch(rest):
        return Intent("list", rest=f"{_scope(rest)} kind:{kind}".strip())
    found = _read_listing(rest)
    if found is None or found.kind != "list" or "|" in found.rest:
        return None
    if found.rest.split()[:1] in (["runs"], ["upcoming"], ["more"]):
        return None
    return Intent("list", ref=found.ref, rest=f"{found.rest} kind:{kind}".strip())


def _read_listing(low: str) -> Intent | None:
    if about_many := question_about_many(low):
        return Intent(*about_many)
    if re.fullmatch(
        r"(?:list|show|show me|what are|which are|see)(?: all)?(?: of)?"
        r"(?: (?:the|our|its|my))?(?: (?:organi[sz]ation's|org's|team's))? system(?: jobs?)?\??",
        low,
    ):
        return Intent("list", rest="system")
    if state := _listing_by_state(low):
        return state
    if re.fullmatch(
        rf"(?:list|show|show me|what are|which are|see)(?: all)?(?: of)?"
        rf"(?: (?:my|our|the|everyone's|everybody's|all))? ?(?:{BULK_NOUN}|workflows)?|"
        r"what is running\??|list",
        low,
    ):
        return Intent("list", rest=_scope(low))
    if asked := listing_question(low):
        return _intent(asked)
    return None


def _scope(low: str) -> str:
    """ "my": the speaker's own; "everyone's": everyone's (admins only); "all", "our" or no
    word: what a listing shows by default (a member's own, everyone's to an admin)."""
    if re.search(r"\bmy\b", low):
        return "mine"
    return "everyone" if re.search(r"\b(?:everyone's|everybody's)\b", low) else ""


def _intent(asked: Asked) -> Intent:
    return Intent(asked.kind, ref=asked.ref, rest=asked.rest)


def read_about_one(text: str) -> Intent | None:
    """ "show me its last runs", "did it run?", "when will it run next?"."""
    asked = target_question(text)
    return _intent(asked) if asked else None


def _listing_by_state(low: str) -> Intent | None:
    """ "list paused", "show my paused automations", "which automations are failing?",
    "what is paused?": a listing with rest "<scope> <state>"."""
    low = low.rstrip("?")
    m = re.fullmatch(
        rf"(?:list|show|show me|see|what are|which are|which)(?: all)?(?: of)?"
        rf"(?: (my|our|the|everyone's|everybody's|all))?(?: the)? {_STATE_WORD}(?: ones)?"
        rf"(?: {BULK_NOUN})?(?: (?:are|is) there)?"
        rf"|(?:what|which)(?: of)?(?: (my|our|the|everyone's|everybody's|all))?"
        rf"(?: {BULK_NOUN}| ones| one)? (?:is|are)(?: currently| now)? {_STATE_WORD}(?: now)?"
        rf"|(?:what|which)(?: of)? (my|our|the|everyone's|everybody's|all)?\s?{_STATE_WORD}"
        rf" {BULK_NOUN}(?: do i have| have i got| are there)?",
        low,
    )
    if not m:
        return None
    scope_word = m.group(1) or m.group(3) or m.group(5) or ""
    word = m.group(2) or m.group(4) or m.group(6)
    state = {"disabled": "paused", "on hold": "paused", "enabled": "active"}.get(word)
    state = state or {"failed": "failing", "broken": "failing"}.get(word) or _STATES[word]
    return Intent("list", rest=f"{_scope(scope_word)} {state}".strip())


def read_audit(low: str) -> Intent | None:
    """ "who paused #3?", "what changed on it?", "who changed the digest?": read from the
    audit log (rest "paused" or "changed")."""
    low = low.rstrip(" ?")
    if m := re.fullmatch(r"who (?:paused|stopped|suspended|disabled|turned off) (.+)", low):
        return Intent("audit", ref=m.group(1), rest="paused")
    if m := re.fullmatch(
        r"(?:what|which changes)(?: has| have|'s)? (?:changed|been changed|was changed) "
        r"(?:on|in|about|with|for) (.+)|who (?:changed|edited|modified|touched) (.+)"
        r"|what changes (?:were|have been) made to (.+)"
        r"|(?:show )?(?:me )?(?:the )?(?:change history|audit log) (?:of|for|on) (.+)",
        low,
    ):
        return Intent("audit", ref=_first_group(m), rest="changed")
    return None


def read_tally(text: str) -> Intent | None:
    """ "how many runs failed last week?", "did #1 run this month?": runs counted."""
    asked = tally_question(text)
    return Intent("tally", ref=asked[0], rest=asked[1]) if asked else None


def read_recipients(text: str) -> Intent | None:
    """A change to who gets an automation ("add sam to it", "stop sending it to sam")."""
    change = recipient_change(text)
    return Intent("recipients", ref=change[0], rest=change[1]) if change else None


def read_skip(text: str) -> Intent | None:
    said = skip_said(text)
    return Intent("skip", ref=said[0], rest=said[1]) if said else None


def read_others_or_next(text: str) -> Intent | None:
    said = others_or_next_one(text)
    return Intent(said[0], ref=said[1]) if said else None


# "does it run on Fridays?", "is it weekly?", "did it run last Monday?": a yes/no question
# about one automation, never a change to it (a request put as a question, "is it possible
# to …", "can it …", is not one)
# words that begin what a question says of an automation, after the words naming it
_SAID_OF_IT = (
    r"(?:runs?|ran|go(?:es)?|went|send|sends|sent|fires?|fired|fails?|failed|gets?|got|do|does"
    r"|covers?|includes?|posts?|posted|arrives?|works?|worked|still|on|off|at|in|to|every"
    r"|paused|active|running|going|set|scheduled|due|supposed|have|has"
    r"|been|be|only|also|ever|usually|always|really|actually|just|look|say|said|check)"
)
_YES_NO = re.compile(
    # "do it at 8:30", "have it go out at 7am" are changes: "do" and "have" ask no question here
    r"(?P<aux>does|is|are|will|would|was|were|did|has)\s+"
    rf"(?P<ref>that one|this one|it|that|this|#\d+|(?:the|my|our)(?:\s+(?!{_SAID_OF_IT}\b)[\w#'.-]+)+)\s+"
    r"(?!(?:be\s+)?(?:possible|ok|okay|alright|able)\b)(?P<rest>\S.*?)\s*\??",
    re.I,
)
_OF_ITS_PAST = re.compile(
    r"(?:run|ran|fire|fired|go\s+out|went\s+out|send|sent|fail|failed|work|worked|get\s+sent|"
    r"been\s+sent|deliver|delivered|post|posted|arrive|arrived)\b",
    re.I,
)


def read_yes_no(text: str) -> Intent | None:
    """A yes/no question about one automation: what it did ("did it run last Monday?") is
    answered by its runs, anything else ("does it run on Fridays?") by reading it back."""
    m = _YES_NO.fullmatch(text.strip())
    if m is None:
        return None
    past = m.group("aux").lower() in ("did", "was", "were", "has")
    if past and _OF_ITS_PAST.match(m.group("rest")):
        return Intent("history", ref=m.group("ref"))
    return Intent("show", ref=m.group("ref"))
