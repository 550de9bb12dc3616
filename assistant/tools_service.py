"""Tool-set methods for Service (issue 6): API tokens, organisation plan, status.

A mixin of assistant.tools.Toolset: methods use self.engine, self.settings, self.clock and
self._automation (scope and permissions) like the core tools."""

from __future__ import annotations


class ServiceTools:
    pass
