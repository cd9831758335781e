"""Officials of the scope: search (diacritics and case folded: "nguyen van" finds "Nguyễn
Văn"), filters by unit, title, gap, planned title and programme (storage/audience.py, as
announcements choose their audience), one official's status card (handlers/status.py, the
card the bot sends) and record, an edit of that record (audited), and link codes for the
filtered officials without a linked chat, as printable slips or a sheet (bot/link_slips.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.console.app import ConsoleRoute
from bot.console.render import NavEntry, render
from bot.console.tables import XLSX, Link, Table, requested
from bot.console.visit import Visit, page
from bot.link_slips import issue_slips, slips_pdf, slips_workbook, unlinked
from handlers.coordinator.figures import reach_name
from handlers.coordinator.filters import GAP_NAMES, title_label
from handlers.coordinator.when import parse_day
from handlers.labels import level_name, titles_name
from handlers.linking import normalise_phone
from handlers.status import status_text
from locales import N_, Translator
from rules.scales import GeneralEducation, PoliticalTheory, ProfessionalLevel, StateManagement
from rules.text import fold
from rules.titles import TitleKind
from storage.access import Scope
from storage.audience import GAP_KEYS, Audience, programme_choices, resolve, unit_choices
from storage.audit import record
from storage.models import Official, Unit
from storage.reach import Reach

NAV = (NavEntry("/console/officials", N_("Staff")),)
SHOWN = 200  # rows on the page; the export holds them all
UNITS_OFFERED = 300
LEVELS: dict[str, Any] = {
    "general_education": GeneralEducation,
    "professional_level": ProfessionalLevel,
    "political_theory": PoliticalTheory,
    "state_management": StateManagement,
}
FIELD_NAMES = {
    "full_name": N_("Full name"),
    "phone": N_("Phone"),
    "birth_date": N_("Birth date"),
    "appointed_on": N_("Appointed on"),
    "general_education": N_("General education"),
    "professional_level": N_("Professional level"),
    "political_theory": N_("Political theory"),
    "state_management": N_("State management"),
    "party_member": N_("Party member"),
}


@dataclass(frozen=True)
class Filters:
    """What the visitor asked for, checked: unknown values are dropped with a problem."""

    unit: Unit | None
    search: str
    audience: Audience
    problems: tuple[str, ...]

    def query(self) -> dict[str, str]:
        """The filters as query parameters (for the bulk link codes form)."""
        values = {
            "unit": str(self.unit.id) if self.unit else "",
            "q": self.search,
            "title": ",".join(self.audience.titles),
            "planned": ",".join(self.audience.planned),
            "gap": ",".join(self.audience.gaps),
            "programme": ",".join(self.audience.programmes),
        }
        return {key: value for key, value in values.items() if value}


async def read_filters(visit: Visit, given: Any) -> Filters:
    """The filters in ``given`` (the query or a posted form)."""
    _ = visit._
    problems: list[str] = []
    unit = None
    unit_id = str(given.get("unit", ""))
    if unit_id.isdigit():
        unit = await visit.unit(int(unit_id))
    titles = {kind.value for kind in TitleKind}

    def values(name: str, allowed: set[str] | tuple[str, ...]) -> tuple[str, ...]:
        chosen = tuple(v for v in str(given.get(name, "")).split(",") if v)
        if any(v not in allowed for v in chosen):
            problems.append(_("Unknown choice ignored: {value}.", value=", ".join(chosen)))
        return tuple(v for v in chosen if v in allowed)

    programmes = {c.code for c in await programme_choices(visit.db, visit.scope)}
    audience = Audience(
        titles=values("title", titles),
        planned=values("planned", titles),
        gaps=values("gap", GAP_KEYS),
        programmes=values("programme", programmes),
    )
    return Filters(unit, str(given.get("q", "")).strip()[:100], audience, tuple(problems))


@dataclass(frozen=True)
class Found:
    official: Official
    reach: Reach


async def find(visit: Visit, filters: Filters) -> list[Found]:
    """The officials the filters select inside the scope, by unit and name."""
    scope = Scope.of_paths([filters.unit.path]) if filters.unit is not None else visit.scope
    profile = visit.config.standards(visit.today)
    members = await resolve(visit.db, filters.audience, scope, profile, visit.today)
    reach = {m.official_id: m.reach for m in members}
    rows = await visit.db.scalars(
        select(Official)
        .join(Unit, Official.unit_id == Unit.id)
        .where(visit.scope.clause(Unit.path), scope.clause(Unit.path))
        .options(selectinload(Official.unit))
        .order_by(Unit.name, Official.full_name, Official.code)
    )
    wanted = fold(filters.search)
    return [
        Found(official, reach[official.id])
        for official in rows
        if official.id in reach
        and (not wanted or wanted in fold(official.full_name) or wanted in fold(official.code))
    ]


def officials_table(_: Translator, found: list[Found]) -> Table:
    return Table(
        "officials",
        _("Staff"),
        [_("Full name"), _("Code"), _("Unit"), _("Title"), _("Chat")],
        [
            [
                Link(f.official.full_name, f"/console/officials/{f.official.id}"),
                f.official.code,
                f.official.unit.name,
                titles_name(_, f.official.posts),
                reach_name(_, f.reach),
            ]
            for f in found
        ],
        empty=_("No official matches."),
    )


async def listing(visit: Visit) -> web.StreamResponse:
    _ = visit._
    filters = await read_filters(visit, visit.request.query)
    found = await find(visit, filters)
    table = officials_table(_, found)
    export = requested(visit, [table])
    if export is not None:
        return export
    unlinked = sum(f.reach is Reach.NOT_LINKED for f in found)
    return render(
        visit,
        "officials.html",
        filters=filters,
        table_=table,
        shown=SHOWN,
        count=_.plural("{n} official found.", "{n} officials found.", len(found)),
        unlinked=unlinked,
        unlinked_text=_.plural(
            "{n} of them has no linked chat.", "{n} of them have no linked chat.", unlinked
        ),
        choices=await _choices(visit),
        pdf=bool(visit.config.bot_username),
    )


async def _choices(visit: Visit) -> dict[str, list[tuple[str, str]]]:
    _ = visit._
    units = await unit_choices(visit.db, visit.scope, UNITS_OFFERED)
    titles = [(kind.value, title_label(_, kind.value)) for kind in TitleKind]
    return {
        "unit": [(str(u.id), u.name) for u in units],
        "title": titles,
        "planned": titles,
        "gap": [(key, _(GAP_NAMES[key])) for key in GAP_KEYS],
        "programme": [(c.code, c.name) for c in await programme_choices(visit.db, visit.scope)],
    }


async def link_codes(visit: Visit) -> web.StreamResponse:
    """New link codes for the filtered officials without a linked chat: slips (PDF, with QR
    codes) or a sheet. Audited with how many and for which filters; the codes are only in the
    file."""
    _ = visit._
    form = await visit.request.post()
    filters = await read_filters(visit, form)
    ids = [f.official.id for f in await find(visit, filters) if f.reach is Reach.NOT_LINKED]
    officials = await unlinked(visit.db, Official.id.in_(ids)) if ids else []
    username = (visit.config.bot_username or "").lstrip("@")
    wants_pdf = form.get("format") == "pdf" and bool(username)
    days = visit.config.link_code_days
    slips = await issue_slips(visit.db, officials, visit.now, days, username, _)
    expires = (visit.now + timedelta(days=days)).astimezone(visit.config.zone).date()
    record(
        visit.db,
        visit.actor,
        "link_code.issue",
        filters.unit.code if filters.unit else "scope",
        count=len(slips),
        filters=filters.query(),
        format="pdf" if wants_pdf else "xlsx",
    )
    name = f"ma-lien-ket-{visit.today:%Y%m%d}"
    if wants_pdf:
        body, kind, name = slips_pdf(slips, expires, username, _), "application/pdf", name + ".pdf"
    else:
        body, kind, name = slips_workbook(slips, expires, _), XLSX, name + ".xlsx"
    return web.Response(
        body=body,
        content_type=kind,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def one(visit: Visit) -> web.StreamResponse:
    official = await _official(visit)
    return await _card(visit, official)


async def _official(visit: Visit) -> Official:
    official_id = visit.request.match_info["official"]
    if not official_id.isdigit():
        raise web.HTTPNotFound()
    official = await visit.official_in_scope(int(official_id))
    await visit.db.refresh(official, ["unit"])
    return official


async def _card(
    visit: Visit,
    official: Official,
    *,
    problems: tuple[str, ...] = (),
    saved: bool = False,
    typed: dict[str, str] | None = None,
) -> web.Response:
    _ = visit._
    profile = visit.config.standards(visit.today)
    record(visit.db, visit.actor, "report.status", official.code)
    card = await status_text(visit.db, official, profile, visit.today, _)
    return render(
        visit,
        "official.html",
        status=400 if problems else 200,
        official=official,
        card=card,
        titles=titles_name(_, official.posts),
        fields=typed if typed is not None else _fields(official),
        levels={
            key: [("", _("Not recorded"))] + [(m.value, level_name(_, m)) for m in kind]
            for key, kind in LEVELS.items()
        },
        names={key: _(name) for key, name in FIELD_NAMES.items()},
        problems=problems,
        saved=saved,
    )


def _fields(official: Official) -> dict[str, str]:
    def day(value: date | None) -> str:
        return value.strftime("%d/%m/%Y") if value else ""

    def level(value: Any) -> str:
        return str(value.value) if value is not None else ""

    return {
        "full_name": official.full_name,
        "phone": official.phone or "",
        "birth_date": day(official.birth_date),
        "appointed_on": day(official.appointed_on),
        **{key: level(getattr(official, key)) for key in LEVELS},
        "party_member": {True: "yes", False: "no", None: ""}[official.party_member],
    }


async def edit(visit: Visit) -> web.StreamResponse:
    """Change the record: every value is checked first, and one bad value changes nothing.
    The audit entry names the fields changed, with old and new values (a phone as changed
    only: no phone number is written outside the record)."""
    _ = visit._
    official = await _official(visit)
    form = await visit.request.post()
    typed = {key: str(form.get(key, "")).strip() for key in FIELD_NAMES}
    values, problems = _checked(_, typed, visit.today)
    if problems:
        return await _card(visit, official, problems=tuple(problems), typed=typed)
    before = _fields(official)
    changed = {key: value for key, value in values.items() if getattr(official, key) != value}
    for key, value in changed.items():
        setattr(official, key, value)
    if changed:
        record(
            visit.db,
            visit.actor,
            "official.edit",
            official.code,
            changed={
                key: "changed" if key == "phone" else [before[key], _fields(official)[key]]
                for key in changed
            },
        )
    await visit.db.flush()
    return await _card(visit, official, saved=True)


def _checked(_: Translator, typed: dict[str, str], today: date) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    values: dict[str, Any] = {}
    if not typed["full_name"] or len(typed["full_name"]) > 200:
        problems.append(_("The full name is required (at most 200 characters)."))
    values["full_name"] = typed["full_name"]
    phone = None
    if typed["phone"]:
        phone = normalise_phone(typed["phone"])
        if phone is None:
            problems.append(_("The phone number is not a Vietnamese number."))
    values["phone"] = phone
    for key, required in (("birth_date", True), ("appointed_on", False)):
        text = typed[key]
        day = parse_day(text) if text else None
        wrong = day is None or day > today or day.year < 1900
        if (text and wrong) or (required and not text):
            problems.append(
                _("{field}: write a past date as dd/mm/yyyy.", field=_(FIELD_NAMES[key]))
            )
        values[key] = day
    for key, kind in LEVELS.items():
        try:
            values[key] = kind(typed[key]) if typed[key] else None
        except ValueError:
            problems.append(_("{field}: choose one of the list.", field=_(FIELD_NAMES[key])))
    party = typed["party_member"]
    if party not in ("yes", "no", ""):
        problems.append(_("{field}: choose one of the list.", field=_("Party member")))
    values["party_member"] = {"yes": True, "no": False}.get(party)
    return values, problems


ROUTES = (
    ConsoleRoute("GET", "/officials", page(listing)),
    ConsoleRoute("POST", "/officials/link-codes", page(link_codes)),
    ConsoleRoute("GET", "/officials/{official}", page(one)),
    ConsoleRoute("POST", "/officials/{official}", page(edit)),
)
