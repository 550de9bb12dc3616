"""Questions about the plan and what was used of it: "what plan are we on?", "how many
automations do I have left on my plan?", "how many runs have we used this month?", "what did
that cost me this month?". Each is answered from what is stored: the plan's limits, the active
automations, the month's run counters, and the tokens the run rows record (no price is stored,
so a question about cost is answered with the tokens, saying so). A member hears about their own
automations' runs, an admin about the organisation's; the plan and its counters are everyone's."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from assistant.conversation.plan_talk import PLAN_QUESTION, plan_said
from assistant.conversation.reply import Reply
from models.store.automations import count_active, list_automations
from models.store.orgs import get_org
from models.store.usage import llm_usage, month_runs
from worker.run.plan_limits import limits_for

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset

_MINE = r"(?:i|we|me|us|my|our)"
_ROOM = re.compile(
    r"how many (?:more )?(?:automations?|alerts?|reports?) (?:do|have|can) (?:i|we) (?:have |got )?"
    r"(?:left|remaining|still (?:make|create|add|activate|have)|(?:make|create|add|activate|have)"
    r" (?:still|more|left)?)(?: on| in| with| under)?(?: (?:my|our|the) plan)?"
    r"|how many (?:automations?|alerts?|reports?) (?:are )?(?:left|remaining)(?: on| in)?"
    r"(?: (?:my|our|the) plan)?"
    r"|how many more (?:automations? )?can (?:i|we) (?:make|create|add|activate|have)"
    r"(?: on (?:my|our|the) plan)?"
    r"|(?:am i|are we) (?:at|near|over|close to) (?:my |our |the )?(?:plan(?:'s)? )?limit"
    r"|how close (?:am i|are we) to (?:my |our |the )?(?:plan(?:'s)? )?limit"
)
_RUNS = re.compile(
    rf"how many runs (?:have|did|do) {_MINE} (?:used|use|had|have left)(?: so far)?"
    r"(?: (?:this|last) month)?(?: so far)?"
    r"|how many runs (?:are|do (?:i|we) have) left(?: this month)?(?: on (?:my|our|the) plan)?"
    r"|how much of (?:my|our|the) (?:run )?(?:quota|allowance|plan) (?:have|did) (?:i|we) used?"
    r"(?: this month)?|(?:what(?:'s| is) )?(?:my|our) (?:run )?(?:quota|usage)(?: this month)?"
    r"(?: so far)?"
)
_COST = re.compile(
    r"(?:what|how much) (?:did|does|has|have|will) (?P<ref>.+?) cost(?: me| us)?(?P<period> .+)?"
    rf"|how much (?:have|did) {_MINE} (?:spent|spend|used)(?: on (?:the )?(?:llm|ai|claude))?"
    r"(?P<period2> .+)?"
    rf"|how many (?:llm |ai |claude )?tokens (?:have|did|do) (?:{_MINE}|(?P<ref2>.+?)) "
    r"(?:used|use|burn(?:ed|t)?)(?P<period3> .+)?"
    rf"|(?:what(?:'s| is| was) )?(?:my|our) (?:llm|ai|claude|token) (?:usage|use|spend|bill|cost)"
    r"(?P<period4> .+)?"
)


def usage_question(low: str) -> str | None:
    """What a question about the plan or its use asks: "plan", "room", "runs" or "cost"
    (`low`: the message in lower case), or None."""
    said = re.sub(r"\s+", " ", low.replace("\u2019", "'")).strip().rstrip(" ?.!")
    said = re.sub(r"^(?:so|and|ok|okay|hey|please|tell me|just)[,\s]+", "", said)
    if PLAN_QUESTION.fullmatch(said):
        return "plan"
    if _ROOM.fullmatch(said):
        return "room"
    if _RUNS.fullmatch(said):
        return "runs"
    if (m := _COST.fullmatch(said)) and _period(m) in ("", "this month", "so far", "today"):
        return "cost"
    return None


def _period(m: re.Match[str]) -> str:
    found = next((g for g in (m.group(f"period{n}") for n in ("", 2, 3, 4)) if g), "")
    return found.strip()


def usage_answer(tools: Toolset, actor: Actor, asked: str, text: str) -> Reply:
    """The answer to a question usage_question read as `asked`."""
    if asked == "plan":
        return plan_said(tools, actor, text) or Reply("I couldn't read that question.", "error")
    org = get_org(tools.engine, actor.org_id)
    limits = limits_for(tools.settings, org)
    now = tools.clock()
    if asked == "room":
        active = count_active(tools.engine, actor.org_id)
        cap = limits.max_active_automations
        head = f"The organisation is on the {org.plan} plan"
        if cap is None:
            return Reply(
                f"{head}: it has no limit on active automations; {_active(active)}.", "info"
            )
        room = max(0, cap - active)
        if room:
            rest = f"so {room} more can be activated"
        else:
            rest = "so no more can be activated until one is paused or deleted"
            rest += "" if actor.is_admin else " (or an admin changes the plan)"
        return Reply(
            f"{head}: up to {cap} active automations; {_active(active)}, {rest}.",
            "info",
            data={"plan": org.plan, "max_active": cap, "active": active, "left": room},
        )
    if asked == "runs":
        return _runs_used(tools, actor, org.plan, limits.logged_runs_per_month, now)
    return _cost(tools, actor, now, text)


def _active(count: int) -> str:
    return f"{count} {'is' if count == 1 else 'are'} active"


def _runs_used(tools: Toolset, actor: Actor, plan: str, quota: int | None, now: datetime) -> Reply:
    """The month's runs (the UTC month, as the plan counts them) against its logged-run
    quota: the organisation's, the counters being kept for it alone."""
    logged, beyond = month_runs(tools.engine, actor.org_id, now.strftime("%Y-%m"))
    ran = logged + beyond
    head = f"This month ({now:%B}, UTC) the organisation's automations have run {_times(ran)}"
    if quota is None:
        text = f"{head}; the {plan} plan keeps every run in the history."
    else:
        left = max(0, quota - logged)
        text = (
            f"{head}; the {plan} plan keeps {quota:,} runs a month in the history: {logged:,} "
            f"kept, {left:,} left"
        )
        text += f", {beyond:,} beyond it (they still ran)." if beyond else "."
    return Reply(
        text,
        "info",
        data={"month": now.strftime("%Y-%m"), "runs": ran, "logged": logged, "quota": quota},
    )


