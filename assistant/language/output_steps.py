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
    first = read_alone(found.group("first"))
    if not first.ok or first.skill == "workflow":
        return plain
    second = Text(found.group("second"))
    output = read_output(second, people)
    if output.question or not (output.channel or output.to) or _FILLER.sub("", second.low):
        return plain  # unclear, or more than where it goes: not a second output
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
    if channel == first.channel:
        first.to = list(dict.fromkeys([*first.to, *to]))
    else:
        first.also = [{"channel": channel, "to": to}]
    first.write_summary()
    return first
