"""Reading what a message asks for, without an LLM: an ordered table of phrasings, first match
wins. An intent names the action and the words that refer to an automation; resolving those
words is refer.py's job, acting on them the engine's."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.conversation.narrowed import question_about_many
from assistant.conversation.positions import by_number, position
from assistant.conversation.questions import Asked, listing_question, plain, target_question
from assistant.conversation.recipients import recipient_change
from assistant.conversation.run_tally import tally_question
from assistant.conversation.thread_words import others_or_next_one, skip_said
from assistant.language.delay_words import is_delay_change
from assistant.language.edit_words import is_relative_change
from assistant.language.param_edits import is_what_change
from assistant.language.words import NUMBER_RE

_YES = (
    r"y|yes|yes please|yep|yeah|yup|sure|ok|okay|confirm|confirmed|activate|activate it|do it|"
    r"go ahead|please do|correct|that's right|looks good|lgtm|sounds good"
)
_NO = r"n|no|nope|nah|no thanks|don't|do not|keep it|leave it"
_CANCEL = r"cancel|cancel it|cancel that|never ?mind|forget it|stop|abort|start over|scrap that"
_BULK_NOUN = r"(?:automations|alerts|reports|reminders)"
_THIS_WORDS = r"it|that|this|that one|this one|#\d+"
THIS_REFS = ("it", "that", "this", "that one", "this one")
_CHANGE_WORDS = (
    r"(?:\d{1,2}(?::\d\d)?\s*(?:am|pm)\b|\bnoon\b|\bmidnight\b|\bweekdays?\b|\bweekends?\b|"
    r"\bevery\b|\bdaily\b|\bweekly\b|\bmonthly\b|\bmondays?\b|\btuesdays?\b|\bwednesdays?\b|"
    r"\bthursdays?\b|\bfridays?\b|\bsaturdays?\b|\bsundays?\b|#[a-z][\w-]*|\bslack\b|\be-?mail\b|"
    r"\bin[- ]?app\b|\bin the app\b|\bwebhook\b|\b\d{1,2}[:.]\d\d\b|^(?:at|around|by) \d{1,2}\b|"
    r"\b(?:half|quarter) (?:past|to) \d|\bo'?clock\b|\bmidday\b|\bbi-?weekly\b|\bfortnightly\b)"
)
# "list paused", "which automations are failing?", "what is paused?": a listing by state
_STATES = {"paused": "paused", "active": "active", "failing": "failing"}
_STATE_WORD = r"(paused|active|failing|disabled|enabled|failed|broken|on hold)"


@dataclass(frozen=True, slots=True)
class Intent:
    kind: str
    ref: str = ""  # the words naming the automation ("it", "#5", "my pipeline report")
    rest: str = ""  # what else the action needs: a change in words, "until Monday"...
    index: int | None = None  # "the second one"


def _clean(text: str) -> str:
    text = re.sub(r"<@[A-Z0-9]+>", " ", text.replace("\u2019", "'"))  # Slack mentions of the bot
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(
        r"^(?:(?:please|hey|hi|ok|okay|so|and|now|can you|could you|actually|sorry|hmm|um"
        # "wait a week" is how long to wait, not a filler
        rf"|wait(?!\s+(?:for\s+)?{NUMBER_RE}\b))[,\s]+|no,\s*)+",
        "",
        text,
        flags=re.I,
    )


# "#6" after a word that names a Slack place is a channel ("post it in #6", "slack #6")
_SLACK_PLACE = re.compile(
    r"(?:\bslack|\bchannels?|\bin|\binto|\bon|\bto|\bpost(?:s|ed)?|\bcc)\s*$", re.I
)
_NUMBERED = re.compile(r"#(\d+)\b")


def automation_number(text: str) -> re.Match[str] | None:
    """Where `text` names an automation by number ("move #6 30 minutes later"): a "#" and
    digits not placed after a word that names a Slack channel."""
    for m in _NUMBERED.finditer(text):
        if not _SLACK_PLACE.search(text[: m.start()]):
            return m
    return None


def classify(message: str) -> Intent:
    """What `message` asks for; an automation named by number anywhere in it ("move #6 30
    minutes later", "does #6 still run?") is what the intent is about."""
    intent = _classify(message)
    text = _clean(message)
    numbered = automation_number(text)
    if numbered is None or intent.kind == "choose" or numbered.group(1) in intent.ref:
        return intent
    # read with "it" in the number's place: the phrasings about "it" then name the number
    said = f"{text[: numbered.start()]}it{text[numbered.end() :]}"
    alike = _classify(said)
    if alike.ref.lower() in THIS_REFS or (not alike.ref and alike.kind in ("edit", "recipients")):
        return replace(alike, ref=numbered.group(0))
    return intent


def _classify(message: str) -> Intent:
    text = _clean(message)
    low = text.lower().rstrip(" .!")
    if re.fullmatch(rf"(?:{_YES})", low):
        return Intent("yes")
    if re.fullmatch(rf"(?:{_NO})", low):
        return Intent("no")
    if re.fullmatch(rf"(?:{_CANCEL})", low):
        return Intent("cancel")
    if re.fullmatch(
        r"help|\?|what can (?:you|i) (?:do|say)\??|how does this work\??|commands", low
    ):
        return Intent("help")
    if (index := position(re.sub(r"^that\b", "the", low))) is not None:
        # "number 2": a place in a listing, or automation 2 when nothing was listed
        return Intent("choose", ref=low if by_number(low) else "", index=index)
    if re.fullmatch(r"#?\d+", low):
        return Intent("choose", ref="#" + low.lstrip("#"))
    if m := re.match(
        r"(pause|suspend|stop|turn off|disable|mute|resume|unpause|restart|turn on|re-?enable)\s+"
        rf"(?:all\b|everything\b|every (?:automation|alert|report)\b|(?:[\w.-]+'s?\s+){_BULK_NOUN}\b"
        rf"|my {_BULK_NOUN}\b|all of mine\b)",
        low,
    ):
        return Intent("bulk", rest=text)
    if found := _skipped(text) or _listing(low) or _relative_change(text) or _recipients(text):
        return found
    if m := re.fullmatch(r"(?:delete|remove|drop|get rid of|trash|destroy)\s+(.+)", text, re.I):
        return Intent("delete", ref=m.group(1))
    if found := (
        _audited(low)
        or _others_or_next_one(text)
        or _about_one(text)
        or _tally(text)
        or _switched(text)
        or _next_or_last_run(text)
        or _brought_back(text)
        or _preview(text)
    ):
        return found
    if m := re.fullmatch(
        r"(?:pause|suspend|stop(?:\s+(?:sending|running|posting))?|turn off|disable|mute|hold)"
        r"\s+(.+?)"
        r"(\s+(?:until|till|til|through|for)\s+.+)?",
        text,
        re.I,
    ):
        return Intent("pause", ref=m.group(1), rest=(m.group(2) or "").strip())
    if m := re.fullmatch(
        r"(?:resume|unpause|un-pause|restart|re-?enable|turn on|reactivate|start)\s+(.+?)"
        r"(?:\s+again)?",
        text,
        re.I,
    ):
        return Intent("resume", ref=m.group(1))
    if m := re.fullmatch(r"(?:retry|rerun|re-run|try again)(?:\s+(.+))?", text, re.I):
        return Intent("retry", ref=(m.group(1) or "").strip())
    if m := re.fullmatch(
        r"(?:run|trigger|fire|kick off)\s+(.+?)(?:\s+(?:now|right now|right away|immediately))?"
        r"|send\s+(.+?)\s+(?:now|right now|right away|immediately)",
        text,
        re.I,
    ):
        return Intent("run", ref=(m.group(1) or m.group(2)).strip())
    if m := re.fullmatch(r"(?:test|preview|dry[- ]run|try)\s+(.+)", text, re.I):
        return Intent("test", ref=m.group(1))
    if m := re.fullmatch(r"(?:backtest|replay)(?:\s+(.+))?", text, re.I) or re.fullmatch(
        r"what would (.+?) have sent(?: this week| last week| lately)?\??", text, re.I
    ):
        return Intent("backtest", ref=(m.group(1) or "").strip())
    if re.match(r"why\b", low):
        ref = re.sub(
            r"^why\s+(?:didn't|did not|doesn't|does not|hasn't|has not|isn't|is not|wasn't|"
            r"was not|did|does|has|is|was)\s+",
            "",
            text,
            flags=re.I,
        )
        ref = re.sub(
            r"\s+(?:not\s+|never\s+|still\s+)?(?:fire|run|send|work|fail|go off|ran|fired|sent|"
            r"failed|worked|been running|running|firing|sending|working|stop|stopped|paused|"
            r"been paused|skipped|skip)\b.*$",
            "",
            ref,
            flags=re.I,
        )
        return Intent("why", ref=ref.rstrip("?").strip(), rest=text)
    if m := re.fullmatch(
        r"(?:(?:show|list|see)(?: me)? )?(?:the )?(?:run )?(?:history|runs|past runs)"
        r"(?:\s+(?:of|for)\s+(.+))?|how (?:has|did|is) (.+?) (?:been )?(?:run(?:ning)?|doing|go(?:ne)?)\??",
        text,
        re.I,
    ):
        return Intent("history", ref=(m.group(1) or m.group(2) or "").strip())
    if m := re.fullmatch(
        r"(?:show(?: me)?|describe|details (?:of|for)|tell me about|what is|what's|status of|"
        r"info on|open|look at)\s+(.+?)\??",
        text,
        re.I,
    ):
        return Intent("show", ref=m.group(1))
    return _edit_or_create(text, low)


def _relative_change(text: str) -> Intent | None:
    """ "an hour earlier", "drop Friday", "DM me instead": a change to what was spoken about."""
    return Intent("edit", rest=text) if is_relative_change(text) or is_delay_change(text) else None


def _switched(text: str) -> Intent | None:
    """ "turn it off", "switch #5 off until Monday", "turn it back on"."""
    if m := re.fullmatch(
        rf"(?:turn|switch)\s+({_THIS_WORDS})\s+(?:back\s+)?(off|on)"
        r"(\s+(?:until|till|til|through|for)\s+.+)?",
        text,
        re.I,
    ):
        kind = "pause" if m.group(2).lower() == "off" else "resume"
        return Intent(kind, ref=m.group(1), rest=(m.group(3) or "").strip())
    return None


# a short description of an automation, never a schedule or a request of its own
_SHORT_REF = r"((?:(?!\b(?:every|at|on|daily|weekly|when|whenever)\b)[\w#'.-]+\s*){1,6}?)"


def _brought_back(text: str) -> Intent | None:
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
        ref = next((g for g in m.groups() if g), "").strip()
        return Intent("resume", ref=ref or "it")
    return None


def _preview(text: str) -> Intent | None:
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
        ref = next((g for g in m.groups() if g), "").strip()
        return Intent("test", ref=ref or "it")
    return None


def _next_or_last_run(text: str) -> Intent | None:
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


def _listing(low: str) -> Intent | None:
    """ "list", "list my automations", "show the system jobs", "list paused"."""
    low = plain(low)
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
        rf"(?: (?:my|our|the|everyone's|everybody's|all))? ?{_BULK_NOUN}?|"
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


def _about_one(text: str) -> Intent | None:
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
        rf"(?: {_BULK_NOUN})?(?: (?:are|is) there)?"
        rf"|(?:what|which)(?: of)?(?: (my|our|the|everyone's|everybody's|all))?"
        rf"(?: {_BULK_NOUN}| ones| one)? (?:is|are)(?: currently| now)? {_STATE_WORD}(?: now)?"
        rf"|(?:what|which)(?: of)? (my|our|the|everyone's|everybody's|all)?\s?{_STATE_WORD}"
        rf" {_BULK_NOUN}(?: do i have| have i got| are there)?",
        low,
    )
    if not m:
        return None
    scope_word = m.group(1) or m.group(3) or m.group(5) or ""
    word = m.group(2) or m.group(4) or m.group(6)
    state = {"disabled": "paused", "on hold": "paused", "enabled": "active"}.get(word)
    state = state or {"failed": "failing", "broken": "failing"}.get(word) or _STATES[word]
    return Intent("list", rest=f"{_scope(scope_word)} {state}".strip())


