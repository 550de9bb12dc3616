"""Questions a recruiter asks about their automations, read without an LLM: "what do I have
running?", "how many automations do I have?", "is anything failing?" are listings; "show me
its last runs", "did it run?" ask for an automation's history; "when will it run next?" for
its next run times. Each answer is an Intent the engine handles as it handles a command."""

from __future__ import annotations

import re
from dataclasses import dataclass

# what an automation is called in a question ("what reports do I have?")
_NOUN = (
    r"(?:automations?|alerts?|reports?|reminders?|jobs?|schedules?|workflows?|"
    r"scheduled (?:jobs?|reports?|messages?|tasks?)|tasks?|things)"
)
# a listing's narrowing by state, as a question says it
_STATE = {
    "paused": "paused",
    "disabled": "paused",
    "off": "paused",
    "on hold": "paused",
    "stopped": "paused",
    "broke": "failing",
    "active": "active",
    "enabled": "active",
    "on": "active",
    "failing": "failing",
    "failed": "failing",
    "broken": "failing",
    "erroring": "failing",
}
_STATE_WORD = (
    r"(paused|disabled|on hold|stopped|off|active|enabled|on|failing|failed|broken|erroring)"
)
# how a question says "set up": none of these narrow the listing
_SET_UP = (
    r"(?:set ?up|running|scheduled|going|configured|created|made|built|on the go|in place|live)"
)
_WHO = r"(i|we)"
_TAIL = (
    r"(?:\s+(?:right now|currently|at the moment|now|so far|at all|in total|already|"
    r"for me|for us|here|with you|in skilltick|yet))*"
)
_CONTRACTIONS = {
    "what's": "what is",
    "what're": "what are",
    "what've": "what have",
    "how's": "how is",
    "when's": "when is",
    "where's": "where is",
    "who's": "who is",
    "i've": "i have",
    "we've": "we have",
    "didn't": "did not",
    "hasn't": "has not",
}

# questions whose answer is the whole listing ("i"/"my" capture: only the speaker's own)
_ABOUT_MINE = "|".join(
    (
        # "what automations do I have?", "which reports have we got set up?"
        rf"(?:what|which)(?: kind of| sort of| other)? {_NOUN} (?:do|did|have) {_WHO}"
        rf"(?: have| got| have got| set ?up| made| created| scheduled)?(?: {_SET_UP})?",
        # "what reports am I getting?", "what am I running?"
        rf"what(?: {_NOUN})? (?:am|are) (i|we) (?:getting|receiving|running|sent|signed up for)",
        # "what do I have running?", "what have I set up?", "what have we got?"
        rf"what (?:do|did|have) {_WHO}(?: have| got| have got| set ?up| made| created|"
        rf" scheduled| asked for| automated)(?: {_SET_UP})?",
        # "do I have any automations?", "have we got any reports set up?"
        rf"(?:do|have|did) {_WHO} (?:have|got|set ?up|make|made|create|created) "
        rf"any(?:thing| {_NOUN})(?: {_SET_UP})?",
        # "what's scheduled?", "what's on?", "is anything set up?", "anything running?"
        rf"(?:what|which) (?:is|are) (?:{_SET_UP}|on)",
        rf"(?:(?:is|are) (?:there )?)?any(?:thing| {_NOUN})(?: {_SET_UP})?",
        # "show me everything", "list it all", "my automations", "all my reports"
        r"(?:show|list|see|give)(?: me)?(?: (?:everything|it all|all of it|the lot|all|"
        r"them all|all of them))",
        rf"(?:all )?(?:of )?(my|our) {_NOUN}|(?:what|which) are (my|our) {_NOUN}",
        # "are my automations running?": each line of the listing says its state
        rf"(?:is|are) (?:all )?(?:of )?(my|our) {_NOUN} (?:{_SET_UP}|working|ok|okay|fine)",
    )
)

# what runs next, within a window of the speaker's day ("what runs today?")
_WINDOW = r"(today|tonight|tomorrow|this week|later today|this afternoon|this evening)"
_WINDOWS = {"tonight": "today", "later today": "today", "this afternoon": "today"}
_WINDOWS |= {"this evening": "today", "this week": "week"}
_UPCOMING = [
    re.compile(pattern)
    for pattern in (
        rf"what is (?:coming up|up next|next|due)(?: (?:for |on )?{_WINDOW})?",
        rf"(?:what|which)(?: {_NOUN})? (?:runs?|will run|is running|are running|goes out|"
        rf"will go out|is going out|is scheduled|are scheduled|is on|is happening|is due|are due|"
        rf"fires|will fire|is sent|gets sent|will be sent)(?: next| (?:for |on )?{_WINDOW})",
        rf"(?:is |are )?(?:there )?any(?:thing| {_NOUN}) (?:running|scheduled|due|going out|"
        rf"on|happening|coming up)(?: for| on)? {_WINDOW}",
    )
]

