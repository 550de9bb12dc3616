"""One report, two outputs: "every Monday at 9 send my pipeline summary to me and post it in
#hiring". An automation delivers through one channel, so a second output through another
channel is a second automation, the same in all else, made with the first when the draft is
confirmed; a second output through the same channel is one more recipient of the first."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.language.clock_words import Text
from assistant.language.draft import Draft
from assistant.language.role_words import role_question
from assistant.language.step_words import split_steps
from assistant.language.teammate_words import Teammate
from assistant.language.what_words import read_output

# "… and post it in #hiring", ", then email it to sam@acme.com", "and also slack it to me"
_SECOND = re.compile(
    r"^(?P<first>.+?)(?:\s*[,;]\s*(?:and\s+)?(?:then\s+)?(?:also\s+)?|\s+and\s+(?:then\s+)?"
    r"(?:also\s+)?|\s+then\s+(?:also\s+)?)(?P<second>(?:post|send|e-?mail|share|slack|dm|"
    r"forward|copy|put|drop)\s+(?:it|that|this|the\s+same(?:\s+one)?|a\s+copy)\b.*)$",
    re.I | re.S,
)

# what a second output says besides where it goes
_FILLER = re.compile(
    r"\b(?:post|send|e-?mail|share|slack|dm|forward|copy|put|drop|it|that|this|the|same|one|a|"
    r"to|in|into|on|too|as|well|also|channel|via|by|over|there)\b|[\s,.;!]+"
)


def understand_outputs(
    request: str,
    plain: Draft,
    *,
    read_alone: Callable[[str], Draft],
    people: Sequence[Teammate] = (),
) -> Draft:
    """The draft of `request` with its second output when it names one after the first
    ("… to me and post it in #hiring"), else `plain`."""
    found = _SECOND.match(request.strip().rstrip(".!"))
    if found is None:
        return plain
    steps = split_steps(found.group("first"))
    if steps is not None and len(steps[1]) > 1:
        return plain  # several steps before it: the steps' reading says what each becomes
    if not read_output(Text(found.group("first")), people).mentioned:
        # "when a candidate withdraws, send it to lee@…": the first part names no output, so
        # the second is the only one (the whole request says it)
        return plain
    second = Text(found.group("second"))
    output = read_output(second, people)
    if output.question or not (output.channel or output.to):
        return plain  # unclear: not a second output
    # words after the second place that say more ("… and post it in #hiring every Monday")
    # belong to the whole request: read with the first part
    rest = _rest_of(second)
    first = read_alone(f"{found.group('first')} {rest}" if rest else found.group("first"))
    if not first.ok or first.skill == "workflow":
        return plain
    verb = found.group("second").split()[0].lower()
    # "slack it to me": the verb names the channel
    said = "slack" if verb in ("slack", "dm") else "email" if verb in ("email", "e-mail") else None
    channel, to = output.channel or said or first.channel, output.to or ["me"]
    if channel == "webhook" and not all(t.startswith("http") for t in to):
        return plain  # a webhook reaches a URL, not people
    if role_question(first.skill, [*first.to, *to], first.specs):
        return plain  # someone the skill cannot send to: read as before
    first.request = request
    first.names.update(output.names)
    add_output(first, channel, to)
    first.write_summary()
    return first


_LEADING_VERB = re.compile(
    r"^\s*(?:post|send|e-?mail|share|slack|dm|forward|copy|put|drop)\s+(?:it|that|this|the\s+same"
    r"(?:\s+one)?|a\s+copy)\b(?:\s+(?:to|in|into|on|via|by))*",
    re.I,
)


def _rest_of(second: Text) -> str:
    """What a second output says besides where it goes, in the user's spelling ("" when only
    filler words are left)."""
    if len(second.raw) != len(second.low):
        return ""  # a letter whose lower case is longer: positions differ, keep nothing
    pairs = zip(second.raw, second.low, strict=True)
    kept = "".join(raw if low != " " else " " for raw, low in pairs)
    kept = without_adding(_LEADING_VERB.sub("", kept))
    return kept if _FILLER.sub("", kept.lower()) else ""


_ADDING = re.compile(r"\b(?:also|as\s+well|too|in\s+addition|additionally|plus)\b", re.I)


def adds_output(change: str) -> bool:
    """Whether a change of where it goes adds a place ("also post it in #hiring", "email sam
    too") rather than replacing the places said before."""
    return _ADDING.search(change) is not None


def without_adding(change: str) -> str:
    """A change of where it goes without the words that say it adds a place."""
    return " ".join(_ADDING.sub(" ", change).split()).strip(" ,")


def add_output(draft: Draft, channel: str, to: list[str]) -> None:
    """One more place for `draft`'s output: more recipients of an output through the same
    channel, else one more output (an automation of its own once confirmed)."""
    if channel == draft.channel:
        draft.to = list(dict.fromkeys([*draft.to, *to]))
        return
    for other in draft.also:
        if other["channel"] == channel:
            other["to"] = list(dict.fromkeys([*other["to"], *to]))
            return
    draft.also.append({"channel": channel, "to": list(to)})


def one_alert_in_places(
    request: str, trigger: str, steps: list[str], read_alone: Callable[[str], Draft]
) -> Draft | None:
    """ "When an offer is accepted, post in #hiring and email the hiring manager": steps that
    each only tell someone of the event are one alert with an output for each place; None when
    a step does more (its own message, a task) or they are not the same alert."""
    drafts = [read_alone(f"{trigger}, {step}") for step in steps]
    first = drafts[0]
    if not all(
        d.ok
        and d.trigger_type == "event"
        and d.skill not in ("", "workflow")
        and (d.skill, d.event_type, d.event_filter, d.params, d.also)
        == (first.skill, first.event_type, first.event_filter, first.params, [])
        for d in drafts
    ):
        return None
    for other in drafts[1:]:
        first.names.update(other.names)
        add_output(first, other.channel, other.to)
        first.defaults.extend(d for d in other.defaults if d not in first.defaults)
    first.request = request
    first.write_summary()
    return first
