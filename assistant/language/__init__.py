"""Understanding recruiters' requests without an LLM: times, days, dates, schedules, events,
conditions, the skill and its params, and the output, into a draft automation or one question."""

from assistant.language.draft import Draft
from assistant.language.understand import PlanCheck, understand

__all__ = ["Draft", "PlanCheck", "understand"]
