"""Tool-set methods for the service's operators: the users, of any organisation, who read the
whole service's figures (/status, /metrics). Only whoever runs the service names them (the
command line on the host); no user, admin or not, can make anyone one."""

from __future__ import annotations

from pydantic import BaseModel

from assistant.tools.base import ToolsetBase
from models.store.orgs import find_org, find_user, list_operators, set_operator
from models.tables.audit import AuditEntry
from models.tables.orgs import User


class OperatorView(BaseModel):
    org: str
    email: str
    name: str
    role: str
    operator: bool


def _operator_view(user: User, org_slug: str) -> OperatorView:
    return OperatorView(
        org=org_slug, email=user.email, name=user.name, role=user.role, operator=user.operator
    )


class OperatorTools(ToolsetBase):
    def set_operator(self, *, org_slug: str, email: str, operator: bool) -> OperatorView:
        """Make user `email` of organisation `org_slug` an operator of the service, or no
        longer one; their next request reads accordingly (tokens and sessions alike)."""
        org = find_org(self.engine, org_slug)
        user = find_user(self.engine, org.id or 0, email)
        # made by whoever runs the service, not by a user: the organisation's log shows it
        made = AuditEntry(
            org_id=org.id or 0, actor_user_id=None, action="operator", at=self.clock()
        )
        stored = set_operator(self.engine, user.id or 0, operator, audit=made)
        return _operator_view(stored, org.slug)

    def list_operators(self) -> list[OperatorView]:
        return [_operator_view(user, slug) for user, slug in list_operators(self.engine)]
