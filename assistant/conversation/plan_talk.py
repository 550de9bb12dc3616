"""The organisation's plan by words: "what plan are we on?", "upgrade us to pro", "set the plan
to enterprise". Changing it is the admins' (the tool set refuses anyone else); the reply says
what the plan allows, and what a smaller plan means for automations already active."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.conversation.reply import Reply
from models.settings import PlanLimits
from models.store.automations import count_active
from models.store.orgs import get_org
from worker.run.plan_limits import frequency_words, limits_for, plan_limits

if TYPE_CHECKING:
    from assistant.tools.toolset import Actor, Toolset

_OURS = r"(?:the|our|my|this|the organi[sz]ation'?s?|the org'?s?|the team'?s?|the account'?s?)"
_CHANGE = re.compile(
    r"(?:please\s+)?(?:can you\s+|could you\s+)?"
    r"(?:set|change|switch|move|put|upgrade|downgrade|update)"
    rf"(?:\s+(?:us|me|{_OURS}(?:\s+(?:plan|organi[sz]ation|org|team|account|workspace))?))?"
    r"\s+(?:to|onto|on|into)\s+(?:the\s+|a\s+)?(?P<plan>[\w-]+)(?:\s+plan)?",
    re.I,
)
PLAN_QUESTION = re.compile(
    rf"(?:what|which)(?:'s| is)? (?:plan|tier) (?:are|is) (?:we|i|{_OURS}(?: \w+)?) (?:on|in)"
    rf"|(?:what|which)(?:'s| is) {_OURS} (?:plan|tier)"
    r"|(?:what|which) (?:plan|tier) do (?:we|i) have"
    rf"|(?:what are|what's|show(?: me)?) {_OURS} (?:plan )?limits"
    r"|(?:show|tell me)(?: me)? (?:the |our )?plan",
    re.I,
)


def plan_said(tools: Toolset, actor: Actor, text: str) -> Reply | None:
    """The reply to a question about the plan or a change of it, None when `text` is neither."""
    said = re.sub(r"\s+", " ", text.strip().replace("\u2019", "'")).rstrip(" ?.!")
    if m := _CHANGE.fullmatch(said):
        wanted = m.group("plan").lower()
        before = tools.get_org(actor).plan
        org = tools.set_plan(actor, wanted)
        limits = plan_limits(tools.settings, org.plan)
        if org.plan == before:
            return Reply(f"The organisation is already on the {org.plan} plan: {_allows(limits)}.")
        lines = [
            f"The organisation is now on the {org.plan} plan (was {before}): {_allows(limits)}."
        ]
        active = count_active(tools.engine, actor.org_id)
        cap = limits.max_active_automations
        if cap is not None and active > cap:
            lines.append(
                f"{active} automations are active, more than its {cap}: they keep running, and "
                f"no other can be activated until fewer than {cap} are."
            )
        return Reply(" ".join(lines), "done")
    if PLAN_QUESTION.fullmatch(said):
        stored = get_org(tools.engine, actor.org_id)
        limits = limits_for(tools.settings, stored)
        active = count_active(tools.engine, actor.org_id)
        change = " Only an admin can change it." if not actor.is_admin else ""
        return Reply(
            f"The organisation is on the {stored.plan} plan: {_allows(limits)}. "
            f"{active} automation{'s are' if active != 1 else ' is'} active.{change}",
            "info",
        )
    return None


def _allows(limits: PlanLimits) -> str:
    cap = limits.max_active_automations
    logged = limits.logged_runs_per_month
    parts = [
        "any number of active automations" if cap is None else f"up to {cap} active automations",
        f"each running at most {frequency_words(limits.min_interval_minutes)}",
        "every run kept in the history"
        if logged is None
        else f"{logged:,} runs a month kept in the history (runs beyond still fire)",
    ]
    if limits.runs_per_minute is not None:
        parts.append(f"up to {limits.runs_per_minute:,} runs a minute")
    return ", ".join(parts)
