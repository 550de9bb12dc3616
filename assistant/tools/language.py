"""Tool-set methods for changing an automation in plain words: update in words, pause until a
day said in words. Understanding a request: understanding.py; drafts: drafts.py; bulk
pause/resume: bulk_tools.py; retry, history, why, backtest: run_questions.py."""

from __future__ import annotations

from typing import Any

from assistant.language.holiday_words import holiday_switch
from assistant.language.output_steps import adds_output
from assistant.language.place_words import Here
from assistant.language.step_edits import workflow_changes
from assistant.language.teammate_words import Teammate
from assistant.language.unit_words import spelled_out
from assistant.language.until_words import until_in_words
from assistant.tools.base import Actor
from assistant.tools.department_check import departments_spelled
from assistant.tools.drafts import DraftTools
from assistant.tools.views import AutomationSpec, AutomationView
from models.errors import InvalidInput
from models.limits import NAME_MAX, TEXT_MAX, check_text
from models.store.orgs import list_users
from models.tables.automations import Automation
from skills.ats.demo import DemoAts


class LanguageTools(DraftTools):
    """Requests in plain words: understood, drafted, and changes to automations said in words."""

    def update_in_words(
        self,
        actor: Actor,
        automation_id: int,
        text: str,
        *,
        slack_channel: str | None = None,
        via: str | None = None,
    ) -> AutomationView:
        """Apply a change said in words: "move it to 8am", "make it weekdays only", "post it
        in #hiring instead". Nothing changes if the words are unclear. "also post it in
        #hiring" through another channel than its own returns the new automation it makes.
        `slack_channel`, `via`: where the change was said, which "post it here" means (as
        for a request: see understand)."""
        check_text(text, "The change", TEXT_MAX)
        auto, owner_email = self.owned_with_owner(actor, automation_id)
        now = self.clock()
        switch = holiday_switch(text)
        if switch is not None:  # whether it skips holidays, and nothing else
            return self.apply_changes(actor, auto, owner_email, {"skip_holidays": switch[1]}, now)
        people = [Teammate(u.name, u.email) for u in list_users(self.engine, actor.org_id)]
        here = Here.of(slack_channel, via or "email")
        changes = workflow_changes(
            auto, text, now, people, self.registry.specs(), self.job_titles(actor), here
        )
        if "output_channel" in changes and adds_output(text):
            if changes["output_channel"] != auto.output_channel:
                # an automation sends through one channel: one more place through another is
                # one more automation, as a draft's second place is when it is confirmed
                return self._copied_to(actor, auto, owner_email, changes)
            changes["to"] = _added_places(auto, changes["to"])
        said = (changes.get("params") or {}).get("departments")
        if said:  # spelled as the ATS spells them; a department no job has changes nothing
            jobs = DemoAts(self.engine, actor.org_id).jobs()
            changes["params"]["departments"] = departments_spelled(
                said, [job.department for job in jobs]
            )
        return self.apply_changes(actor, auto, owner_email, changes, now)

    def _copied_to(
        self, actor: Actor, auto: Automation, owner_email: str, changes: dict[str, Any]
    ) -> AutomationView:
        """ "also post it in #hiring" through another channel than its own: a new automation,
        the same but for where it goes (its name says where), created and audited as any."""
        others = sorted(set(changes) - {"output_channel", "to"})
        if others:  # the copy would not be "the same", and the original would not change
            raise InvalidInput(
                f"Say one more place for #{auto.id} on its own, and the other change after it."
            )
        to = [str(t) for t in changes["to"] or ["me"]]
        spec = AutomationSpec(
            name=f"{auto.name} ({', '.join(to)})"[:200],
            description=auto.description,
            skill=auto.skill,
            params=dict(auto.params or {}),
            trigger_type=auto.trigger_type,
            cron=auto.cron_expression,
            rrule=auto.rrule,
            once=auto.run_once_at,
            anchor=auto.schedule_anchor,
            timezone=auto.timezone,
            event_type=auto.event_type,
            event_filter=dict(auto.event_filter or {}),
            poll_interval_minutes=auto.poll_interval_minutes,
            output_channel=str(changes["output_channel"]),
            to=to,
            misfire_policy=auto.misfire_policy,
            overlap_policy=auto.overlap_policy,
            owner_email=owner_email,
            enabled=auto.enabled,
            origin=dict(auto.origin or {}),
        )
        return self.create_automation(actor, spec)

    def job_titles(self, actor: Actor) -> list[str]:
        """The titles of the organisation's jobs, which "only for engineering roles" is read
        against."""
        return [job.title for job in DemoAts(self.engine, actor.org_id).jobs()]

    def pause_until(self, actor: Actor, automation_id: int, when: str) -> AutomationView:
        """Pause until a day said in words ("until Monday"), in the requester's time zone."""
        check_text(when, "When it starts again", NAME_MAX)
        auto, owner_email = self.owned_with_owner(actor, automation_id)
        until = until_in_words(spelled_out(when), self.zone_of(actor), self.clock())
        return self.pause_checked(actor, auto, owner_email, until)


def _added_places(auto: Automation, to: list[str]) -> list[str]:
    """ "email sam too": the places it goes with the ones said added, through its channel."""
    before = [str(t) for t in (auto.output_config or {}).get("to") or []]
    return list(dict.fromkeys([*before, *to]))
