"""Teammates named after "to", "for", "cc" or "with" ("send a summary of my pipeline to sam",
"cc Sam Sourcer"): each is looked up among the organisation's users by full name, first name,
address or its part before the "@" or the first dot, in any case. A name no user has is asked
about; only a word that can be nothing but a name counts as one, so "send it to review"
or "for the Data Engineer job" stay what they are."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Teammate:
    """A user of the requester's organisation, as a request may name them."""

    name: str
    email: str

    def said_as(self) -> tuple[str, ...]:
        """What a request may call them: full name, first name, address and its local part."""
        local = self.email.lower().split("@")[0]
        full = " ".join(self.name.lower().split())
        first = full.split()[0] if full else ""
        return tuple(w for w in (full, first, self.email.lower(), local, local.split(".")[0]) if w)


def teammates_called(said: str, people: Sequence[Teammate]) -> tuple[Teammate, ...]:
    """The users `said` names (none, one, or several who share a first name)."""
    wanted = " ".join(said.lower().strip("“”\"'.").split())
    return tuple(p for p in people if wanted in p.said_as())


# a send verb; "cc" is one and a preposition at once ("cc sam on it")
_SEND_VERB = re.compile(
    r"\b(?:send|sent|e-?mail|mail|forward|share|post|deliver|copy|dm|slack|message)\b", re.I
)
# the preposition (or a verb that sends) and up to two words after it; "and", "&" or a comma
# go on a list of them
_PREP_NAME = re.compile(
    r"(?:\b(?P<prep>to|for|cc|with|and)\s+|(?P<sep>[&,])\s*(?:and\s+)?)"
    r"(?P<who>[a-z][a-z'.-]*(?:@[\w.-]+)?)"
    r"(?:\s+(?!and\b)(?P<last>[a-z][a-z'-]*))?",
    re.I,
)
# a name heading a list right after a verb that sends ("email sam and me the report")
_VERB_LIST = re.compile(
    r"\b(?P<prep>e-?mail|dm|slack|message|send)\s+(?P<who>[a-z][a-z'.-]*(?:@[\w.-]+)?)"
    r"(?:\s+(?P<last>[a-z][a-z'-]*))??(?=\s*(?:,|&|and\b))",
    re.I,
)
_CLAUSE_END = re.compile(r"[.,;:!?]")
_ITEM = r"[\w.@'-]+(?:\s+[\w.@'-]+)?"
# "to me, sam and priya", "email me and sam": recipients listed after a verb or "to", the first
# of them a person (me, an address, a teammate) so "moved to Offer and Screen" lists no one
LISTED_BEFORE = re.compile(
    r"\b(?:to|cc|with|e-?mail|send|dm|slack|message)\s+(?P<first>" + _ITEM + r")"
    r"(?:\s*(?:,|and|&)\s*" + _ITEM + r")*\s*(?:,|and|&)?\s*$",
    re.I,
)


def listed_after_someone(before: str, people: Sequence[Teammate]) -> bool:
    """Whether `before` (the sentence up to a list word) ends in recipients listed, the first
    of them a person."""
    m = LISTED_BEFORE.search(re.split(r"[.;:!?](?:\s|$)", before)[-1][-120:])
    if m is None:
        return False
    first = m.group("first")
    one = first.split()[0].lower()
    return one in ("me", "us") or "@" in first or bool(teammates_called(first, people))


# words after "to" that are not a person, though written like a name
_NOT_A_NAME = frozenset(
    """me us you him her them it this that these those everyone everybody all each every any
    anyone someone whoever both one candidates candidate applicants applicant people out off
    over back along in on to up a an the my our their your his its today tomorrow tonight
    daily weekly monthly hourly report reports summary summaries alert alerts reminder reminders
    message messages email emails e-mail mail updates update slack teams team hiring recruiters
    recruiter interviewers interviewer managers manager inbox channel webhook app dashboard
    review check see know follow do make get keep let help call chase book finish prepare
    start stop confirm submit decide and or when whenever if once after before as while until
    every next last this hire fill""".split()
)
NOT_A_NAME = _NOT_A_NAME  # what an answer to "Who is …?" cannot be either
# after "for", also the teams and kinds of role a report may be for ("for sales every friday")
_NOT_A_NAME_AFTER_FOR = _NOT_A_NAME | frozenset(
    """sales marketing engineering design product finance ops operations support legal hr
    people data backend frontend remote onsite hybrid contractors interns leadership executives
    senior junior staff new open all active current later""".split()
)
# what may follow a lowercase name: the end, another recipient, or the schedule's words
_AFTER_NAME = re.compile(
    r"\s*(?:$|[.,;:!?]|(?:and|&|too|as\s+well|also|every|each|on|at|by|daily|weekly|"
    r"monthly|tomorrow|today|tonight|in|via|from|starting|weekdays?|mondays?|tuesdays?|"
    r"wednesdays?|thursdays?|fridays?|saturdays?|sundays?)\b)",
    re.I,
)
_DAYS_AND_MONTHS = re.compile(
    r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?s?|jan(?:uary)?|"
    r"feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class NamedTeammate:
    """A name a request sends to: `found` the users it names (empty: nobody of that name)."""

    said: str
    span: tuple[int, int]
    found: tuple[Teammate, ...]


def read_teammates(raw: str, people: Sequence[Teammate]) -> list[NamedTeammate]:
    """The names the request sends to, in order: a user's name after "to", "for", "cc" or
    "with" (two words first: "Sam Sourcer"), or an unknown word after "to", "cc" or "for"
    that can only be a name (no word of the service's, nor after "for" a team's or a verb's
    form, at the end of the clause or before the schedule); and the names listed on after a
    person ("to me, sam and priya", "email sam & me"), a user's or, after a list word, as
    after "to"."""
    named: list[NamedTeammate] = []
    found_at = [*_PREP_NAME.finditer(raw), *_VERB_LIST.finditer(raw)]
    for m in sorted(found_at, key=lambda m: m.start()):
        prep = (m.group("prep") or m.group("sep")).lower()
        who, last = m.group("who").rstrip("."), m.group("last")
        clause = _CLAUSE_END.split(raw[: m.start()])[-1]
        if prep in ("and", "&", ","):
            if not listed_after_someone(raw[: m.start()], people):
                continue
            prep, clause = "to", raw[: m.start()]  # one more of the recipients listed
        if prep in ("to", "for", "with") and not _SEND_VERB.search(clause):
            continue
        if last and (found := teammates_called(f"{who} {last}", people)):
            named.append(NamedTeammate(f"{who} {last}", (m.start("who"), m.end("last")), found))
        elif found := teammates_called(who, people):
            named.append(NamedTeammate(who, (m.start("who"), m.start("who") + len(who)), found))
        elif (
            prep in ("to", "cc", "for")
            and "@" not in who
            and who.lower() not in (_NOT_A_NAME_AFTER_FOR if prep == "for" else _NOT_A_NAME)
            # after "for" a verb's form or a plural is what the report covers ("interviews")
            and not (prep == "for" and re.search(r"(?:ing|ed|[^s]s)$", who, re.I))
            and not _DAYS_AND_MONTHS.match(who)
            and _AFTER_NAME.match(raw, m.start("who") + len(who))
        ):
            named.append(NamedTeammate(who, (m.start("who"), m.start("who") + len(who)), ()))
    return named
