"""The REST API's edge: bearer-token authentication, request models with the store's limits,
and the translation of skilltick errors into HTTP answers (`{"error": {"code", "message"}}`).

Status codes: 401 no or unknown token; 403 not allowed (another member's automation, an admin
action); 404 not in your organisation; 409 the plan does not allow it (a conflict with the
organisation's current plan, not a payment request); 413 body over 256 KiB; 422 invalid input
(including an invalid cron or time zone); 503 the database cannot take the request (unreachable,
read-only, its file deleted); 400 a body that is not JSON, and any other refusal.

FastAPI is imported by the functions that build routes, never with this module, which every
command line start loads; the routes' parts (route class, bearer scheme, parameter markers) are
built once, on first use."""

import json
from collections.abc import Callable, Coroutine
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError
from sqlalchemy.exc import DataError, SQLAlchemyError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from assistant.app import AppContext
from assistant.tools.toolset import Actor, Toolset
from assistant.tools.views import AutomationSpec
from models.errors import (
    InvalidInput,
    NotFound,
    PermissionDenied,
    PlanLimit,
    SkilltickError,
    StoreUnavailable,
    TooOften,
)
from models.store.health import unavailable

if TYPE_CHECKING:
    from fastapi.exceptions import RequestValidationError
    from fastapi.params import Depends, Path
    from fastapi.routing import APIRoute
    from fastapi.security import HTTPBearer

MAX_BODY_BYTES = 256 * 1024


class Unauthenticated(SkilltickError):
    """Send a bearer token: `Authorization: Bearer <token>` (`skilltick tokens create`)."""

    code = "unauthenticated"


class PayloadTooLarge(SkilltickError):
    """The request body is over 256 KiB."""

    code = "payload_too_large"


NESTED_TOO_DEEP = "The body is not valid JSON (nested too deeply); nothing was changed."


class MalformedBody(SkilltickError):
    """The body is not valid JSON."""

    code = "malformed_body"


STATUS_OF: list[tuple[type[SkilltickError], int]] = [
    (MalformedBody, 400),
    (Unauthenticated, 401),
    (PermissionDenied, 403),
    (NotFound, 404),
    (PlanLimit, 409),
    (PayloadTooLarge, 413),
    (InvalidInput, 422),
    (TooOften, 429),
    (StoreUnavailable, 503),
]


class ErrorDetail(BaseModel):
    code: str = Field(
        description="Machine-readable: invalid_input, invalid_schedule, "
        "not_found, permission_denied, plan_limit, unauthenticated, ..."
    )
    message: str = Field(description="What went wrong, in plain words.")


class ErrorBody(BaseModel):
    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A malformed request (e.g. a body that is not JSON)."},
    401: {"model": ErrorBody, "description": "No token, or an unknown or revoked one."},
    403: {"model": ErrorBody, "description": "Not allowed for you."},
    404: {"model": ErrorBody, "description": "Not found in your organisation."},
    409: {"model": ErrorBody, "description": "The organisation's plan does not allow it."},
    413: {"model": ErrorBody, "description": "Request body too large."},
    422: {"model": ErrorBody, "description": "Invalid input; nothing was changed."},
    429: {"model": ErrorBody, "description": "Asked for too often; try again in a minute."},
    503: {
        "model": ErrorBody,
        "description": "The database cannot take the request now (unreachable, read-only, its "
        "file gone); nothing was changed.",
    },
}


def error_response(exc: SkilltickError) -> JSONResponse:
    status = next((code for cls, code in STATUS_OF if isinstance(exc, cls)), 400)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(
        {"error": {"code": exc.code, "message": exc.message}}, status_code=status, headers=headers
    )


def validation_message(exc: "RequestValidationError") -> str:
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    msg = str(first.get("msg", "invalid request"))
    return f"{where}: {msg}" if where else msg


@cache
def api_route() -> "type[APIRoute]":
    """The route class of every /api and /cron route."""
    from fastapi.exceptions import RequestValidationError
    from fastapi.routing import APIRoute

    class ApiRoute(APIRoute):
        """Every /api and /cron route: errors become `{"error": {...}}` with the right status."""

        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handle = super().get_route_handler()

            async def guarded(request: Request) -> Response:
                try:
                    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
                        await _check_body(request)
                    return await handle(request)
                except SkilltickError as exc:
                    return error_response(exc)
                except RequestValidationError as exc:
                    return error_response(InvalidInput(validation_message(exc)))
                except DataError:  # a value the database refuses (too long, out of range)
                    return error_response(InvalidInput("A value is too long or out of range."))
                except SQLAlchemyError as exc:  # the store itself failing: 503, said in words
                    fault = unavailable(exc)
                    if fault is None:
                        raise
                    return error_response(fault)
                except HTTPException as exc:  # FastAPI's own refusals, e.g. a body not JSON
                    return JSONResponse(
                        {"error": {"code": "bad_request", "message": str(exc.detail)}},
                        status_code=exc.status_code,
                        headers=exc.headers,
                    )

            return guarded

    return ApiRoute


