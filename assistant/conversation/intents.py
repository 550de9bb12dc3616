"""Reading what a message asks for, without an LLM: an ordered table of phrasings, first match
wins. An intent names the action and the words that refer to an automation; resolving those
words is refer.py's job, acting on them the engine's."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.conversation.phrasings import (
    BULK_NOUN,
    Intent,
    read_about_one,
    read_audit,
    read_brought_back,
    read_listing,
    read_next_or_last_run,
    read_others_or_next,
    read_preview,
    read_recipients,
    read_relative_change,
    read_skip,
    read_switch,
    read_tally,
    read_yes_no,
)
from assistant.conversation.positions import by_number, position
from assistant.conversation.whose import read_whose
from assistant.language.end_edits import named_end, says_end, stop_at_time
from assistant.language.filter_words import says_filter
from assistant.language.holiday_words import holiday_switch
from assistant.language.param_edits import is_what_change
from assistant.language.reminder_words import new_text
from assistant.language.words import NUMBER_RE

_YES = (
    r"y|yes|yes please|yep|yeah|yup|sure|ok|okay|confirm|confirmed|activate|activate it|do it|"
    r"go ahead|please do|correct|that's right|looks good|lgtm|sounds good"
)
_NO = r"n|no|nope|nah|no thanks|don't|do not|keep it|leave it"
_CANCEL = r"cancel|cancel it|cancel that|never ?mind|forget it|stop|abort|start over|scrap that"
THIS_REFS = ("it", "that", "this", "that one", "this one")
# "pause it while I'm on holiday until the 14th": why, not which automation nor until when
_AWAY = re.compile(
    r"\s*,?\s+while\s+(?:i'?m|i\s+am|we'?re|we\s+are|i'?ll\s+be|we'?ll\s+be|i'?m\s+going)\s+"
    r"[\w\s'-]+?(?=\s*,?\s+(?:until|till|til|through|for)\b|\s*[.!?]*$)",
    re.I,
)
_CHANGE_WORDS = (
    r"(?:\d{1,2}(?::\d\d)?\s*(?:am|pm)\b|\bnoon\b|\bmidnight\b|\bweekdays?\b|\bweekends?\b|"
    r"\bevery\b|\bdaily\b|\bweekly\b|\bmonthly\b|\bmondays?\b|\btuesdays?\b|\bwednesdays?\b|"
    r"\bthursdays?\b|\bfridays?\b|\bsaturdays?\b|\bsundays?\b|#[a-z][\w-]*|\bslack\b|\be-?mail\b|"
    r"\bin[- ]?app\b|\bin the app\b|\bwebhook\b|\b\d{1,2}[:.]\d\d\b|^(?:at|around|by) \d{1,2}\b|"
    r"\b(?:half|quarter) (?:past|to) \d|\bo'?clock\b|\bmidday\b|\bbi-?weekly\b|\bfortnightly\b|"
    r"\b(?:once|twice|thrice|\w+ times) (?:a|per|each) (?:day|week|month)\b)"
)


_ON_EVENT = re.compile(r"(?:when|whenever|each time|every time|as soon as|once|if)\b")
# "in this channel", "here instead": said alone, where what was spoken about goes (a change)
_HERE_ALONE = re.compile(
    r"(?:(?:please\s+)?(?:post|send|put|share|deliver)\s+(?:it\s+)?)?(?:(?:in|into|to|on)\s+"
    r"(?:this|the\s+current)\s+(?:channel|conversation|chat|thread)|(?:in\s+|right\s+)?here)"
    r"(?:\s+instead)?(?:\s+please)?[.!]*",
    re.I,
)


def _clean(text: str) -> str:
    text = re.sub(r"<@[A-Z0-9]+>", " ", text.replace("\u2019", "'"))  # Slack mentions of the bot
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(
        r"^(?:(?:please|hey|hi|ok|okay|so|and|now|can you|could you|actually|sorry|hmm|um"
        # "can we do it at 8:30 instead" asks for the change itself
        r"|(?:can|could|shall) we(?=\s+(?:do|make|move|have|change|switch|push|put|set|shift|send))"
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


LAST_RUN = "last run"
_LAST_RUN_OF = re.compile(
    r"(.+?)['\u2019]s?\s+(?:last|latest|most\s+recent|failed)\s+run"
    r"|(?:the\s+|its\s+)?(?:last|latest|most\s+recent|failed)\s+run\s+of\s+(.+)",
    re.I,
)


def _retry_last_run(text: str) -> Intent | None:
    """ "rerun #10's last run", "retry the last run of #10": the automation, whose last run
    it retries (not a run's number)."""
    if (m := re.fullmatch(r"(?:retry|rerun|re-run)\s+(.+)", text, re.I)) and (
        last := _LAST_RUN_OF.fullmatch(m.group(1))
    ):
        return Intent("retry", ref=(last.group(1) or last.group(2)).strip(), rest=LAST_RUN)
    return None


def _read_holidays(text: str) -> Intent | None:
    """ "skip holidays for #3", "run it on holidays too": a change of whether it skips the
    organisation's holidays (the tool set reads the words again)."""
    switch = holiday_switch(text)
    return Intent("edit", ref=switch[0], rest=text) if switch else None


def _read_end(text: str) -> Intent | None:
    """ "stop it after the 25th" ends it later: not a pause, not a run now."""
    if named := named_end(text) or stop_at_time(text):
        return Intent("edit", ref=named[0], rest=named[1])
    return Intent("edit", ref="it", rest=text) if says_end(text) else None


def _read_delete(text: str, low: str) -> Intent | None:
    """ "delete the digest"; "drop the Berlin filter" lifts a filter, deleting nothing."""
    if re.match(r"(?:drop|remove|clear|lift|get rid of)\b", low) and says_filter(text):
        return Intent("edit", rest=text)
    if m := re.fullmatch(r"(?:delete|remove|drop|get rid of|trash|destroy)\s+(.+)", text, re.I):
        return Intent("delete", ref=m.group(1))
    return None


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
        rf"(?:all\b|everything\b|every (?:automation|alert|report)\b|(?:[\w.-]+'s?\s+){BULK_NOUN}\b"
        rf"|my {BULK_NOUN}\b|all of mine\b)",
        low,
    ):
        return Intent("bulk", rest=text)
    if (
        found := _read_holidays(text)
        or _read_end(text)
        or read_skip(text)
        or read_whose(low)
        or read_listing(low)
        or read_relative_change(text)
        or read_recipients(text)
    ):
        return found
    if found := _read_delete(text, low):
        return found
    if found := (
        _retry_last_run(text)
        or read_audit(low)
        or read_others_or_next(text)
        or read_about_one(text)
        or read_tally(text)
        or read_switch(text)
        or read_yes_no(text)
        or read_next_or_last_run(text)
        or read_brought_back(text)
        or read_preview(text)
    ):
        return found
    if m := re.fullmatch(
        r"(?:pause|suspend|stop(?:\s+(?:sending|running|posting))?|turn off|disable|mute|hold)"
        r"\s+(.+?)"
        r"(\s+(?:until|till|til|through|for)\s+.+)?",
        _AWAY.sub("", text),
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
        r"(?:show(?: me)?|describe|details (?:of|for)|tell me about|(?:what is|what's)(?: in)?|status of|"
        r"info on|open|look at)\s+(.+?)\??",
        text,
        re.I,
    ):
        return Intent("show", ref=m.group(1))
    return _edit_or_create(text, low)


def _edit_or_create(text: str, low: str) -> Intent:
    """A change to something already spoken about, or a new request."""
    if re.match(r"\w+\s+(?:the|its|my)\s+(?:text|message|wording)\b", low) and new_text(text):
        # "change the message to …": the text of the reminder spoken about, not one named so
        return Intent("edit", ref="it", rest=text)
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
        # "when someone applies, email me" is a request of its own, however short
        or (len(low.split()) <= 6 and re.search(_CHANGE_WORDS, low) and not _ON_EVENT.match(low))
        or is_what_change(text)
        or _HERE_ALONE.fullmatch(text)
    ):
        return Intent("edit", rest=text)
    return Intent("create", rest=text)