# runs across one's automations, within a past window ("what failed yesterday?")
_PAST = r"(today|yesterday|this week|in the last (?:7 days|week)|recently|lately)"
# "this week" is the speaker's calendar week (since Monday), as every answer reads it
_PASTS = {"this week": "thisweek", "in the last 7 days": "week", "in the last week": "week"}
_PASTS |= {"recently": "", "lately": ""}
_FAIL = r"(?:failed|broke|errored|went wrong|did not work)"
_RUNS = [
    (re.compile(pattern), failed)
    for pattern, failed in (
        (
            r"(?:show|list|see|give)(?: me)?(?: all)?(?: (?:my|our|the))?(?: (?:recent|latest|"
            rf"last))? (?:failed|failing|errored|broken) runs(?: {_PAST})?",
            True,
        ),
        (rf"(?:what|which(?: {_NOUN}| ones?)?|whose(?: {_NOUN})?) {_FAIL} {_PAST}", True),
        (
            rf"(?:any|were there any|did any ?thing|has any ?thing) (?:failed runs|fail|failures|"
            rf"runs? fail|errors)(?: {_PAST})?",
            True,
        ),
        (
            rf"(?:what|which(?: {_NOUN})?) (?:ran|has run|went out|was sent|got sent|fired) {_PAST}",
            False,
        ),
        (
            r"(?:show|list|see)(?: me)? (?:my|our|all|all my|all the|all of my|everyone's)"
            rf"(?: (?:recent|latest|last))? runs(?: {_PAST})?",
            False,
        ),
    )
]


@dataclass(frozen=True, slots=True)
class Asked:
    """What a question asks for: an intent kind with its words (see intents.Intent)."""

    kind: str
    ref: str = ""
    rest: str = ""


def plain(low: str) -> str:
    """Lower-case question words without contractions, trailing punctuation or fillers
    ("right now", "at the moment") that change nothing about the answer."""
    low = re.sub(r"[?.!\s]+$", "", low.lower())
    for short, long in _CONTRACTIONS.items():
        low = re.sub(rf"\b{re.escape(short)}(?=\s|$)", long, low)
    low = re.sub(r"^(?:currently|right now|at the moment|so|tell me|just)[,\s]+", "", low)
    return re.sub(rf"{_TAIL}$", "", low)


def listing_question(text: str) -> Asked | None:
    """A question whose answer is a listing: rest is "<scope> <state> count" as listing()
    reads it ("mine", "failing", "count" each optional), or "upcoming <window>" for what
    runs next ("what's coming up?", "what runs today?")."""
    low = plain(text)
    for runs, failed in _RUNS:
        if m := runs.fullmatch(low):
            window = _PASTS.get(m.group(1) or "", m.group(1) or "")
            rest = " ".join(w for w in ("runs", "failed" if failed else "", window) if w)
            return Asked("list", rest=rest)
    for pattern in _UPCOMING:
        if m := pattern.fullmatch(low):
            window = _WINDOWS.get(m.group(1) or "", m.group(1) or "")
            return Asked("list", rest=f"upcoming {window}".strip())
    if m := re.fullmatch(
        r"how many(?: " + _STATE_WORD + r")?(?: (?:of )?(?:my |our |the )?" + _NOUN + r")?"
        r"(?: (?:do|did|have) " + _WHO + r"(?: got| have| have got)?(?: " + _SET_UP + r")?"
        r"| (?:are|is)(?: there)?(?: " + _SET_UP + r")?)?(?: " + _STATE_WORD + r")?",
        low,
    ):
        return _listed(m.group(2) or _owner_word(low), m.group(1) or m.group(3), count=True)
    if state := _state_question(low):
        return state
    if m := re.fullmatch(_ABOUT_MINE, low):
        who = next((g for g in m.groups() if g), "")
        return _listed(who, None)
    return None


