"""One error root for skilltick; each edge (CLI, REST, Slack, MCP) translates it.

A subclass's docstring is its default message, so `raise NotFound()` still says something useful.
"""

from __future__ import annotations


class SkilltickError(Exception):
    """Something went wrong in skilltick."""

    #: machine-readable code shown next to the message (REST `error.code`, CLI JSON, run rows)
    code = "error"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or self.code).strip())

    @property
    def message(self) -> str:
        return str(self)


class InvalidInput(SkilltickError):
    """That input is not valid."""

    code = "invalid_input"


class ScheduleError(InvalidInput):
    """That schedule is not valid."""

    code = "invalid_schedule"


class NotFound(SkilltickError):
    """No such record in your organisation."""

    code = "not_found"


class PermissionDenied(SkilltickError):
    """You are not allowed to do that."""

    code = "permission_denied"


class PlanLimit(SkilltickError):
    """Your organisation's plan does not allow that."""

    code = "plan_limit"


class TooOften(SkilltickError):
    """You asked for that too often; try again in a minute."""

    code = "rate_limited"


class SkillError(SkilltickError):
    """The skill could not produce its output."""

    code = "skill_error"


class DeliveryError(SkilltickError):
    """The output could not be delivered."""

    code = "delivery_error"

    def __init__(self, message: str | None = None, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class StoreUnavailable(SkilltickError):
    """The database cannot take this request right now (unreachable, read-only, or its file
    is gone); nothing was changed."""

    code = "store_unavailable"
