"""People a request sends to besides "me": the requester's team ("send my team", "email the
whole team", "tell all recruiters") becomes the `team` recipient, everyone in the organisation
when each run goes; people the service has no record of ("my manager", "the CEO") are asked
for by address, since guessing one would send the output to the wrong person."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.language.teammate_words import (
    NOT_A_NAME,
    Teammate,
    listed_after_someone,
    read_teammates,
    teammates_called,
)

TEAM = "team"

# verbs that make the words after them the recipient, with the channel the verb itself names
_EMAIL_VERBS = r"e-?mail|mail"
_SLACK_VERBS = r"dm|slack"
_VERBS = (
    r"send|forward|post|share|message|text|tell|notify|alert|remind|ping|update|warn|cc|bcc|"
    r"brief|copy|loop\s+in|let|keep|give|show|" + _EMAIL_VERBS + "|" + _SLACK_VERBS
)
# what a verb may take before its recipient: "send it to", "share this with", "post that for"
_OBJECT = r"(?:(?:it|this|that|them|these|those|the\s+(?:report|list|summary|results?))\s+)?"
_PREP = r"(?:(?:to|with|for)\s+)?"

_DETERMINER = (
    r"(?:(?:my|our|the|your)\s+(?:whole\s+|entire\s+)?|(?:the\s+)?(?:whole|entire)\s+|"
    r"all\s+(?:of\s+)?(?:my\s+|our\s+|the\s+)?|every\s+(?:one\s+of\s+(?:my|our|the)\s+)?)"
)
# the work the requester's organisation does: "the recruiting team" is theirs, "the HR team" not
_OWN_KIND = r"(?:recruiting|recruitment|hiring|talent(?:\s+acquisition)?|ta|sourcing)"
_TEAM_NOUN = (
    r"(?:" + _OWN_KIND + r"\s+)?"
    r"(?:team(?:\s+members)?|teammates?|team-?mates?|colleagues?|co-?workers?|recruiters?|"
    r"sourcers?|staff|org(?:ani[sz]ation)?|company|department|group|crew|squad|users?)"
)
# "everyone" alone, unless it starts a description of candidates ("everyone who applied")
_EVERYONE = (
    r"(?:every(?:one|body)|all\s+of\s+us)"
    r"(?:\s+(?:in|on|at)\s+(?:my|our|the)\s+" + _TEAM_NOUN + r")?"
    r"(?!\s+(?:who|that|whose|with|without|in|on|at|not|stuck|waiting|still|i|we|from|"
    r"applying|over|under|older|past)\b)"
)
# not "the team's pipeline" or "the team report": those say what the output is about
_NOT_OWNER = (
    r"(?!\s*['\u2019]s?\b)(?![\w-])(?!\s+(?:report|summary|metrics|digest|pipeline|stats)\b)"
)
# "send hiring team the report": the work it does says whose team, with no "my" or "the"
_OWN_TEAM = _OWN_KIND + r"\s+(?:team(?:\s+members)?|department|group|crew|squad|staff)"
_GROUP = r"(?:" + _DETERMINER + _TEAM_NOUN + r"|" + _OWN_TEAM + r"|" + _EVERYONE + r")" + _NOT_OWNER
#: the words that name the requester's team as one recipient ("the whole team", "everyone")
TEAM_WORDS = _GROUP

_TEAM_RE = re.compile(
    r"\b(?P<verb>" + _VERBS + r")\s+" + _OBJECT + _PREP + r"(?P<who>" + _GROUP + r")"
    r"|\b(?:to|with|cc|and)\s+(?P<also>" + _GROUP + r")"
)
# a team named by what it does or where it is ("the HR team", "the Berlin recruiting team",
# "finance department"): not the requester's, so who they are is asked; a word that says when
# or how often ("the weekly team update") or a determiner is no such name
_NOT_QUALIFIER = (
    r"(?:the|my|our|your|their|a|an|this|that|all|every|each|whole|entire|same|new|weekly|daily"
    r"|monthly|hourly|yearly|quarterly|it|me|us|them|report|summary|list|pipeline)\b"
)
_QUALIFIER = r"(?!" + _NOT_QUALIFIER + r")[a-z][a-z0-9&.'-]*"
_OTHER_TEAM = (
    r"(?:(?:every(?:one|body)|all)\s+(?:in|on|of|at)\s+)?(?:(?:the|my|our)\s+)?"
    r"(?:(?:whole|entire)\s+)?(?:" + _QUALIFIER + r"\s+){1,2}"
    r"(?:team|department|dept|group|squad|crew|staff)(?:\s+members)?"
    + _NOT_OWNER
    + r"(?!\s+(?:update|updates|meeting|standup|sync|call|channel|calendar|page)\b)"
)
_OTHER_TEAM_RE = re.compile(
    # not after "for": "send the report for the design team" keeps to a department
    r"\b(?:" + _VERBS + r")\s+" + _OBJECT + r"(?:(?:to|with)\s+)?(?P<who>" + _OTHER_TEAM + r")"
    r"|\b(?:to|with|cc)\s+(?P<to>" + _OTHER_TEAM + r")"
    r"|\band\s+(?P<and>" + _OTHER_TEAM + r")"
)
#: the words that name another team as one recipient ("the HR team"), asked for by address
OTHER_TEAM_WORDS = _OTHER_TEAM

# people named by what they are to the requester: no record says who they are
_PERSON_NOUN = (
    r"(?:manager|boss|supervisor|team\s+lead|director|head\s+of\s+[a-z]+|vp(?:\s+of\s+"
    r"[a-z]+)?|ceo|cto|cfo|coo|founders?|co-?founders?|leadership(?:\s+team)?|execs?|"
    r"executives?|exec\s+team|hr|finance|legal|payroll|assistant|coordinator|client|"
    r"partner|agency)"
)
# departments are named without a determiner too ("email HR")
_PERSON = (
    r"(?:(?:my|our|the)\s+" + _PERSON_NOUN + r"|hr|finance|legal|payroll|leadership)" + _NOT_OWNER
)
_PERSON_RE = re.compile(
    r"\b(?:" + _VERBS + r")\s+" + _OBJECT + _PREP + r"(?P<who>" + _PERSON + r")"
    r"|\b(?:to|with|cc)\s+(?P<to>" + _PERSON + r")"
    r"|\band\s+(?P<and>" + _PERSON + r")"
)

# people named by what they do, in the plural or with what they work on ("the engineering
# managers", "the interview panel", "our design leads"): no record says who they are; the
# hiring managers and the interviewers are roles each run names, read elsewhere
_PEOPLE_NOUN = (
    r"(?:managers?|leads?|leaders?|heads?|directors?|engineers?|developers?|designers?|"
    r"analysts?|supervisors?|coordinators?|admins?|administrators?|reviewers?|approvers?|"
    r"stakeholders?|panel(?:ists?)?|panels|committees?|board(?:\s+members)?|partners?|"
    r"founders?|executives?|execs?|vps?|folks|contacts?|owners?|agenc(?:y|ies)|clients?)"
)
_PEOPLE = (
    r"(?:all\s+(?:of\s+)?)?(?:the|my|our)\s+(?!hiring\s+managers?\b)(?:"
    + _QUALIFIER
    + r"\s+){0,2}"
    + _PEOPLE_NOUN
    + _NOT_OWNER
    + r"(?!\s+(?:roles?|jobs?|positions?|stages?|openings?|reqs?|of)\b)"
)
_PEOPLE_RE = re.compile(
    r"\b(?:" + _VERBS + r")\s+(?P<who>" + _PEOPLE + r")"
    r"|\b(?:to|with|cc)\s+(?P<to>" + _PEOPLE + r")"
    r"|\band\s+(?P<and>" + _PEOPLE + r")"
)


# a person's name: "send Dana the report", "email sam the pipeline", "send it to Dana Lee"
_NOT_NAMES = (
    r"me|us|them|him|her|it|this|that|these|those|everyone|everybody|all|each|every|any|one|"
    r"candidates?|applicants?|people|out|off|over|back|along|in|on|to|up|a|an|the|my|our|their|"
    r"your|his|today|tomorrow|daily|weekly|monthly|reports?|summaries|alerts?|reminders?|"
    r"messages?|emails?|updates?|slack|interviewers?|recruiters?|hiring|team|"
    # "send a rejection email when a candidate is rejected": a condition, not a person
    r"when|whenever|if|once|after|before|as"
)
_THING = r"(?:the|my|our|a|an|this|today'?s|weekly|daily|monthly)\b"
_VERB_NAME_THING = re.compile(
    r"\b(?:send|e-?mail|mail|forward|message|dm|slack|text|give|show)\s+"
    r"(?P<who>(?!(?:" + _NOT_NAMES + r")\b)[a-z][a-z'-]*"
    r"(?:\s+(?!" + _THING + r"|(?:" + _NOT_NAMES + r")\b)[a-z][a-z'-]*)?)\s+(?=" + _THING + r")",
    re.I,
)
_DAYS_AND_MONTHS = re.compile(
    r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?s?$|jan|feb|mar|apr|may|"
    r"june?|july?|aug|sept?|oct|nov|dec",
    re.I,
)
_TO_NAME = re.compile(
    r"\b(?:send|e-?mail|mail|forward|share|post|cc)\b[^.,;:!?]*?\b(?:to|with|cc)\s+"
    r"(?P<who>(?!(?:Slack|Teams|Email|E-mail|Me|Us|Them|Everyone|Everybody|All|The|My|Our|"
    r"I)\b)[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+)?)\b(?!\s+(?:role|job|position|stage|team|"
    r"department|opening|req)\b)(?!@)"
)
# "send me anyone who moves to Interview": a stage, not a person
_MOVES_TO = re.compile(
    r"\b(?:mov|advanc|appl|go|progress|chang|reach|get|promot|put)\w*\s+(?:\w+\s+)?"
    r"(?:to|with)\s+$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Named:
    """A recipient named in words: `to` is TEAM, a teammate's address, or None (someone
    unknown, said as `said`; `choices`: the addresses of the several users of that name)."""

    to: str | None
    channel: str | None  # the channel the verb names ("email my team"), else None
    said: str
    span: tuple[int, int]
    name: str = ""  # a teammate's name
    choices: tuple[str, ...] = ()


def _named(said: str, span: tuple[int, int], found: Sequence[Teammate]) -> Named:
    """A name said in the request, as the users it names make it."""
    if len(found) == 1:
        return Named(found[0].email.lower(), None, said, span, found[0].name)
    return Named(None, None, said, span, choices=tuple(p.email.lower() for p in found))


def read_people(low: str, raw: str = "", people: Sequence[Teammate] = ()) -> list[Named]:
    """The team, teammates and unknown people the request sends to, in order (`low`: the
    request lower-cased; `raw`: as written, where names keep their capitals; `people`: the
    organisation's users, whom names are looked up among)."""
    named: list[Named] = []
    for m in _TEAM_RE.finditer(low):
        verb = (m.group("verb") or "").strip()
        channel = (
            "email"
            if re.fullmatch(_EMAIL_VERBS, verb)
            else "slack"
            if re.fullmatch(_SLACK_VERBS, verb)
            else None
        )
        who = m.group("who") or m.group("also")
        named.append(Named(TEAM, channel, who, m.span()))
    for m in _OTHER_TEAM_RE.finditer(low):
        start, end = m.span(next(g for g in ("who", "to", "and") if m.group(g)))
        if (
            any(n.span[0] <= m.start() < n.span[1] for n in named)
            or _MOVES_TO.search(low[max(0, start - 40) : start])
            or (m.group("and") and not listed_after_someone(raw[: m.start()], people))
        ):
            continue  # "applied to the engineering department": a filter, not someone
        named.append(Named(None, None, (raw or low)[start:end], m.span()))
    for m in _PEOPLE_RE.finditer(low):
        start, end = m.span(next(g for g in ("who", "to", "and") if m.group(g)))
        if (
            any(n.span[0] <= start < n.span[1] for n in named)
            or _MOVES_TO.search(low[max(0, start - 40) : start])
            or (m.group("and") and not listed_after_someone(raw[: m.start()], people))
        ):
            continue
        named.append(Named(None, None, (raw or low)[start:end], m.span()))
    for m in _PERSON_RE.finditer(low):
        if m.group("and") and not listed_after_someone(raw[: m.start()], people):
            continue  # "and my manager" lists a recipient only after another one
        if not any(n.span[0] <= m.start() < n.span[1] for n in named):
            said = m.group("who") or m.group("to") or m.group("and")
            named.append(Named(None, None, said, m.span()))
    for teammate in read_teammates(raw, people):
        start = teammate.span[0]
        taken = any(n.span[0] <= start < n.span[1] for n in named)
        moves = _MOVES_TO.search(raw[max(0, start - 40) : start])
        # a blank in `low`: read already as something else (a reminder's own text)
        if not taken and not moves and low[start] != " ":
            named.append(_named(teammate.said, teammate.span, teammate.found))
    for pattern in (_VERB_NAME_THING, _TO_NAME):
        for m in pattern.finditer(raw):
            who = m.group("who")
            taken = any(n.span[0] <= m.start("who") < n.span[1] for n in named)
            moves = _MOVES_TO.search(raw[max(0, m.start("who") - 40) : m.start("who")])
            if (
                not taken
                and not moves
                and not _DAYS_AND_MONTHS.match(who)
                and low[m.start("who")] != " "
            ):
                named.append(_named(who, m.span("who"), teammates_called(who, people)))
    return sorted(named, key=lambda n: n.span)


def who_question(said: str) -> str:
    return (
        f"Who is “{said}”? Give me their email address (for example sam@example.com) or a "
        "Slack channel (#hiring), and I will send it there."
    )


def which_one(said: str, choices: Sequence[str]) -> str:
    return (
        f"Several people are called “{said}”: {', '.join(choices)}. Which one? Say their address."
    )


_WHO_ASKED = re.compile(r"Who is “(?P<said>[^”]+)”\?")
_NAME_ANSWER = re.compile(
    r"(?:(?:it's|it is|that's|that is|they're|they are|he's|she's|i mean|i meant|oh|sorry)"
    r"[,\s]+)*(?P<name>[a-z][a-z'.-]*(?:\s+[a-z][a-z'.-]*){0,2})[.!]?",
    re.I,
)


def named_in_answer(question: str, request: str, answer: str) -> str | None:
    """The request with the name "Who is “bob”?" asked about said as the answer names them
    ("sam", "it's Sam Sourcer"), to be read again; None when the question is another or the
    answer is not a name (an address or a channel answers by being added to the request)."""
    asked = _WHO_ASKED.match(question)
    said = _NAME_ANSWER.fullmatch(answer.strip())
    if not asked or not said:
        return None
    name = said.group("name")
    if any(w.lower() in NOT_A_NAME or _DAYS_AND_MONTHS.match(w) for w in name.split()):
        return None
    where = re.search(rf"(?<![\w@.]){re.escape(asked.group('said'))}(?![\w@])", request, re.I)
    if where is None:
        return None
    return request[: where.start()] + name + request[where.end() :]