def _owner_word(low: str) -> str:
    found = re.search(r"\b(my|our|i|we)\b", low)
    return found.group(1) if found else ""


def _listed(who: str, state_word: str | None, *, count: bool = False) -> Asked:
    scope = "mine" if who in ("i", "my", "me") else ""
    state = _STATE[state_word] if state_word else ""
    rest = " ".join(w for w in (scope, state, "count" if count else "") if w)
    return Asked("list", rest=rest)


_STATE_QUESTIONS = [
    re.compile(pattern)
    for pattern in (
        # "is anything failing?", "are any of my automations paused?", "are my reports broken?"
        rf"(?:is|are) (?:any ?thing|any of (?:(?P<who>my|our|the) )?{_NOUN}|any "
        rf"(?:(?P<who2>my|our) )?{_NOUN}|(?P<who3>my|our) {_NOUN})(?: currently)? {_STATE_WORD}",
        # "do I have anything broken?", "have we got any automations that are paused?"
        rf"(?:do|have) (?P<who>i|we) (?:have |got )?any(?:thing| {_NOUN})"
        rf"(?: that is| that are)? {_STATE_WORD}(?: {_NOUN})?",
        # "anything failing?", "any paused reports?"
        rf"any(?:thing)? {_STATE_WORD}(?: {_NOUN})?",
        # "who has failing automations?", "whose automations are paused?"
        rf"(?:who|whose)(?: (?:has|have|has got|got|owns))?(?: any)? {_STATE_WORD} {_NOUN}",
        rf"whose {_NOUN}(?: (?:are|is|have|has))?(?: currently| been)? {_STATE_WORD}",
        # "which of my automations failed?", "what broke?", "which ones have failed?"
        rf"(?:what|which)(?: of)?(?: (?P<who>my|our|the))?(?: {_NOUN}| ones?)?"
        r"(?: (?:have|has))? (failed|broke|broken|stopped)(?: recently| lately| today)?",
    )
]


def _state_question(low: str) -> Asked | None:
    """ "is anything failing?", "are any of my automations paused?", "do I have anything
    broken?", "anything failing?", "which of my automations failed?"."""
    for pattern in _STATE_QUESTIONS:
        if m := pattern.fullmatch(low):
            named = m.groupdict()
            who = next((w for w in named.values() if w), "") or _owner_word(low)
            state_word = next(g for i, g in enumerate(m.groups(), 1) if g and _unnamed(m, i))
            return _listed(who, state_word)
    return None


def _unnamed(m: re.Match[str], index: int) -> bool:
    return index not in m.re.groupindex.values()


