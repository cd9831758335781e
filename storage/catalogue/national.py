"""The official catalogue since 1/7/2025: 34 provinces and 3,321 commune-level units, taken
from the ``vietnam-provinces`` package (DOMAIN.md, "Who and where").

Codes are stored zero-padded, province "01" and ward "00070": as plain integers province and
ward codes collide (4, 8, 25, 91), and the padding keeps them apart in one code column.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from vietnam_provinces import Province, ProvinceCode, VietNamDivisionType, Ward

from storage.catalogue.tree import Changes, UnitRecord, upsert_units
from storage.models import UnitKind

KINDS = {
    VietNamDivisionType.TINH: UnitKind.PROVINCE,
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: UnitKind.CITY,
    VietNamDivisionType.XA: UnitKind.COMMUNE,
    VietNamDivisionType.PHUONG: UnitKind.WARD,
    VietNamDivisionType.DAC_KHU: UnitKind.SPECIAL_ZONE,
}


def province_code(number: int) -> str:
    return f"{number:02d}"


def ward_code(number: int) -> str:
    return f"{number:05d}"


def parse_province(text: str) -> ProvinceCode:
    """A province code as typed ("1" or "01"); ValueError when no province has it."""
    return ProvinceCode(int(text.strip()))


def official_units(province: ProvinceCode | None = None) -> list[UnitRecord]:
    """The catalogue rows, provinces first; with ``province``, that one and its wards."""
    provinces = (
        [Province.from_code(province)] if province is not None else list(Province.iter_all())
    )
    records = [UnitRecord(province_code(p.code), p.name, KINDS[p.division_type]) for p in provinces]
    wards = Ward.iter_by_province(province) if province is not None else Ward.iter_all()
    records.extend(
        UnitRecord(
            ward_code(w.code), w.name, KINDS[w.division_type], province_code(w.province_code)
        )
        for w in wards
    )
    return records


async def load_catalogue(session: AsyncSession, province: ProvinceCode | None = None) -> Changes:
    """Bring the stored catalogue in line with the package; running it twice changes nothing.

    Units the package no longer lists are kept: records and roles may still point at them.
    The caller commits.
    """
    return await upsert_units(session, official_units(province))
