"""Installing the Slack app in many workspaces through bolt's own OAuth flow: an organisation
admin opens /slack/install from the dashboard, Slack sends the browser back to
/slack/oauth_redirect, bolt exchanges the code (oauth.v2.access) and keeps the bot token in
slack_sdk's SQLAlchemy installation store on the product's database; the workspace (team id)
is then mapped to that admin's organisation, one organisation per workspace.

The organisation travels in the OAuth state, signed with the client secret, so the redirect
cannot be pointed at another organisation; bolt's state store keeps each state single use and
short lived, and its cookie ties it to the browser that started.

The Slack SDKs are imported by the functions that build the OAuth settings and the client, not
with this module, which every command line start loads."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextvars import ContextVar, copy_context
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml
from sqlalchemy.engine import Engine

from models.errors import InvalidInput
from models.store.conversations import find_installation, save_installation
from models.store.run_queue import db_now

if TYPE_CHECKING:
    from slack_bolt import BoltContext
    from slack_bolt.oauth.callback_options import FailureArgs, SuccessArgs
    from slack_bolt.oauth.oauth_settings import OAuthSettings
    from slack_bolt.response import BoltResponse
    from slack_sdk import WebClient
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store import OAuthStateStore

    StateStoreBase = OAuthStateStore
else:
    # bolt only calls a state store's issue and consume (and reads its logger), all of which
    # OrgStateStore defines; the SDK's base class adds nothing to run
    StateStoreBase = object

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600
T = TypeVar("T")
MANIFEST = Path(__file__).parent / "manifest.yaml"

# the organisation an install or a redirect is for, set by the route around bolt's call
installing_org: ContextVar[int | None] = ContextVar("installing_org", default=None)
# the signed-in admin whose browser came back from Slack (None: no dashboard session there)
installing_user: ContextVar[int | None] = ContextVar("installing_user", default=None)


def bot_scopes() -> list[str]:
    """The bot scopes the manifest declares: one list for both ways of installing."""
    manifest = yaml.safe_load(MANIFEST.read_text())
    return list(manifest["oauth_config"]["scopes"]["bot"])


class OrgStateStore(StateStoreBase):
    """Bolt's state store, with the organisation in front of each state and a signature over
    both: `<org id>.<state>.<hmac>`."""

    def __init__(self, inner: OAuthStateStore, secret: str) -> None:
        self.inner = inner
        self.secret = secret.encode()

    @property
    def logger(self) -> Any:
        return self.inner.logger

    def _sign(self, org_id: int, state: str) -> str:
        return hmac.new(self.secret, f"{org_id}.{state}".encode(), hashlib.sha256).hexdigest()

    def issue(self, *args: Any, **kwargs: Any) -> str:
        org_id = installing_org.get()
        if org_id is None:
            raise InvalidInput("Open the Slack install from the dashboard's Admin page.")
        state = self.inner.issue(*args, **kwargs)
        return f"{org_id}.{state}.{self._sign(org_id, state)}"

    def org_of(self, signed: str) -> int | None:
        """The organisation a state was issued for, if its signature holds."""
        org, _, rest = signed.partition(".")
        state, _, signature = rest.rpartition(".")
        if not org.isdigit() or not state:
            return None
        expected = self._sign(int(org), state)
        return int(org) if hmac.compare_digest(signature, expected) else None

    def consume(self, state: str) -> bool:
        if self.org_of(state) is None:
            return False
        return self.inner.consume(state.partition(".")[2].rpartition(".")[0])


@cache
def _installation_store_class() -> type[SQLAlchemyInstallationStore]:
    from slack_bolt.error import BoltError
    from slack_sdk.oauth.installation_store.models.installation import Installation
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

    class OrgInstallationStore(SQLAlchemyInstallationStore):
        """slack_sdk's installation store, which also maps the workspace to the installing
        organisation, and refuses a workspace another organisation has."""

        def __init__(self, client_id: str, engine: Engine) -> None:
            super().__init__(
                client_id,
                engine,
                bots_table_name="slack_oauth_bots",
                installations_table_name="slack_oauth_installations",
            )
            self.product_engine = engine

        def save(self, installation: Installation) -> None:
            org_id = installing_org.get()
            team_id = installation.team_id or ""
            if org_id is None or not team_id:
                raise BoltError("no organisation or workspace for this installation")
            mapped = find_installation(self.product_engine, team_id)
            if mapped is not None and mapped.org_id != org_id:
                raise BoltError("this Slack workspace is connected to another organisation")
            super().save(installation)
            save_installation(
                self.product_engine,
                org_id=org_id,
                team_id=team_id,
                bot_user_id=installation.bot_user_id,
                # the worker posts an automation's Slack output with it
                bot_token=installation.bot_token,
                now=db_now(self.product_engine),
                installed_by=installing_user.get(),
            )

    return OrgInstallationStore


def installation_store(client_id: str, engine: Engine) -> SQLAlchemyInstallationStore:
    """slack_sdk's installation store on the product's database, which also maps the workspace
    to the installing organisation, and refuses a workspace another organisation has."""
    return _installation_store_class()(client_id, engine)


def _success(args: SuccessArgs) -> BoltResponse:
    from slack_bolt.response import BoltResponse

    return BoltResponse(status=303, body="", headers={"Location": "/admin?notice=slack"})


def _failure(args: FailureArgs) -> BoltResponse:
    from slack_bolt.response import BoltResponse

    reasons = {
        "invalid_browser": "the installation was started in another browser",
        "invalid_state": "the installation link expired or was already used",
        "storage_error": str(args.error) if args.error else "it could not be saved",
        "access_denied": "the installation was cancelled in Slack",
    }
    reason = reasons.get(args.reason, args.reason.replace("_", " "))
    body = (
        "<!doctype html><title>Slack installation failed</title>"
        f"<p>Slack was not connected: {_escape(reason)}. Start again from the Admin page.</p>"
    )
    return BoltResponse(
        status=args.suggested_status_code,
        body=body,
        headers={"Content-Type": "text/html; charset=utf-8"},
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def oauth_settings(
    engine: Engine, *, client_id: str, client_secret: str, public_url: str
) -> OAuthSettings:
    """Bolt's OAuth settings on the product's database (the stores create their own tables
    when missing)."""
    from slack_bolt.oauth.callback_options import CallbackOptions
    from slack_bolt.oauth.oauth_settings import OAuthSettings
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    installations = installation_store(client_id, engine)
    states = SQLAlchemyOAuthStateStore(expiration_seconds=STATE_SECONDS, engine=engine)
    installations.create_tables()
    states.create_tables()
    return OAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=bot_scopes(),
        redirect_uri=public_url.rstrip("/") + REDIRECT_PATH,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        install_page_rendering_enabled=False,
        installation_store=installations,
        state_store=OrgStateStore(states, client_secret),
        state_expiration_seconds=STATE_SECONDS,
        callback_options=CallbackOptions(success=_success, failure=_failure),
    )


# the bot token of the workspace the current request came from (bolt's authorisation found it
# in the installation store); listeners running in the executor below see it too
workspace_token: ContextVar[str | None] = ContextVar("workspace_token", default=None)


@cache
def _workspace_client_class() -> type[WebClient]:
    from slack_sdk import WebClient

    class WorkspaceClient(WebClient):
        """One Web API client for every installed workspace: each call uses the bot token of the
        workspace whose request is being answered."""

        @property
        def token(self) -> str | None:
            return workspace_token.get() or self._default_token

        @token.setter
        def token(self, value: str | None) -> None:
            self._default_token = value

    return WorkspaceClient


def workspace_client(token: str | None, base_url: str) -> WebClient:
    """One Web API client for every installed workspace: each call uses the bot token of the
    workspace whose request is being answered (`token` when none is)."""
    return _workspace_client_class()(token=token, base_url=base_url)


class ContextExecutor(ThreadPoolExecutor):
    """Bolt's listener executor, running each lazy listener in a copy of the context that
    started it (so it answers with the right workspace's token)."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        context = copy_context()
        return super().submit(context.run, fn, *args, **kwargs)


def use_workspace_token(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
    """Bolt middleware: the authorised workspace's bot token for the rest of this request."""
    workspace_token.set(context.bot_token)
    return next()