def target_question(text: str) -> Asked | None:
    """A question about one automation: its runs ("show me its last runs", "did it run?",
    "how did it go?"), its next run times ("when will it run next?") or its description
    ("who gets it?", "how often does it run?")."""
    low = plain(text)
    if asked := _owner_name_or_preview(low):
        return asked
    if m := re.fullmatch(
        r"(?:when|what) is (?:the |its |their )?next (?:run|time it runs|fire|send|one)"
        r"(?: of (.+?))?"
        r"|(?:when|what time|at what time|what day) (?:does|will|is|would|do) (.+?) "
        r"(?:next )?(?:run|fire|go off|send|go out|post|be sent|due|happen|trigger|go)"
        r"(?: next| again| next time)?"
        r"|(?:the |its )?next runs?(?: of (.+?))?"
        r"|when (?:will|does|is) (.+?) next (?:run|due|fire|send)"
        # "when's it next?", "when is it running next?": the one spoken about, said shortly
        r"|when (?:is|are) (.+?) (?:(?:running|on|going out|sending|due) )?next",
        low,
    ):
        return Asked("next", ref=_ref(next((g for g in m.groups() if g), "")))
    if m := re.fullmatch(
        # who and where it goes, how often, what it sends, what it is called: its description
        r"who (?:gets|receives|is sent|sees) (.+?)|who (?:is|are|does|do) (.+?) (?:sent|going|"
        r"delivered|posted|go|get sent|send) to|where (?:does|do|is|will) (.+?) (?:go|get sent|"
        r"sent|send|post|posted|deliver|delivered|get posted)(?: to)?"
        r"|how often (?:does|do|will|is) (.+?) (?:run|fire|send|go out|sent|happen)"
        r"|what (?:does|will|would) (.+?) (?:send|post|contain|include|look like|say)"
        r"|what is (.+?) called",
        low,
    ):
        return Asked("show", ref=_ref(next((g for g in m.groups() if g), "")))
    if m := re.fullmatch(
        r"when (?:did|was|has) (.+?) (?:last |most recently )?(?:(fail|failed|break|broke|error|"
        r"errored|go wrong|gone wrong)|run|ran|fire|fired|send|sent|go out)(?: last)?"
        r"|when was (?:its|the) last (?:(failure|failed run|error)|run)(?: of (.+?))?",
        low,
    ):
        ref = _ref(m.group(1) or m.group(4) or "")
        return Asked("last", ref=ref, rest="failed" if m.group(2) or m.group(3) else "")
    if m := re.fullmatch(
        # how the latest run went ("did it work?", "how did it go?"): one line
        r"(?:did|has) (.+?) (?:work|worked|go ok|go okay|go through|gone through|succeed|"
        r"succeeded|fail|failed)(?: (?:ok|okay|then|this time))?"
        r"|how did (?!(?:the |its )?last (?:run|one) go)(.+?) go(?: then| this time)?"
        r"|(?:was|is) (.+?) (?:ok|okay|successful|a success)"
        r"|how did (?:the |its )?last (?:run|one) go",
        low,
    ):
        return Asked("history", ref=_ref(next((g for g in m.groups() if g), "")), rest="outcome")
    if m := re.fullmatch(
        r"(?:(?:show|list|see|give|get)(?: me)? )?(?:(.+?)'s |(its|their) |the )?"
        r"(?:(?:last|latest|recent|previous|past|few) )*(?:\d+ )?"
        r"(?:runs?|run history|history|results|outputs?)(?: (?:of|for) (.+?))?"
        r"|what (?:are|were) (?:(.+?)'s |(its|their) |the )(?:(?:last|latest|recent|previous|past)"
        r" )*(?:runs?|results)(?: (?:of|for) (.+?))?"
        r"|(?:did|has) (.+?) (?:(?:actually|ever|already) )?(?:run|ran|fire|fired|send|sent|"
        r"go out|gone out|work|worked|fail|failed|post|posted|send anything|sent anything|"
        r"do anything|done anything|go off|gone off)"
        r"(?: (?:yet|ok|okay|today|yesterday|last night|this morning|this week|last time|"
        r"recently|lately|properly|at all))*"
        r"|how (?:did|is|has|was) (.+?)(?: been)? (?:go|going|gone|do|doing|done|work|working|"
        r"worked|run|running)(?: (?:lately|recently|so far|last time|this week))*"
        r"|how did (?:the |its )?last (?:run|one) go|(?:is|are) (.+?) (?:failing|broken|erroring)",
        low,
    ):
        return Asked("history", ref=_ref(next((g for g in m.groups() if g), "")))
    return None


def _owner_name_or_preview(low: str) -> Asked | None:
    """ "who owns #2?", "what's its name?", "show me what it would send": its owner, its
    name, or a test run showing what it would send now."""
    if m := re.fullmatch(
        r"who (?:owns|made|created|set up|is the owner of|is in charge of) (.+?)"
        r"|whose (?:automation |job )?is (.+?)|who is (.+?)'s owner",
        low,
    ):
        return Asked("owner", ref=_ref(next(g for g in m.groups() if g)))
    if m := re.fullmatch(
        r"what is (?:the name of (.+?)|(.+?)'s name|(.+?) named|(its|their) name)"
        r"|what (?:do you|did you|did i|do i) call (.+?)",
        low,
    ):
        return Asked("name", ref=_ref(next(g for g in m.groups() if g)))
    if m := re.fullmatch(
        r"(?:show|tell|give)(?: me)? what (.+?) (?:would|will) (?:send|post|say|look like)"
        r"(?: (?:right now|today|if it ran|if it ran now))?"
        r"|what (?:would|will) (.+?) (?:send|post|say|look like) (?:right now|today|if it ran)"
        r"|what would (.+?) (?:send|post|say|look like)"
        r"|(?:show|give)(?: me)? (?:a |the )?(?:preview|dry run|sample|test run) (?:of|for) (.+?)",
        low,
    ):
        return Asked("test", ref=_ref(next(g for g in m.groups() if g)))
    return None


def _ref(words: str) -> str:
    """ "its"/"their" speak of the automation spoken about, as "it" does."""
    return "it" if words in ("its", "their", "they", "them") else words
