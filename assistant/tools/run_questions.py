"""Tool-set methods about an automation's runs, asked in words or by interfaces: retry a failed
run, its history, why it did or did not fire, and a backtest of an event automation against
the events of the last days (nothing is run or sent)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from assistant.language.why import explain
from assistant.tools.automations import AutomationTools
from assistant.tools.base import Actor
from assistant.tools.views import RunView
from models.errors import InvalidInput, SkilltickError
from models.store.events import list_events
from models.store.orgs import get_org, get_user
from models.store.run_history import get_run, list_runs
from skills.sandbox import template_budget
from worker.run.executor import Executor, RunInputs
from worker.triggers.matching import matches, trigger_data


class WhyView(BaseModel):
    automation_id: int
    answer: str


class BacktestHit(BaseModel):
    event_id: int
    event_type: str | None
    received_at: datetime
    would_send: str
    subject: str | None = None  # the message it would have sent, rendered from today's data
    preview: str | None = None
    skipped_reason: str | None = None  # the skill would have sent nothing, and why
    error: str | None = None


class RunQuestionTools(AutomationTools):
    def retry(self, actor: Actor, run_id: int) -> RunView:
        """Run a failed occurrence again from the start with the automation's current
        configuration (a manual run: the schedule and failure count do not move)."""
        detail = get_run(self.engine, actor.org_id, run_id)
        auto = self.owned_automation(actor, detail.run.automation_id)
        if detail.run.status not in ("failed", "partial"):
            raise InvalidInput(
                f"Run #{run_id} is {detail.run.status}; only failed or partial runs can be retried."
            )
        self._not_retried_yet(actor, auto.id or 0, run_id)
        data = {
            **detail.run.trigger_data,
            "retry_of": run_id,
            "retry_of_scheduled_for": detail.run.scheduled_for.isoformat(),
        }
        return self.queue_manual_run(actor, auto, trigger_data=data, event_id=detail.run.event_id)

    def _not_retried_yet(self, actor: Actor, automation_id: int, run_id: int) -> None:
        """Refuse a second retry of a run whose retry is queued, running or done: a Retry
        clicked twice (a double-click, a button on an old notice, two doors) would send the
        output twice. A retry that failed again may be retried."""
        newer = list_runs(self.engine, actor.org_id, automation_id=automation_id, limit=50)
        for run in newer:
            if run.id is None or run.id <= run_id or run.trigger_data.get("retry_of") != run_id:
                continue
            if run.status in ("pending", "running"):
                raise InvalidInput(f"Run #{run_id} is being retried already: run #{run.id}.")
            if run.status == "completed":
                raise InvalidInput(f"Run #{run_id} was retried already: run #{run.id} completed.")

    def history(self, actor: Actor, automation_id: int, limit: int = 20) -> list[RunView]:
        """The automation's runs, newest first."""
        return self.list_runs(actor, automation_id=automation_id, limit=limit)

    def why(self, actor: Actor, automation_id: int, question: str = "") -> WhyView:
        """Why it did not fire, or why it failed, in plain words from its run rows."""
        auto = self.owned_automation(actor, automation_id)
        runs = list_runs(self.engine, actor.org_id, automation_id=automation_id, limit=20)
        real = [r for r in runs if r.triggered_by != "test"]
        now = self.clock()
        # the next run it makes: past the runs it skips (as asked, on holidays)
        kept = self.view_of(auto, now, owner_email="").next_kept_run_at
        return WhyView(
            automation_id=automation_id,
            answer=explain(auto, real, now, question, next_run=kept, tz=self.zone_of(actor)),
        )

    def backtest(self, actor: Actor, automation_id: int, days: int = 7) -> list[BacktestHit]:
        """Which of the last `days` days' events would have fired this event automation, and
        what it would have sent (nothing is run or sent)."""
        auto = self.owned_automation(actor, automation_id)
        if auto.trigger_type != "event":
            raise InvalidInput("Backtesting replays events; this automation runs on a schedule.")
        now = self.clock()
        since = now - timedelta(days=days)
        inputs = RunInputs.of(
            auto, get_user(self.engine, auto.owner_id), get_org(self.engine, auto.org_id)
        )
        renderer = self._renderer("A backtest")
        with template_budget():  # one render budget for the whole request
            return self._backtest_hits(actor, auto, inputs, renderer, since, now)

    def _backtest_hits(
        self,
        actor: Actor,
        auto: Any,
        inputs: RunInputs,
        renderer: Executor,
        since: datetime,
        now: datetime,
    ) -> list[BacktestHit]:
        hits: list[BacktestHit] = []
        before: int | None = None
        while True:
            page = list_events(self.engine, actor.org_id, limit=200, before_id=before)
            for event in page:
                if event.received_at < since:
                    return hits
                if (
                    event.event_type == auto.event_type
                    and event.status != "rejected"
                    and event.duplicate_of is None
                    and matches(auto.event_filter, event.data, owner_id=auto.owner_id)
                ):
                    hit = BacktestHit(
                        event_id=event.id or 0,
                        event_type=event.event_type,
                        received_at=event.received_at,
                        would_send=f"{auto.skill} by {auto.output_channel} to "
                        f"{', '.join(auto.output_config.get('to') or ['me'])}",
                    )
                    _render_hit(hit, renderer, inputs, event, now)
                    hits.append(hit)
            if len(page) < 200:
                return hits
            before = page[-1].id


def _render_hit(hit: BacktestHit, renderer: Any, inputs: Any, event: Any, now: datetime) -> None:
    """What the automation would have sent for `event`, rendered from today's ATS data."""
    try:
        # the same trigger data the event's real run would have had
        output = renderer.preview(inputs, trigger_data(event), now)
    except SkilltickError as exc:
        hit.error = exc.message
        return
    if output.skipped_reason:
        hit.skipped_reason = output.skipped_reason
        return
    broken = [a.error for a in output.actions if a.error is not None]
    if broken:
        hit.error = broken[0]
    hit.subject = output.subject
    hit.preview = output.text[:2000]
