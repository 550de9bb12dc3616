"""The one tool set behind every interface (CLI, Slack, MCP, REST and the dashboard call the
same methods), composed from its feature classes. Permissions and organisation scope are
enforced in them, once (assistant/tools/base.py)."""

from __future__ import annotations

from assistant.tools.admin import AdminTools
from assistant.tools.audit import AuditTools
from assistant.tools.base import Actor, actor_for
from assistant.tools.bulk_tools import BulkTools
from assistant.tools.events import EventTools
from assistant.tools.language import LanguageTools
from assistant.tools.operators import OperatorTools
from assistant.tools.previews import PreviewTools
from assistant.tools.recipients import RecipientTools
from assistant.tools.run_questions import RunQuestionTools
from assistant.tools.service import ServiceTools
from assistant.tools.skills import SkillTools
from assistant.tools.skips import SkipTools
from assistant.tools.undo import UndoTools
from assistant.tools.workflows import WorkflowTools

__all__ = ["Actor", "Toolset", "actor_for"]


class Toolset(
    SkillTools,
    EventTools,
    ServiceTools,
    AdminTools,
    OperatorTools,
    WorkflowTools,
    PreviewTools,
    LanguageTools,
    BulkTools,
    RunQuestionTools,
    RecipientTools,
    AuditTools,
    UndoTools,
    SkipTools,
):
    """Every operation any interface offers: automations and runs, plain-words requests and
    drafts, skills' data (holidays, sequences, inbox), triggers, and the service (tokens,
    sessions, plans, status), administration (organisations, operators, users, invitations)
    and the audit log of who changed what."""