def _edit_or_create(text: str, low: str) -> Intent:
    """A change to something already spoken about, or a new request."""
    if m := re.fullmatch(
        r"(?:change|set|make|put)\s+(?:the|its)\s+(?:delay|wait)\s+(?:to|at)\s+(.+)", text, re.I
    ):
        return Intent("edit", rest=f"wait {m.group(1)}")
    if m := re.fullmatch(
        r"(?:rename|call|name)\s+(it|that|this|that one|#\d+)\s+(?:to\s+)?(.+)", text, re.I
    ):
        return Intent("edit", ref=m.group(1), rest=f"call it {m.group(2)}")
    if m := re.fullmatch(
        r"(make|move|change|set|switch|shift|reschedule|post|send|deliver|put|have)\s+"
        r"(it|that|this|that one|this one|#\d+)\b(.+)",
        text,
        re.I,
    ):
        return Intent("edit", ref=m.group(2), rest=f"{m.group(1)} it{m.group(3)}")
    if m := re.fullmatch(
        r"(?:make|move|change|set|switch|shift|reschedule|put)\s+(?:the\s+)?"
        r"(?:time|hour|days?|schedule|frequency)"
        r"(?:\s+(?:of|for)\s+(.+?))?\s+(?:to|at|for)\s+(.+)",
        text,
        re.I,
    ):
        return Intent("edit", ref=m.group(1) or "", rest=f"move it to {m.group(2)}")
    if m := re.fullmatch(
        r"(make|move|change|set|switch|shift|reschedule|post|send|deliver|put)\s+"
        r"((?:my|the|our)\s+.+?)"
        r"(\s+(?:to|at|in|into|on|every|only|instead|daily|weekly|monthly|by|for|so)\b.*|\s+weekdays.*)",
        text,
        re.I,
    ):
        return Intent("edit", ref=m.group(2), rest=f"{m.group(1)} it{m.group(3)}")
    if m := re.fullmatch(r"(?:add|cc|copy in|include)\s+(\S+@\S+|#[\w-]+)(?:\s+too)?", text, re.I):
        return Intent("edit", rest=f"also send it to {m.group(1)}")
    if (
        re.match(r"(?:also|only|instead|just)\b", low)
        or (len(low.split()) <= 6 and re.search(_CHANGE_WORDS, low))
        or is_what_change(text)
    ):
        return Intent("edit", rest=text)
    return Intent("create", rest=text)


def _audited(low: str) -> Intent | None:
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
        return Intent("audit", ref=next(g for g in m.groups() if g), rest="changed")
    return None


def _tally(text: str) -> Intent | None:
    """ "how many runs failed last week?", "did #1 run this month?": runs counted."""
    asked = tally_question(text)
    return Intent("tally", ref=asked[0], rest=asked[1]) if asked else None


def _recipients(text: str) -> Intent | None:
    """A change to who gets an automation ("add sam to it", "stop sending it to sam")."""
    change = recipient_change(text)
    return Intent("recipients", ref=change[0], rest=change[1]) if change else None


def _skipped(text: str) -> Intent | None:
    said = skip_said(text)
    return Intent("skip", ref=said[0], rest=said[1]) if said else None


def _others_or_next_one(text: str) -> Intent | None:
    said = others_or_next_one(text)
    return Intent(said[0], ref=said[1]) if said else None
