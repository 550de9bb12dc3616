"""The vocabulary the deterministic parser knows: day and month names, number words, time-zone
abbreviations, skill keywords and the skills' plain-English labels.

Kept as data so adding a phrasing is a one-line change and the parser stays a set of rules."""

from __future__ import annotations

import re

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_WORDS: dict[str, str] = {}
for _code, _name in zip(DAY_CODES, DAY_NAMES, strict=True):
    _low = _name.lower()
    for _form in (_low, _low[:3], _low[:2] if _code in ("TU", "TH") else ""):
        if _form:
            DAY_WORDS[_form] = _code
DAY_WORDS.update({"tues": "TU", "thur": "TH", "thurs": "TH", "weds": "WE"})
# "mon", "monday", "mondays"; 2-letter forms only when capital-free context allows (tu, th)
DAY_RE = r"(?:mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday|sday)?s?"

MONTHS = (
    "january february march april may june july august september october november december"
).split()
MONTH_NUMBERS: dict[str, int] = {}
for _i, _m in enumerate(MONTHS, start=1):
    MONTH_NUMBERS[_m] = _i
    MONTH_NUMBERS[_m[:3]] = _i
MONTH_NUMBERS["sept"] = 9
MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)

# numbers said in words that every reading of an amount takes
SMALL_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty-five": 45,
    "forty five": 45,
}
NUMBER_WORDS: dict[str, int | None] = {
    **SMALL_NUMBERS,
    "sixty": 60,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "a few": 3,
    "several": None,
}
NUMBER_RE = (
    r"(?:\d+|a couple of|a couple|a few|forty[- ]five|an?|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|sixty|several)"
)


def business_days_in(amount: int, unit: str, business: bool) -> int:
    """The business days a wait said as `amount` `unit`s holds: a week is 5, and calendar days
    the business days they hold on average (14 days are 10), at least one; business or
    working days as said."""
    if unit.startswith("week"):
        return amount * 5
    return amount if business else max(1, round(amount * 5 / 7))


def number(word: str) -> int | None:
    """'5' -> 5, 'five' -> 5, 'a' -> 1; None for vague amounts ('several')."""
    word = word.strip().lower().replace("-", " ")
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "last": -1,
    "final": -1,
}
ORDINAL_RE = r"(?:first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last|final)"

# abbreviations people write after a time ("5pm PT"); IANA names are accepted as they are
ZONES: dict[str, str] = {
    "pt": "America/Los_Angeles",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pacific": "America/Los_Angeles",
    "pacific time": "America/Los_Angeles",
    "et": "America/New_York",
    "est": "America/New_York",
    "edt": "America/New_York",
    "eastern": "America/New_York",
    "eastern time": "America/New_York",
    "new york time": "America/New_York",
    "ct": "America/Chicago",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "central": "America/Chicago",
    "central time": "America/Chicago",
    "mt": "America/Denver",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "mountain time": "America/Denver",
    "utc": "UTC",
    "gmt": "UTC",
    "zulu": "UTC",
    "bst": "Europe/London",
    "uk time": "Europe/London",
    "london time": "Europe/London",
    "cet": "Europe/Paris",
    "cest": "Europe/Paris",
    "paris time": "Europe/Paris",
    "berlin time": "Europe/Berlin",
    "ist": "Asia/Kolkata",
    "india time": "Asia/Kolkata",
    "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney",
    "sydney time": "Australia/Sydney",
    "jst": "Asia/Tokyo",
    "tokyo time": "Asia/Tokyo",
    "sgt": "Asia/Singapore",
}
ZONE_WORDS_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(z) for z in ZONES), key=len, reverse=True)) + r")\b", re.I
)
# "Europe/Berlin", but "Thu/Fri" is two days, not a zone
IANA_RE = re.compile(
    r"\b(?!(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*/)([A-Z][a-z]+(?:_[A-Z][a-z]+)*/[A-Z][A-Za-z_]+"
    r"(?:/[A-Z][A-Za-z_]+)?)\b"
)

