"""Tool-set methods for Triggers (issue 4): ATS connections, events list, backtest.

A mixin of assistant.tools.Toolset: methods use self.engine, self.settings, self.clock and
self._automation (scope and permissions) like the core tools."""

from __future__ import annotations


class EventTools:
    pass
