"""An organisation's holiday calendar (business days skip these)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Holiday(SQLModel, table=True):
    __tablename__ = "holidays"
    __table_args__ = (UniqueConstraint("org_id", "day", name="uq_holidays_day"),)

    id: int | None = Field(default=None, primary_key=True)
    org_id: int = Field(foreign_key="organizations.id", index=True)
    day: date
    name: str = Field(default="", max_length=100)
