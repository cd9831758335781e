"""Link codes for a whole unit, to hand out: a sheet (one row per official) and printable slips
(eight to an A4 page, cut along the dashes). Each carries the official's name, unit, title and
code, the one-time link code, its Telegram deep link and a QR code of that link, so an official
links their chat by pointing the phone's camera at the slip.

QR codes come from segno (pure Python, no image library needed); the PDF from reportlab, set in
DejaVu Sans, which has every Vietnamese letter and ships with matplotlib. A name or unit from a
roster is always written as text, never as a formula (storage/exports.py).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import segno
from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from handlers.labels import titles_name
from handlers.linking import issue_codes
from locales import Translator
from storage.exports import append_row
from storage.models import ChatAccount, Official, Unit

QR_SCALE = 4  # pixels per module in the sheet's pictures


@dataclass(frozen=True)
class Slip:
    name: str
    unit: str
    title: str
    official_code: str
    link_code: str
    link: str


async def unlinked(session: AsyncSession, *where: ColumnElement[bool]) -> list[Official]:
    """The officials ``where`` selects whom no chat is linked to, by unit and name, with their
    unit and titles."""
    linked = exists(select(ChatAccount.id).where(ChatAccount.official_id == Official.id))
    return list(
        await session.scalars(
            select(Official)
            .join(Unit, Official.unit_id == Unit.id)
            .where(~linked, *where)
            .options(selectinload(Official.unit))
            .order_by(Unit.name, Official.full_name, Official.code)
        )
    )


async def issue_slips(
    session: AsyncSession,
    officials: Sequence[Official],
    now: datetime,
    days: int,
    username: str,
    _: Translator,
) -> list[Slip]:
    """New link codes for ``officials`` (replacing unused ones), as slips; the caller audits
    and commits."""
    codes = await issue_codes(session, [o.id for o in officials], now, days)
    return [
        Slip(
            name=official.full_name,
            unit=official.unit.name,
            title=titles_name(_, official.posts),
            official_code=official.code,
            link_code=codes[official.id],
            link=deep_link(username, codes[official.id]) if username else "",
        )
        for official in officials
    ]


def deep_link(username: str, code: str) -> str:
    return f"https://t.me/{username}?start={code}"


def qr_png(link: str, scale: int = QR_SCALE) -> bytes:
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def slips_workbook(slips: Sequence[Slip], expires: date, _: Translator) -> bytes:
    """One row per official, the QR code as a picture in the last column."""
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Link codes")
    headers = [
        _("No."),
        _("Full name"),
        _("Unit"),
        _("Title"),
        _("Official code"),
        _("Link code"),
        _("Link"),
        _("QR code"),
    ]
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGH", (5, 26, 28, 26, 14, 14, 40, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    for number, slip in enumerate(slips, start=1):
        row = number + 1
        append_row(
            sheet,
            (
                number,
                slip.name,
                slip.unit,
                slip.title,
                slip.official_code,
                slip.link_code,
                slip.link,
            ),
        )
        for cell in sheet[row][1:7]:
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        if slip.link:
            picture = Image(io.BytesIO(qr_png(slip.link)))
            sheet.add_image(picture, f"H{row}")
            sheet.row_dimensions[row].height = picture.height * 0.75 + 4  # pixels to points
    sheet.freeze_panes = "A2"
    sheet.append([])
    append_row(
        sheet, (None, _("Each code links one chat, once, until {date}.", date=_.date(expires)))
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def slips_pdf(slips: Sequence[Slip], expires: date, bot: str, _: Translator) -> bytes:
    """Eight slips to an A4 page, two across and four down, with dashed lines to cut along."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader, simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    regular, bold = _fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(_("Link codes"))
    page_width, page_height = A4
    columns, rows = 2, 4
    width, height = page_width / columns, page_height / rows
    per_page = columns * rows
    for index, slip in enumerate(slips):
        if index and index % per_page == 0:
            canvas.showPage()
        place = index % per_page
        left = (place % columns) * width
        top = page_height - (place // columns) * height
        canvas.setDash(3, 3)
        canvas.setLineWidth(0.3)
        canvas.rect(left, top - height, width, height)
        canvas.setDash()
        pad = 6 * mm
        qr = 34 * mm
        if slip.link:
            picture = ImageReader(io.BytesIO(qr_png(slip.link, scale=8)))
            canvas.drawImage(picture, left + width - pad - qr, top - pad - qr, qr, qr)
        text_width = width - 3 * pad - qr
        y = top - pad - 4 * mm
        canvas.setFont(bold, 11)
        for line in simpleSplit(slip.name, bold, 11, text_width)[:2]:
            canvas.drawString(left + pad, y, line)
            y -= 5 * mm
        canvas.setFont(regular, 8.5)
        for text in (slip.title, slip.unit, _("Official code: {code}", code=slip.official_code)):
            for line in simpleSplit(text, regular, 8.5, text_width)[:2]:
                canvas.drawString(left + pad, y, line)
                y -= 4 * mm
        canvas.setFont(regular, 8)
        canvas.drawString(left + pad, top - pad - qr - 6 * mm, _("Link code:"))
        canvas.setFont(bold, 18)
        canvas.drawString(left + pad, top - pad - qr - 13 * mm, slip.link_code)
        canvas.setFont(regular, 7.5)
        how = _(
            "Scan the QR code with your phone, or open Telegram, find @{bot} and send it the "
            "code. The code works once, until {date}.",
            bot=bot,
            date=_.date(expires),
        )
        y = top - pad - qr - 19 * mm
        for line in simpleSplit(how, regular, 7.5, width - 2 * pad)[:3]:
            canvas.drawString(left + pad, y, line)
            y -= 3.5 * mm
        canvas.drawString(left + pad, top - height + pad - 2 * mm, slip.link)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _fonts() -> tuple[str, str]:
    """DejaVu Sans and its bold, registered with reportlab once."""
    import matplotlib
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    names = ("DejaVuSans", "DejaVuSans-Bold")
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    for name in names:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(folder / f"{name}.ttf")))
    return names
