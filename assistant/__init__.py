"""Everything people and other programs talk to: the tool set (with permissions and scope) and
its adapters (the command line now; Slack, MCP, REST and the dashboard share the same tools)."""

from assistant.app import AppContext, build_context
from assistant.tools.toolset import Actor, Toolset, actor_for
from assistant.tools.views import AutomationSpec, AutomationView, RunView

__all__ = [
    "Actor",
    "AppContext",
    "AutomationSpec",
    "AutomationView",
    "RunView",
    "Toolset",
    "actor_for",
    "build_context",
]