# skill -> phrases that name it, most specific skills first (the first skill whose phrase matches
# wins only when no other skill matches too; two different matches make a question)
SKILL_PHRASES: tuple[tuple[str, str], ...] = (
    ("interview-briefing", r"\bbrief(?:ing|s)?\b|\bbrief me\b|\bcandidate (?:brief|profile)"),
    (
        "interview-prep",
        r"\bprep(?:aration)?\b(?: (?:pack|materials?|kit|guide|email|doc))?"
        r"|\binterview prep",
    ),
    (
        "post-interview-followup",
        r"\bpost[- ]interview|\bthank[- ]you (?:note|email|message)"
        r"|\bfollow[- ]?up (?:email )?after (?:the|each|every|an|their) "
        r"interview",
    ),
    ("offer-accepted-alert", r"\boffer[- ]accepted alert"),
    ("event-alert", r"\bevent[- ]alerts?\b"),
    (
        "candidate-note",
        r"\b(?:rejection|regret|decline|courtesy|kind|polite|friendly)\s+(?:note|e-?mail|"
        r"letter|message|word|reply)s?\b|\blet\s+(?:them|the\s+candidates?|candidates|"
        r"applicants)\s+know\b|\bconfirmation\b|\bconfirm(?:ing)?\s+(?:that|receipt|we)\b"
        r"|\backnowledg(?:e|ement|ment|ing)\b|\bthank\s+(?:them|the\s+candidates?|"
        r"candidates|applicants|each\s+candidate|everyone)\b|\bcandidate[- ]note\b",
    ),
    ("nurture-sequence", r"\bnurtur(?:e|ing)"),
    ("renewal-reminders", r"\brenewals?\b"),
    ("sourcing-recap", r"\bsourcing\b|\boutreach (?:recap|summary|stats)"),
    (
        "new-candidate-alert",
        r"\bnew (?:candidates?|applicants?|applications?|people|"
        r"profiles?)\b|\bnew[- ]candidate alert",
    ),
    ("followups", r"\bfollow[- ]?ups?\b(?! after)|\bfollow up (?:with|on)\b|\bdue follow"),
    ("stale-candidate-sla", r"\bstale\b|\bsla\b|\bgone quiet\b|\bfalling through the cracks"),
    (
        "hiring-metrics",
        r"\b(?:hiring|recruiting|funnel|team|org(?:ani[sz]ation)?)\s+(?:metrics|kpis|stats|"
        r"statistics)\b|\bmetrics (?:report|summary|digest)\b|\btime[- ]to[- ](?:hire|fill)\b"
        r"|\b(?:offer\s+)?acceptance[- ]rates?\b|\btime[- ]in[- ]stage\b|\bhires\s+by\s+"
        r"(?:department|team|job|role)",
    ),
    # the open jobs themselves: how long each has been open, its applicants by stage
    (
        "open-roles-report",
        r"\b(?:open|active|live|current|unfilled|aging|ageing)\s+(?:roles?|jobs?|positions?|reqs?|"
        r"requisitions?|openings?|vacancies)\b|\b(?:roles?|jobs?|positions?|reqs?|requisitions?"
        r"|openings?|vacancies)\s+(?:that\s+(?:have|has)\s+been\s+|(?:have\s+)?been\s+|still\s+)"
        r"open\b",
    ),
    # the pipeline report is the one about the candidates, stage by stage
    ("pipeline-report", r"\bpipeline\b"),
    (
        "scheduled-report",
        r"\b(?:hiring|recruiting|team|org(?:ani[sz]ation)?|funnel|"
        r"executive|scheduled) (?:report|summary|digest)\b",
    ),
)
SKILL_PATTERNS = tuple((name, re.compile(rx, re.I)) for name, rx in SKILL_PHRASES)
# "send me a report" names no skill: ask which one rather than pick
VAGUE_OUTPUT_RE = re.compile(
    r"\b(?:report|summary|digest|update|recap|overview|stats|numbers|figures|metrics|kpis|wrap-?up|round-?up|rundown)\b",
    re.I,
)

#: the pipeline report's label when it covers everyone's candidates: whose pipeline it sums up
ORGANISATION_PIPELINE = "a summary of the whole organisation's pipeline (pipeline-report)"
SKILL_LABELS = {
    "pipeline-report": "a summary of your pipeline (pipeline-report)",
    "sourcing-recap": "a recap of sourcing activity (sourcing-recap)",
    "new-candidate-alert": "an alert about new candidates (new-candidate-alert)",
    "interview-prep": "the interview prep pack (interview-prep)",
    "offer-accepted-alert": "an offer-accepted alert (offer-accepted-alert)",
    "interview-briefing": "a briefing on the candidate (interview-briefing)",
    "post-interview-followup": "a post-interview follow-up (post-interview-followup)",
    "stale-candidate-sla": "a list of candidates waiting too long (stale-candidate-sla)",
    "nurture-sequence": "the nurture sequence (nurture-sequence)",
    "followups": "the follow-ups that are due (followups)",
    "renewal-reminders": "renewal reminders (renewal-reminders)",
    "scheduled-report": "the hiring report (scheduled-report)",
    "open-roles-report": "a list of open roles (open-roles-report)",
    "hiring-metrics": "hiring metrics (hiring-metrics)",
    "reminder": "a reminder (reminder)",
    "candidate-note": "a note to the candidate (candidate-note)",
    "event-alert": "an alert saying what happened (event-alert)",
}
#: the note a candidate-note sends, in words for its read-back
NOTE_WORDS = {
    "rejection": "a kind rejection note to the candidate (candidate-note)",
    "acknowledgement": "a note to the candidate confirming their application arrived "
    "(candidate-note)",
    "withdrawal": "a note thanking the candidate after they withdraw (candidate-note)",
}