def _cost(tools: Toolset, actor: Actor, now: datetime, text: str) -> Reply:
    """The LLM tokens this month's runs used (of the automation named by number; else the
    speaker's, an admin's: the organisation's), and how many ran without one: what the run
    rows record, no price being stored."""
    zone = ZoneInfo(tools.zone_of(actor))
    local = now.astimezone(zone)
    start = datetime.combine(local.date().replace(day=1), time(0), zone)
    if numbered := re.search(r"#(\d+)\b", text):
        view = tools.get_automation(actor, int(numbered.group(1)))  # refuses another's
        ids: list[int] | None = [view.id]
        whose = f"#{view.id} “{view.name}”"
    elif actor.is_admin:
        ids = None
        whose = "the organisation's automations"
    else:
        mine = list_automations(tools.engine, actor.org_id, owner_id=actor.user_id)
        ids = [a.id or 0 for a in mine]
        whose = "your automations"
    used = llm_usage(tools.engine, actor.org_id, automation_ids=ids, start=start, end=now)
    ran = used.with_llm + used.without_llm
    text = (
        "No price is recorded, only the tokens an LLM used. This month (since 1 "
        f"{local:%B}) {whose} ran {_times(ran)}, test runs included"
    )
    if not used.with_llm:
        text += ": none used an LLM, so no tokens were used." if ran else "."
    else:
        cached = (
            f", {used.cache_read_tokens:,} read from the prompt cache"
            if used.cache_read_tokens
            else ""
        )
        text += (
            f": {_times(used.with_llm, 'run')} used an LLM ({used.input_tokens:,} input and "
            f"{used.output_tokens:,} output tokens{cached}), {used.without_llm} ran without one."
        )
    return Reply(
        text,
        "info",
        data={
            "since": start.isoformat(),
            "runs": ran,
            "llm_runs": used.with_llm,
            "input_tokens": used.input_tokens,
            "output_tokens": used.output_tokens,
            "cache_read_tokens": used.cache_read_tokens,
            "cache_write_tokens": used.cache_write_tokens,
        },
    )


def _times(count: int, noun: str = "time") -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
