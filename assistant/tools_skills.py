"""Tool-set methods for skills (issue 3): skills with params, holidays, sequences (enrol,
remove, analytics), inbox.

A mixin of assistant.tools.Toolset: methods use self.engine, self.settings, self.clock and
self._automation (scope and permissions) like the core tools."""

from __future__ import annotations


class SkillTools:
    pass
