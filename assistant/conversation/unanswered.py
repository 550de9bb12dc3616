"""Messages that are not requests for an automation: a question the conversation has no answer
for gets "I can't answer that yet" with questions it can answer, chosen by the words used;
"who has the most automations?" is answered (admins); asking to give someone access says how
access is given, since the conversation cannot give it."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from assistant.conversation.reply import Reply
from models.store.orgs import get_org, list_users

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset

FALLBACK = "I couldn't tell what to automate"  # how the parser says it read no request
_AUX = (
    r"do|does|did|can|could|is|are|was|were|will|would|should|has|have|had|may|might|"
    r"shall|must"
)
_QUESTION = re.compile(
    r"(?:(?:so|and|but|ok|okay|hey|hi|please|also|then|just|wait|um|hmm)[,\s]+)*"
    rf"(?:(?:what|which|who|whom|whose|where|why|how)(?:'s|'re)?|(?:{_AUX})"
    r"(?=(?:\s+\S+){2}))\b",
    re.I,
)
# questions no automation request starts with ("when …" and "how about …" may start one)
_ASKS = re.compile(
    r"(?:(?:so|and|but|ok|okay|hey|hi|please|also|then|just|wait|um|hmm)[,\s]+)*"
    r"(?:(?:what|which|who|whom|whose|where|why)(?:'s|'re)?(?!\s+about\b)|how(?!\s+about\b))\b",
    re.I,
)
# the questions that can be answered, by what they are about
_TOPICS = {
    "runs": (
        r"\b(?:runs?|ran|fail\w*|errors?|broke\w*|sent|went out|fired|times|history|last)\b",
        ["how many runs failed last week?", "what ran today?", "when did {n} last run?"],
    ),
    "recipients": (
        r"\b(?:who gets|recipients?|receives?|sent to|send to|e-?mails?|slack|channel|get it)\b",
        ["who gets {n}?", "where does {n} go?"],
    ),
    "schedules": (
        r"\b(?:when|schedule\w*|next|tomorrow|today|week|time|often|due|coming up)\b",
        ["what runs tomorrow?", "when does {n} run next?", "how often does {n} run?"],
    ),
    "automations": (
        r"\b(?:automations?|reports?|alerts?|reminders?|jobs?|paused|active|owns?|most|have)\b",
        ["what automations do I have?", "how many automations are paused?", "who owns {n}?"],
    ),
}
_MOST = re.compile(
    r"(?:who|which (?:person|user|member|recruiter|colleague)) (?:has|owns|made|created|set up)"
    r" (?:the )?(most|fewest|least|more|fewer) (?:automations|reports|alerts|jobs)"
    r"|how many (?:automations|reports|alerts|jobs) (?:does )?(?:each|every|everyone|everybody)"
    r"(?: person| user| member| one)?(?: have| own|'s got| has)"
    r"|(?:automations|reports) (?:per|by) (?:person|user|owner|member)",
    re.I,
)
_ACCESS = re.compile(
    r"(?:can you |could you |please |how (?:do|can) i )*"
    r"(?:give|grant|get)\s+(?P<a>.+?)\s+(?:access|a login|an account|a token)\b.*"
    r"|(?:can you |could you |please |how (?:do|can) i )*"
    r"(?:invite|add)\s+(?P<b>.+?)\s+(?:to\s+(?:the\s+)?(?:dashboard|skilltick|team|"
    r"organi[sz]ation|org|workspace|app)|as\s+(?:a\s+)?(?:user|member|admin))\b.*"
    r"|(?:can you |could you |please |how (?:do|can) i )*"
    r"(?:let)\s+(?P<c>.+?)\s+(?:see|use|log ?in(?: to)?|sign ?in(?: to)?|into)\s+"
    r"(?:the\s+)?(?:dashboard|skilltick|app)\b.*"
    r"|(?:can you |could you |please |how (?:do|can) i )*make\s+(?P<d>.+?)\s+an?\s+admin\b.*",
    re.I,
)


def is_question(text: str) -> bool:
    """Shaped as a question: a wh-word or "do/does/can/is …" first, or a question mark last
    ("when …" without one starts a request: "when a candidate applies, email me")."""
    said = text.strip()
    return said.endswith("?") or bool(_QUESTION.match(said))


def access_wish(tools: Toolset, actor: Actor, text: str) -> Reply | None:
    """How access is given, when `text` asks to give someone access; else None."""
    if m := _ACCESS.fullmatch(text.strip().rstrip("?.!")):
        return access(tools, actor, next(g for g in m.groups() if g))
    return None


def unanswerable(tools: Toolset, actor: Actor, text: str) -> Reply | None:
    """The reply to a question that is no request for an automation, or None when `text`
    may be one: the parser decides, without an LLM. A wh-question the parser asks back about
    is no request either ("how many did we hire last quarter?")."""
    if not is_question(text):
        return None
    if m := _MOST.search(text):
        return per_owner(tools, actor, (m.group(1) or "most").lower())
    question = tools.understand(actor, text, llm=False).question
    if question is None:
        return None  # a whole request, asked politely
    if question.startswith(FALLBACK) or _ASKS.match(text.strip()):
        return cant_answer(tools, actor, text)
    return None


def cant_answer(tools: Toolset, actor: Actor, text: str) -> Reply:
    """ "I can't answer that yet. I can …" with 3 or 4 questions about what `text` speaks of
    (automations, runs, recipients, schedules), naming one of the speaker's automations."""
    low = text.lower()
    mine = tools.list_automations(actor, everyone=False)
    about = [topic for topic, (words, _) in _TOPICS.items() if re.search(words, low)]
    about = about or ["automations", "runs", "schedules"]
    offered: list[str] = []
    for round_ in range(3):
        for topic in about:
            asked = _TOPICS[topic][1]
            if round_ < len(asked) and len(offered) < 4:
                offered.append(asked[round_])
    if mine:
        offered = [q.format(n=f"#{mine[0].id}") for q in offered]
    else:  # nothing of one's own to name
        offered = [q for q in offered if "{n}" not in q] or ["what automations do I have?"]
    if actor.is_admin and "most" in low and "who has the most automations?" not in offered:
        offered = ["who has the most automations?", *offered[:3]]
    said = "; ".join(f"“{q}”" for q in offered[:4])
    return Reply(
        f"I can't answer that yet. I can answer questions like {said}. “help” lists what "
        "else I understand.",
        "info",
    )


