"""Each organisation's footer (skills.footer): Slack is named only for an organisation whose
people the Slack app answers, the one a single-workspace install names (SKILLTICK_SLACK_ORG) or
one that installed the app in its workspace (OAuth); the public address for every organisation.

Worked out once per organisation and kept for a few minutes, so an install or uninstall shows
within them; a quick batch's runs are one organisation's, so runs that share a render share its
footer too."""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy.engine import Engine

from models.errors import NotFound
from models.settings import Settings
from models.store.conversations import bot_token_for_org
from models.store.orgs import find_org
from skills.footer import Reach, footer_of, reach_of

#: how long an organisation's footer is kept before its Slack install is looked up again
KEPT_SECONDS = 300.0


class OrgFooters:
    """The footer of an organisation's messages, by its id."""

    def __init__(
        self, engine: Engine, settings: Settings, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.engine = engine
        self.reach = reach_of(settings)
        slack = settings.slack
        self._named_org = slack.org if self.reach.slack else None
        self._named_org_id: int | None = None
        self._oauth = self.reach.slack and slack.oauth
        self._clock = clock
        self._kept: dict[int, tuple[float, str]] = {}

    def __call__(self, org_id: int) -> str:
        now = self._clock()
        kept = self._kept.get(org_id)
        if kept is not None and now - kept[0] < KEPT_SECONDS:
            return kept[1]
        footer = footer_of(Reach(self._slack_answers(org_id), self.reach.public_url))
        self._kept[org_id] = (now, footer)
        return footer

    def _slack_answers(self, org_id: int) -> bool:
        if not self.reach.slack:
            return False
        if self._named_org and self._named_org_id is None:
            try:
                self._named_org_id = find_org(self.engine, self._named_org).id
            except NotFound:
                self._named_org = None  # the install names no organisation here
        if org_id == self._named_org_id:
            return True
        return self._oauth and bot_token_for_org(self.engine, org_id) is not None
