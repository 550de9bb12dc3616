"""Claude plans a request through tool use: with ANTHROPIC_API_KEY set, Claude reads the request
(knowing where it came from: Slack, MCP, the dashboard, the terminal) against the skill
catalogue in its cached system prompt, may try the deterministic reading, and proposes the
automation. Every proposal goes through the same checks as a typed request (the skill and its
params, its triggers, the schedule maths, plan limits, daylight-saving notes) before anyone
sees it; a failed check goes back to Claude once with the error, to be corrected or turned into
a question. When the API fails (5xx, overloaded, timeout, connection), the total time budget
runs out, or the proposal still does not validate, the deterministic parser answers instead:
nothing is lost and nobody waits long."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any

from assistant.language import Draft, understand
from assistant.language.notes import dst_notes
from assistant.language.proposals import proposal_question
from assistant.tools.planner_prompt import EVENTS, TOOLS, system_prompt
from assistant.tools.sdk_loader import ANTHROPIC_SDK, SdkLoader
from models.clock import parse_instant
from models.errors import InvalidInput, SkilltickError
from models.settings_integrations import DEFAULT_MODEL, AnthropicSettings
from skills.base import validate_params
from skills.llm.runner import echo_block
from skills.registry import SkillRegistry
from worker.schedule.parse import Schedule, parse_schedule

if TYPE_CHECKING:
    import anthropic

log = logging.getLogger(__name__)
DEFAULT_BUDGET_SECONDS = 15.0
MAX_TURNS = 4
MAX_CORRECTIONS = 1
PlanCheck = Callable[[Schedule | None, int | None], str | None]
CHANNELS = ("email", "slack", "webhook", "in_app")


class Rejected(Exception):
    """A proposal failed a check; the message says why in words Claude can act on."""


class BudgetSpent(Exception):
    """The planner's time budget ran out before Claude finished."""


