"""Follow-ups about the automation spoken about that need words of their own: "skip …" (which
runs, and which automation when one is named), "who else gets it?" and "when's the next one?"."""

from __future__ import annotations

import re

from assistant.language.skip_words import says_runs

_NAMED = r"#\d+|(?:the|my|our)\s+.+"


# "unskip Dec 14", "don't skip the 14th", "run it on the 14th after all": skipped runs back
_UNSKIP = re.compile(
    r"(?:un-?skip|(?:don'?t|do\s+not|no\s+longer)\s+skip|stop\s+skipping)\s+(.+?)"
    r"(?:,?\s+(?:please|after\s+all))?[\s.!?]*",
    re.I,
)
_AFTER_ALL = re.compile(
    r"(?:run|send|post|e-?mail|do)\s+(it|that|this|#\d+)\s+(.+?)\s+after\s+all[\s.!?]*", re.I
)
_ALL = r"(?:all|everything|them\s+all|all\s+of\s+them|all\s+(?:the\s+)?skipped\s+(?:runs|ones))"
# "which runs are skipped?", "what's skipped for #6?", "show the skipped runs of the report"
_WHICH = re.compile(
    r"(?:which|what)\s+(?:runs?|ones?|dates?|days?)(?:\s+(?:of|for)\s+(.+?))?\s+(?:are|is|am\s+i"
    r"|are\s+we|will\s+be|have\s+i)\s+(?:being\s+)?(?:skipped|skipping)(?:\s+(?:for|of|on|in)\s+"
    r"(.+?))?|what(?:'s|\s+is)\s+skipped(?:\s+(?:for|of|on|in)\s+(.+?))?"
    r"|(?:show|list)\s+(?:me\s+)?(?:the\s+|its\s+)?(?:skipped\s+runs|skips)(?:\s+(?:of|for|on)\s+(.+?))?",
    re.I,
)


def skip_said(text: str) -> tuple[str, str] | None:
    """ "skip next week", "skip #6 tomorrow", "skip the next run of the pipeline report": the
    automation when named (else "") and the runs to leave out; None when the words after
    "skip" name no runs ("skip fridays" takes a day out of the schedule: a change). Runs
    brought back are "unskip|" and their words, the question of which are skipped "list|"."""
    if m := _WHICH.fullmatch(text.strip().rstrip("?").strip()):
        return next((g for g in m.groups() if g), ""), "list|"
    if m := _AFTER_ALL.fullmatch(text.strip()):
        return _unskipped(f"{m.group(1)} {m.group(2)}")
    if m := _UNSKIP.fullmatch(text.strip()):
        return _unskipped(m.group(1))
    return _skipped(text)


def _unskipped(said: str) -> tuple[str, str] | None:
    if m := re.fullmatch(rf"(?:(.+?)\s+)?{_ALL}|{_ALL}\s+(?:of|for)\s+(.+)", said, re.I):
        ref = (m.group(1) or m.group(2) or "").strip()
        return ("" if ref.lower() in ("it", "that", "this") else ref), "unskip|all"
    found = _skipped(f"skip {said}")
    if found is None:
        return None
    ref = "" if found[0].lower() in ("it", "that", "this") else found[0]
    return ref, "unskip|" + found[1]


def _skipped(text: str) -> tuple[str, str] | None:
    m = re.fullmatch(r"skip(?:\s+(.+?))?(?:,?\s+please)?[\s.!?]*", text, re.I)
    if m is None:
        return _not_sent(text)
    said = (m.group(1) or "").strip()
    if says_runs(said):
        return "", said
    words = said.split()
    for cut in range(1, len(words)):
        ref, runs = " ".join(words[:cut]), " ".join(words[cut:])
        if says_runs(runs) and re.match(r"(?:#\d+|the|my|our)\b", ref, re.I):
            return ref, runs
    if of := re.fullmatch(rf"(.+?)\s+(?:of|for)\s+({_NAMED})", said, re.I):
        if says_runs(of.group(1)):
            return of.group(2), of.group(1)
    if re.fullmatch(_NAMED, said, re.I):
        return said, ""  # "skip the pipeline report": its next run
    return None


# "don't send it next week", "no report on the 14th": a skip said by what is not to happen
_NOT_SENT = re.compile(
    r"(?:don'?t|do\s+not)\s+(?:send|run|post|e-?mail)(?:\s+(?:it|that|this|one|anything))?"
    r"|no\s+(?:runs?|reports?|e-?mails?|messages?|reminders?|recaps?|summary|summaries|digests?)",
    re.I,
)


def _not_sent(text: str) -> tuple[str, str] | None:
    """A skip said as what not to send ("don't send the pipeline report tomorrow"), read as
    "skip" with the same words; None when they name no runs."""
    m = _NOT_SENT.match(text)
    if m is None:
        return None
    rest = text[m.end() :].strip()
    said = skip_said(f"skip {rest}") if rest else None
    return said if said and said[1] else None  # "don't send the report" alone: no skip


def others_or_next_one(text: str) -> tuple[str, str] | None:
    """ "who else gets it?" (kind "others": its recipients besides the speaker) or "when's the
    next one?" (kind "next" of "the next one"): the kind and the automation's words."""
    low = text.lower().rstrip(" ?.!")
    if m := re.fullmatch(
        r"who else (?:gets|receives|is getting|is on|sees|reads|is sent|is copied on) (.+?)"
        r"(?: too| as well)?|who else is (.+?) (?:sent|going|e-?mailed|posted|copied) to",
        low,
    ):
        return "others", (m.group(1) or m.group(2)).strip()
    if re.fullmatch(
        r"(?:so |and )?(?:when(?:'s| is| will| does)?|what(?:'s| is)) (?:the|my) next "
        r"(?:one|run|automation|thing)(?: (?:run|go out|go off|fire|happen|be|due|scheduled))?",
        low,
    ):
        return "next", "the next one"
    return None
