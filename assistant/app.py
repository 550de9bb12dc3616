"""Building the application from settings (a factory, never at import): engine, migrations,
skills, tool set. The settings are read from the environment here, once, and every part
receives the section it needs from the context. Tests call build_context with their own."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from assistant.slack.blocks import SlackBlocks
from assistant.tools.toolset import Toolset
from models.engine import make_engine
from models.migrate import upgrade
from models.settings import Settings, load_settings
from models.store.run_queue import db_now
from models.store.system_jobs import ensure_system_jobs
from skills.builtin import default_registry
from skills.registry import SkillRegistry
from worker.tick.factory import build_worker
from worker.tick.tick import Worker


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    registry: SkillRegistry
    tools: Toolset
    # set to wake an in-process worker at once (a run or an event was queued)
    wake: threading.Event = field(default_factory=threading.Event)

    def build_worker(self) -> Worker:
        """A worker on this context's store, settings and skills, posting to Slack in the layout
        of the Slack app that answers its buttons."""
        return build_worker(
            self.engine, self.settings, registry=self.registry, slack_layout=self.tools.slack_layout
        )


def deployment_settings() -> Settings:
    """The deployment's settings, read from the environment: the one place that reads them."""
    return load_settings()


def build_context(settings: Settings | None = None, *, migrate: bool = True) -> AppContext:
    """Settings from the environment unless given; the schema is brought up to date."""
    settings = settings or deployment_settings()
    core = settings.core
    engine = make_engine(
        core.resolved_database_url(),
        sqlite_cache_mb=core.sqlite_cache_mb,
        sqlite_mmap_mb=core.sqlite_mmap_mb,
    )
    if migrate:
        upgrade(engine)
        # organisations created before their fixed jobs existed get them now
        ensure_system_jobs(engine, db_now(engine))
    registry = default_registry()
    wake = threading.Event()
    tools = Toolset(engine, settings, registry=registry, wake=wake.set, slack_layout=SlackBlocks())
    _ = tools.claude_planner  # with a key, the SDK loads while the service starts
    return AppContext(settings, engine, registry, tools, wake)