class ClaudePlanner:
    def __init__(
        self,
        registry: SkillRegistry,
        client: anthropic.Anthropic | None = None,
        *,
        connect: Callable[[ModuleType], anthropic.Anthropic] | None = None,
        sdk: SdkLoader = ANTHROPIC_SDK,
        model: str = DEFAULT_MODEL,
        budget_seconds: float = DEFAULT_BUDGET_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """`client`, or `connect(sdk_module)` to make one once the SDK has loaded."""
        if client is None and connect is None:
            raise ValueError("a client or a way to connect one is needed")
        self.registry, self.client, self.connect, self.sdk = registry, client, connect, sdk
        self.model, self.budget_seconds, self.monotonic = model, budget_seconds, monotonic
        self._client_lock = threading.Lock()

    @classmethod
    def from_settings(
        cls, registry: SkillRegistry, settings: AnthropicSettings
    ) -> ClaudePlanner | None:
        """A planner when an API key is set (the SDK honours ANTHROPIC_BASE_URL when no base
        URL is set); None without one. The SDK loads and the client is made now, on a
        thread of their own."""
        if not settings.api_key:
            return None
        budget = settings.planner_budget_seconds

        def connect(sdk: ModuleType) -> anthropic.Anthropic:
            # retries are the budget's business: one slow retry must not double the wait
            client: anthropic.Anthropic = sdk.Anthropic(
                api_key=settings.api_key, base_url=settings.base_url, timeout=budget, max_retries=0
            )
            return client

        planner = cls(
            registry, connect=connect, model=settings.planner_model, budget_seconds=budget
        )
        threading.Thread(
            target=planner.warm, args=(600.0,), name="planner-warm", daemon=True
        ).start()
        return planner

    def warm(self, timeout: float) -> bool:
        """Load the SDK and make the client now (both take CPU seconds the first time), so a
        turn's budget goes to Claude; True once ready, False if not within `timeout`."""
        try:
            sdk = self.sdk.get(timeout)
            if sdk is None:
                return False
            self._client(sdk)
        except Exception:  # a turn tries again and falls back within its budget
            log.warning("getting the Claude client ready failed", exc_info=True)
            return False
        return True

    def plan(
        self,
        text: str,
        tz: str,
        now: datetime,
        *,
        via: str = "email",
        plan_check: PlanCheck | None = None,
        fallback: Callable[[], Draft] | None = None,
    ) -> tuple[Draft, bool]:
        """(draft, used_llm): Claude's validated plan, or `fallback()` (the deterministic
        reading, by default with `via` as the default output) when Claude cannot give one
        within the budget, which includes waiting for the SDK to load."""
        deadline = self.monotonic() + self.budget_seconds
        draft: Draft | None = None
        sdk = self.sdk.get(deadline - self.monotonic())
        if sdk is None:
            log.warning("the Anthropic SDK is still loading; using the deterministic parser")
        else:
            try:
                draft = self._converse(text, tz, now, via, plan_check, deadline, sdk)
            except (sdk.APIError, BudgetSpent, Rejected) as exc:
                log.warning(
                    "Claude planning failed (%s: %s); using the deterministic parser",
                    type(exc).__name__,
                    exc,
                )
        if draft is not None:
            return draft, True
        if fallback is not None:
            return fallback(), False
        drafted = understand(
            text,
            tz=tz,
            now=now,
            default_channel=via,
            plan_check=plan_check,
            specs=self.registry.specs(),
        )
        return drafted, False

    def _client(self, sdk: ModuleType) -> anthropic.Anthropic:
        """One client for the planner's life: its connections are reused turn after turn."""
        with self._client_lock:
            if self.client is None:
                assert self.connect is not None
                self.client = self.connect(sdk)
            return self.client

    def _create(
        self, client: anthropic.Anthropic, messages: list[dict[str, Any]], deadline: float
    ) -> Any:
        left = deadline - self.monotonic()
        if left <= 0.05:
            raise BudgetSpent(f"{self.budget_seconds:g} s spent")
        return client.with_options(timeout=left, max_retries=0).messages.create(
            model=self.model,
            max_tokens=1024,
            system=[
                {
                    "type": "text",
                    "text": system_prompt(self.registry),
                    "cache_control": {"type": "ephemeral"},
                }
            ],
            tools=TOOLS,  # type: ignore[arg-type]
            messages=messages,  # type: ignore[arg-type]
        )

    def _converse(
        self,
        text: str,
        tz: str,
        now: datetime,
        via: str,
        plan_check: PlanCheck | None,
        deadline: float,
        sdk: ModuleType,
    ) -> Draft | None:
        where = {"slack": "Slack", "mcp": "an MCP client (Claude)", "email": "email"}.get(via, via)
        default = via if via in CHANNELS else "email"
        messages: list[dict[str, Any]] = [
            {
                "role": "user",
                "content": (
                    f"The request came from {where}; unless it says otherwise, deliver by "
                    f"{default} to the requester. Requester's time zone: {tz}. "
                    f"Now: {now.isoformat()}.\nRequest: {text}"
                ),
            }
        ]
        client = self._client(sdk)
        corrections = 0
        for _ in range(MAX_TURNS):
            reply = self._create(client, messages, deadline)
            uses = [b for b in reply.content if b.type == "tool_use"]
            if not uses:
                question = " ".join(b.text for b in reply.content if b.type == "text").strip()
                return _question(text, tz, question) if question else None
            messages.append(
                {"role": "assistant", "content": [echo_block(b) for b in reply.content]}
            )
            results: list[dict[str, Any]] = []
            for use in uses:
                args = dict(use.input) if isinstance(use.input, dict) else {}
                if use.name != "propose_automation":
                    results.append(_result(use.id, self._call(use.name, args, tz, now)))
                    continue
                try:
                    return self.check(args, text, tz, now, plan_check)
                except Rejected as exc:
                    if corrections >= MAX_CORRECTIONS:
                        raise
                    corrections += 1
                    results.append(_result(use.id, f"Not valid: {exc}", error=True))
            messages.append({"role": "user", "content": results})
        return None

    def _call(self, name: str, args: dict[str, Any], tz: str, now: datetime) -> str:
        if name == "understand_request":
            said = str(args.get("request", ""))
            drafted = understand(said, tz=tz, now=now, specs=self.registry.specs())
            return json.dumps(drafted.as_json())
        return json.dumps({"error": f"unknown tool {name}"})

    def check(
        self,
        args: dict[str, Any],
        text: str,
        tz: str,
        now: datetime,
        plan_check: PlanCheck | None = None,
    ) -> Draft:
        """The draft a proposal describes, through the checks a typed request passes; raises
        Rejected naming what is wrong."""
        try:
            return self._checked(args, text, tz, now, plan_check)
        except (SkilltickError, KeyError, ValueError, TypeError) as exc:
            message = exc.message if isinstance(exc, SkilltickError) else str(exc)
            if isinstance(exc, KeyError):
                message = f"missing {exc.args[0]}"
            raise Rejected(message) from None

    def _checked(
        self,
        args: dict[str, Any],
        text: str,
        tz: str,
        now: datetime,
        plan_check: PlanCheck | None,
    ) -> Draft:
        spec = self.registry.get(str(args["skill"])).spec  # NotFound names the skills we have
        trigger = str(args["trigger_type"])
        if spec.triggers and trigger not in spec.triggers:
            raise InvalidInput(
                f"Skill {spec.name} runs on {' or '.join(spec.triggers)} triggers, not {trigger}."
            )
        given = dict(args.get("params") or {})
        checked = validate_params(spec, given)  # unknown names, types, choices, required
        channel = str(args.get("channel") or spec.default_output)
        if channel not in CHANNELS:
            raise InvalidInput(f"Unknown channel {channel}; use one of {', '.join(CHANNELS)}.")
        draft = Draft(
            request=text,
            tz=str(args.get("timezone") or tz),
            status="ok",
            trigger_type=trigger,
            skill=spec.name,
            params={k: checked[k] for k in given},
            channel=channel,
            to=[str(t) for t in args.get("to") or []] or ["me"],
            specs=self.registry.specs(),
        )
        if trigger == "event":
            if args.get("event_type") not in EVENTS:
                raise InvalidInput(f"Unknown event_type; use one of {', '.join(EVENTS)}.")
            draft.event_type = str(args["event_type"])
            draft.event_filter = dict(args.get("event_filter") or {})
        elif trigger == "poll":
            draft.poll_interval_minutes = int(args["poll_interval_minutes"])
        else:
            once = parse_instant(args["once"]) if args.get("once") else None
            draft.schedule = parse_schedule(
                cron=args.get("cron"), rrule=args.get("rrule"), once=once, tz=draft.tz
            )
            if question := proposal_question(draft.schedule, now):  # must read back the same
                raise InvalidInput(question)
        draft.next_runs = draft.fires(now, 3)
        draft.notes.extend(dst_notes(draft, now))
        if plan_check is not None and trigger != "event":
            note = plan_check(draft.schedule, draft.poll_interval_minutes)
            if note:
                draft.notes.append(note)
        draft.write_summary()
        return draft


def _result(use_id: str, content: str, *, error: bool = False) -> dict[str, Any]:
    result = {"type": "tool_result", "tool_use_id": use_id, "content": content}
    return {**result, "is_error": True} if error else result


def _question(text: str, tz: str, question: str) -> Draft:
    draft = Draft(request=text, tz=tz, status="question", question=question)
    draft.write_summary()
    return draft
