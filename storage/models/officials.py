"""Officials, the titles they hold (one or more: kiêm nhiệm) and the titles they are planned for
(quy hoạch)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.ext.orderinglist import ordering_list
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from rules.scales import (
    Gender,
    GeneralEducation,
    PoliticalTheory,
    ProfessionalLevel,
    StateManagement,
)
from rules.titles import Post, TitleKind
from storage.models.base import Base, Timestamped
from storage.models.units import Unit
from storage.official_codes import code_key
from storage.types import enum_column


class Title(Base):
    """A title kind, with the field for civil servants ("Tư pháp - Hộ tịch")."""

    __tablename__ = "titles"
    __table_args__ = (UniqueConstraint("kind", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[TitleKind] = mapped_column(enum_column(TitleKind))
    field: Mapped[str] = mapped_column(String(120), default="")
    name: Mapped[str] = mapped_column(String(200))

    @property
    def post(self) -> Post:
        return Post(self.kind, self.field)


class HeldTitle(Base):
    """A title an official holds; ``position`` orders an official's titles, the main one (as
    the roster lists it) first."""

    __tablename__ = "official_titles"

    official_id: Mapped[int] = mapped_column(
        ForeignKey("officials.id", ondelete="CASCADE"), primary_key=True
    )
    title_id: Mapped[int] = mapped_column(ForeignKey("titles.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)

    title: Mapped[Title] = relationship(lazy="joined")


planned_titles = Table(
    "planned_titles",
    Base.metadata,
    Column("official_id", ForeignKey("officials.id", ondelete="CASCADE"), primary_key=True),
    Column("title_id", ForeignKey("titles.id"), primary_key=True),
)


def _code_key(context: DefaultExecutionContext) -> str:
    parameters: dict[str, Any] = context.get_current_parameters()  # type: ignore[no-untyped-call]
    return code_key(parameters["code"])


class Official(Timestamped, Base):
    __tablename__ = "officials"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    # the code without case (storage/official_codes.py), filled in on every insert
    code_key: Mapped[str] = mapped_column(String(64), unique=True, default=_code_key)
    full_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date]
    gender: Mapped[Gender] = mapped_column(enum_column(Gender, 8))
    ethnicity: Mapped[str | None] = mapped_column(String(60))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    appointed_on: Mapped[date | None]
    general_education: Mapped[GeneralEducation | None] = mapped_column(
        enum_column(GeneralEducation)
    )
    professional_level: Mapped[ProfessionalLevel | None] = mapped_column(
        enum_column(ProfessionalLevel)
    )
    major: Mapped[str | None] = mapped_column(String(200))
    political_theory: Mapped[PoliticalTheory | None] = mapped_column(enum_column(PoliticalTheory))
    state_management: Mapped[StateManagement | None] = mapped_column(enum_column(StateManagement))
    party_member: Mapped[bool | None]
    party_joined_on: Mapped[date | None]
    phone: Mapped[str | None] = mapped_column(String(16), index=True)

    unit: Mapped[Unit] = relationship()
    held: Mapped[list[HeldTitle]] = relationship(
        order_by=HeldTitle.position,
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
        lazy="selectin",
    )
    # the titles held, main first; assigning a list replaces them in that order
    titles: AssociationProxy[list[Title]] = association_proxy(
        "held", "title", creator=lambda title: HeldTitle(title=title)
    )
    planned: Mapped[list[Title]] = relationship(secondary=planned_titles)

    @property
    def posts(self) -> tuple[Post, ...]:
        return tuple(title.post for title in self.titles)

    @validates("code")
    def _keep_key(self, _name: str, code: str) -> str:
        self.code_key = code_key(code)
        return code