def per_owner(tools: Toolset, actor: Actor, which: str) -> Reply:
    """Each person's number of automations, most first (fewest first when asked)."""
    mine = tools.list_automations(actor, everyone=False)
    if not actor.is_admin:
        return Reply(
            f"Only admins see everyone's automations; you have {len(mine)}.",
            "info",
        )
    counts = Counter(v.owner_email for v in tools.list_automations(actor, everyone=True))
    people = {u.email: u for u in list_users(tools.engine, actor.org_id)}
    for email in people:
        counts.setdefault(email, 0)
    fewest = which in ("fewest", "least", "fewer")
    ranked = sorted(counts.items(), key=lambda kv: (kv[1] if fewest else -kv[1], kv[0]))
    lines = [f"{email}: {n}" for email, n in ranked]
    top = [email for email, n in ranked if n == ranked[0][1]]
    head = "Fewest" if fewest else "Most"
    lead = f"{head}: {' and '.join(top)} ({ranked[0][1]})." if ranked else "Nobody yet."
    return Reply(
        "\n".join([f"{lead} Automations per person (system jobs not counted):", *lines]),
        "info",
        data=[{"owner_email": email, "automations": n} for email, n in ranked],
    )


def access(tools: Toolset, actor: Actor, who: str) -> Reply:
    """How a person gets access, as it is given: the conversation gives none itself."""
    org = get_org(tools.engine, actor.org_id)
    users = list_users(tools.engine, actor.org_id)
    name = re.sub(r"^(?:the user|user|my colleague|colleague)\s+", "", who.strip(), flags=re.I)
    low = name.lower()
    found = [
        u
        for u in users
        if low in (u.email.lower(), u.email.split("@")[0].lower(), u.name.lower())
        or low == u.email.split("@")[0].split(".")[0].lower()
        or low == (u.name.split() or [""])[0].lower()
    ]
    if not actor.is_admin:
        admins = ", ".join(u.email for u in users if u.role == "admin")
        return Reply(
            f"I can't give access from the chat, and only admins add people or give sign-in "
            f"links: ask {admins or 'an admin'}.",
            "info",
        )
    if len(found) == 1:
        user = found[0]
        return Reply(
            f"I can't give access from the chat. {user.email} is already a {user.role} of "
            f"'{org.slug}': `skilltick tokens create --org {org.slug} --user {user.email}` "
            "prints a token; opening /login?token=TOKEN and pressing Sign in signs them in; "
            f"“make {user.email} an admin” (here, or `skilltick users role {user.email} admin "
            f"--org {org.slug}`) makes them an admin.",
            "info",
        )
    return Reply(
        f"I can't give access from the chat, and “{name}” is not a user of '{org.slug}'. "
        "Invite them here (“invite EMAIL”), on the dashboard's Admin page, or with "
        f"`skilltick users invite EMAIL --org {org.slug}` (an e-mailed link that signs them in "
        "once).",
        "info",
    )