async def _check_body(request: Request) -> None:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise PayloadTooLarge()
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise PayloadTooLarge()
    if body.strip() and "json" in request.headers.get("content-type", "").lower():
        # a body that does not parse is malformed (400) on every endpoint, one that takes
        # no body included: it is refused, not ignored
        try:
            json.loads(body)
        except ValueError as exc:
            where = (
                f"{exc.msg} at line {exc.lineno} column {exc.colno}"
                if isinstance(exc, json.JSONDecodeError)
                else "it is not UTF-8"
            )
            raise MalformedBody(
                f"The body is not valid JSON ({where}); nothing was changed."
            ) from None
        except RecursionError:  # arrays or objects nested past the parser's depth
            raise MalformedBody(NESTED_TOO_DEEP) from None
    if b"\\u0000" in body:  # PostgreSQL text cannot hold NUL; refuse it for every store
        raise InvalidInput("Text may not contain NUL characters.")


# --- who is asking -------------------------------------------------------------------------


@cache
def bearer() -> "HTTPBearer":
    """The Bearer scheme (a dependency): the token's credentials, None without one."""
    from fastapi.security import HTTPBearer

    return HTTPBearer(
        auto_error=False,
        description="An API token from `skilltick tokens create --org <org> [--user <email>]`.",
    )


def context(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


def tools(request: Request) -> Toolset:
    return context(request).tools


@cache
def caller() -> "Depends":
    """What an endpoint takes as `Annotated[Actor, caller()]`: the caller behind the Bearer
    token (401 without a valid one)."""
    from fastapi import Depends
    from fastapi.security import HTTPAuthorizationCredentials

    def current_actor(
        request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer())
    ) -> Actor:
        if credentials is None:
            raise Unauthenticated()
        actor = tools(request).actor_for_token(credentials.credentials)
        if actor is None:
            raise Unauthenticated("That API token is unknown or revoked.")
        return actor

    return Depends(current_actor)


@cache
def record_id() -> "Path":
    """What an endpoint takes as `Annotated[int, record_id()]`: a record id in the path."""
    from fastapi import Path

    return Path(ge=1, le=2**31 - 1, description="A record id.")


# --- request bodies ------------------------------------------------------------------------

Name = Field(min_length=1, max_length=200, description="A short name the owner recognises.")


class AutomationCreate(AutomationSpec):
    """What to create. Exactly one schedule (cron, rrule or once) for a cron trigger."""

    model_config = ConfigDict(extra="forbid")

    name: str = Name
    description: str = Field(default="", max_length=2000)
    skill: str = Field(max_length=100, description="A skill name from GET /api/skills.")
    cron: str | None = Field(
        default=None, max_length=120, description="5-field cron, e.g. '0 9 * * MON'."
    )
    rrule: str | None = Field(default=None, max_length=300, description="RFC 5545 RRULE body.")
    once: AwareDatetime | None = Field(default=None, description="Run once at this instant.")
    timezone: str | None = Field(default=None, max_length=64, description="IANA zone.")
    event_type: str | None = Field(default=None, max_length=80)
    poll_interval_minutes: int | None = Field(default=None, ge=1, le=527_040)
    to: list[str] = Field(
        default_factory=lambda: ["me"], max_length=50, description="Recipients; 'me' is the owner."
    )
    owner_email: str | None = Field(
        default=None, max_length=320, description="Admins may create for a colleague."
    )
    origin: dict[str, Any] = Field(default_factory=dict, description="Ignored: set by the API.")

    @model_validator(mode="before")
    @classmethod
    def _not_in_words(cls, data: Any) -> Any:
        """A request in words is drafted first: say where, instead of listing missing fields."""
        if isinstance(data, dict) and "request" in data:
            raise PydanticCustomError(
                "words",
                "A request in words goes to POST /api/drafts (then confirm the draft); "
                "this endpoint takes a structured spec.",
            )
        return data


class ToggleRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool | None = Field(
        default=None, description="true resumes, false pauses; omitted flips the current state."
    )
    until: AwareDatetime | None = Field(
        default=None, description="When pausing: resume automatically at this instant."
    )


class PlanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plan: Literal["free", "pro", "enterprise"]


class TokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="API", min_length=1, max_length=100)
    user_email: str | None = Field(
        default=None, max_length=320, description="Admins may issue a token for a colleague."
    )
    expires_in_days: int | None = Field(
        default=None, ge=1, le=3653, description="Lifetime in days; default: until revoked."
    )


class Deleted(BaseModel):
    deleted: int = Field(description="How many records were deleted.")
