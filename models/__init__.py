"""The automation store: tables, engine and sessions, migrations, and the store API that the
worker and the assistant call (they never write SQL themselves)."""

from models.clock import parse_instant, utc
from models.engine import is_postgres, make_engine, session_scope
from models.errors import (
    DeliveryError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    PlanLimit,
    ScheduleError,
    SkillError,
    SkilltickError,
)
from models.migrate import upgrade
from models.settings import PlanLimits, Settings, load_settings
from models.tables.automations import Automation
from models.tables.deliveries import Delivery, OutboxMessage
from models.tables.demo_ats import AtsActivity, AtsApplication, AtsCandidate, AtsJob, AtsStage
from models.tables.orgs import Organization, User
from models.tables.runs import AutomationRun, Notice, RunAction, RunCounter, RunTarget, WorkerBeat

__all__ = [
    "AtsActivity",
    "AtsApplication",
    "AtsCandidate",
    "AtsJob",
    "AtsStage",
    "Automation",
    "AutomationRun",
    "Delivery",
    "DeliveryError",
    "InvalidInput",
    "NotFound",
    "Notice",
    "Organization",
    "OutboxMessage",
    "PermissionDenied",
    "PlanLimit",
    "PlanLimits",
    "RunAction",
    "RunCounter",
    "RunTarget",
    "ScheduleError",
    "Settings",
    "SkillError",
    "SkilltickError",
    "User",
    "WorkerBeat",
    "is_postgres",
    "load_settings",
    "make_engine",
    "parse_instant",
    "session_scope",
    "upgrade",
    "utc",
]
