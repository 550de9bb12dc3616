"""Tool-set methods for the assistant (issue 5): understand a request, draft and confirm,
update in words, why, retry, bulk pause/resume.

A mixin of assistant.tools.Toolset: methods use self.engine, self.settings, self.clock and
self._automation (scope and permissions) like the core tools."""

from __future__ import annotations


class LanguageTools:
    pass
