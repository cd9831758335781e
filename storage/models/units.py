"""Administrative and internal units, a tree of any depth.

``path`` is the materialised chain of ids ("/1/57/"), so "this unit and everything under it"
is one indexed prefix match, which is how coordinator scopes are checked.
"""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base
from storage.types import enum_column


class UnitKind(enum.Enum):
    PROVINCE = "province"  # tỉnh
    CITY = "city"  # thành phố trực thuộc trung ương
    DISTRICT = "district"  # huyện, quận, thị xã (before 1/7/2025)
    COMMUNE = "commune"  # xã
    WARD = "ward"  # phường
    TOWNSHIP = "township"  # thị trấn (before 1/7/2025)
    SPECIAL_ZONE = "special_zone"  # đặc khu
    OTHER = "other"  # an internal unit of an organisation board

    @property
    def is_commune_level(self) -> bool:
        return self in {UnitKind.COMMUNE, UnitKind.WARD, UnitKind.TOWNSHIP, UnitKind.SPECIAL_ZONE}


class Unit(Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    path: Mapped[str] = mapped_column(String(400), index=True, default="/")
    difficult_area: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[Unit | None] = relationship(remote_side=[id])
