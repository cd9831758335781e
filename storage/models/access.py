"""Roles: every linked official may read their own record; coordinators act on a unit subtree."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, Timestamped
from storage.models.officials import Official
from storage.models.units import Unit
from storage.types import enum_column


class RoleKind(enum.Enum):
    COORDINATOR = "coordinator"  # scoped to a unit and everything under it
    ADMIN = "admin"  # everything


class Role(Timestamped, Base):
    __tablename__ = "roles"
    __table_args__ = (UniqueConstraint("official_id", "kind", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(
        ForeignKey("officials.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[RoleKind] = mapped_column(enum_column(RoleKind, 16))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))

    official: Mapped[Official] = relationship()
    unit: Mapped[Unit | None] = relationship()
