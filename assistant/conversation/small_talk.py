"""Pleasantries: "thanks", "hello", "great", "bye". They get a short friendly reply and are
never read as a request, so they never replace, answer or drop what waits for an answer (the
engine repeats the waiting line after the reply)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.conversation import words
from assistant.conversation.reply import Reply
from models.errors import SkilltickError

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset

# each kind's phrases; a message made only of these (and fillers) is small talk
_PHRASES = {
    "greeting": (
        r"hello(?: there)?|hi(?: there)?|hey(?: there)?|hiya|howdy|yo|greetings|"
        # not "morning" or "evening" alone: those answer "which part of the day?"
        r"good (?:morning|afternoon|evening)|"
        r"how are you(?: doing)?(?: today)?|how's it going|how are things"
    ),
    "bye": (
        # not "later" alone: it answers "earlier or later?"
        r"bye(?: bye)?|goodbye|good night|see you(?: later| soon| tomorrow)?|see ya|cya|ttyl|"
        r"talk (?:to you )?(?:later|soon|tomorrow)|"
        r"that's (?:all|it|everything)(?: for now| for today)?|that is all|"
        r"nothing else|i'm done|all done|have a good (?:one|day|evening|weekend)"
    ),
    "thanks": (
        r"thanks?(?: a lot| a bunch| so much| very much| again| a million| loads)?|"
        r"thank you(?: so much| very much| again| kindly)?|thx|thnx|ty|tysm|cheers|ta|"
        r"many thanks|much appreciated|appreciate it|appreciated|"
        r"(?:thanks|thank you) for (?:your|the|that|all the) help|(?:thanks|thank you) for that"
    ),
    "ack": (
        r"great|cool|nice|perfect|awesome|excellent|brilliant|lovely|amazing|wonderful|"
        r"fantastic|super|neat|sweet|good|very good|good stuff|nice one|got it|noted|"
        r"understood|ok|okay|k|kk|alright|all right|fine|right|sounds great|that's great|"
        r"that's perfect|that works|works for me|great stuff|good to know|good job|well done"
    ),
}
_FILLER = r"oh|ah|well|and|so|yes|yeah|ok|okay|very|really|much|skilltick|mate|again|then"
_PHRASE = "|".join(f"(?:{p})" for p in _PHRASES.values())
_ALL = re.compile(rf"(?:(?:{_PHRASE}|{_FILLER})(?:[\s,;.!]+|$))+")
_KINDS = {kind: re.compile(rf"\b(?:{p})\b") for kind, p in _PHRASES.items()}


def small_talk(message: str) -> str | None:
    """The kind of pleasantry `message` is (greeting, bye, thanks, ack), or None when it says
    anything more. A lone "ok" or "yes" is an answer, not small talk (the caller reads those
    first)."""
    low = message.lower().replace("\u2019", "'")
    # emoji, smileys and punctuation say nothing more
    low = re.sub(r"[:;]-?[)(dp]|<3|[^\w\s',;.!]", " ", low)
    low = re.sub(r"\s+", " ", low).strip(" ,;.!")
    if not low or not _ALL.fullmatch(low + " "):
        return None
    said = [kind for kind, pattern in _KINDS.items() if pattern.search(low)]
    if not said:
        return None
    if re.fullmatch(rf"(?:(?:{_FILLER})[\s,;.!]*)+", low):
        return None  # "ok", "yes", "ok then": an answer
    # a greeting leads ("hi, thanks"); then goodbye, thanks, and only then a plain "great"
    return next(kind for kind in ("greeting", "bye", "thanks", "ack") if kind in said)


def pleasantry(tools: Toolset, actor: Actor, kind: str, just_made: int | None) -> Reply:
    """The friendly reply; `just_made` is the automation the previous turn activated."""
    if kind == "greeting":
        return Reply(
            "Hello! I set up and look after your recruiting automations. Try “Every Monday "
            "at 9am, send me a summary of my pipeline”, “list my automations” or “help”.",
            "info",
        )
    if kind == "bye":
        return Reply("Bye for now! Your active automations keep running without this chat.", "info")
    if kind == "thanks" and just_made is not None:
        try:
            view = tools.read_automation(actor, just_made)
        except SkilltickError:  # deleted or no longer readable since
            view = None
        if view is not None and view.enabled:
            return Reply(
                f"You're welcome! {words.title(view)} is active. {words.next_run(view)}",
                "info",
                automation_id=view.id,
            )
    if kind == "thanks":
        return Reply("You're welcome! Anything else, just ask.", "info")
    return Reply("Glad to help. Anything else, just ask; “help” lists what I can do.", "info")
