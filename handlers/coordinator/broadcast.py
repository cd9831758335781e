"""/thongbao (/broadcast): a coordinator composes an announcement step by step, with buttons.

1. Recipients: filters (units within the scope, current titles, planned titles, qualification
   gaps, enrolled course, programme cohort), with the count reached and the count that cannot
   be reached after every change; a unit can also be typed (its code or part of its name).
2. The text, typed.
3. The "Received" button: yes or no.
4. When: now, or at a typed date and time.
5. The preview, exactly as recipients will see it, with the counts; "Send" queues it.

The draft is a Broadcast row and the step is kept on the chat account, so a restart or another
worker carries on where the coordinator left off. Every step reads the coordinator's scope
again: a role taken away half-way stops the dialogue. Buttons carry the draft's id
(storage.callback_data.BroadcastStep), so a button of an older draft does nothing.
"""

from __future__ import annotations

from sqlalchemy import select

from handlers.context import Context
from handlers.coordinator.access import actor, refusal
from handlers.coordinator.figures import (
    headcount_text,
    local_time,
    on_visit_text,
    unreachable_text,
)
from handlers.coordinator.filters import FILTER_NAMES, GAP_NAMES, describe, title_label
from handlers.coordinator.when import parse_moment
from handlers.messages import Button, Reply
from locales import N_
from rules.titles import TitleKind
from storage import broadcasts
from storage.access import Refused, Scope
from storage.audience import (
    GAP_KEYS,
    Audience,
    Choice,
    check,
    course_choices,
    find_unit,
    programme_choices,
    unit_choices,
)
from storage.callback_data import BroadcastAction, BroadcastStep, parse_number
from storage.models import Broadcast, BroadcastStatus, Course, Programme, Unit

AUDIENCE = "broadcast.audience"
TEXT = "broadcast.text"
TIME = "broadcast.time"
DIALOGS = frozenset({AUDIENCE, TEXT, TIME})
UNIT_BUTTONS = 16
# Filter kinds as buttons name them: one letter keeps the callback data short.
LETTERS = {
    "u": "units",
    "t": "titles",
    "p": "planned",
    "g": "gaps",
    "c": "courses",
    "r": "programmes",
}
MENU_LAYOUT = (("u", "t"), ("p", "g"), ("c", "r"))
# Filters whose buttons carry the row's id: codes can be longer than a button's 64 bytes.
BY_ID: dict[str, type[Unit] | type[Course] | type[Programme]] = {
    "units": Unit,
    "courses": Course,
    "programmes": Programme,
}


async def start(context: Context, scope: Scope) -> list[Reply]:
    await _discard_open_draft(context)
    draft = broadcasts.new_draft(context.session, actor(context), context.official, scope)
    await context.session.flush()
    _step(context, AUDIENCE, draft)
    return [await _recipients(context, draft, scope)]


async def on_button(context: Context, scope: Scope, pressed: BroadcastStep) -> list[Reply]:
    draft = await _open_draft(context, pressed.draft)
    if draft is None:
        return [_stale(context)]
    draft.scope = scope.stored()
    try:
        return await _act(context, draft, scope, pressed)
    except Refused as refused:
        return [refusal(context, refused)]


async def on_text(context: Context, scope: Scope, text: str) -> list[Reply]:
    """A typed answer: a unit to find, the announcement's text, or its time."""
    draft = await _open_draft(context, context.account.dialog_data.get("broadcast"))
    if draft is None:
        context.account.dialog = None
        return [_stale(context)]
    draft.scope = scope.stored()
    _ = context._
    try:
        if context.account.dialog == TEXT:
            broadcasts.set_text(draft, text)
            return [_ack_question(context, draft)]
        if context.account.dialog == TIME:
            moment = parse_moment(text, context.config.zone, context.today)
            if moment is None:
                return [Reply(_("I could not read that time. Write it like 25/11/2026 08:00."))]
            broadcasts.set_time(draft, moment, context.now)
            return await _preview(context, draft)
    except Refused as refused:
        return [refusal(context, refused)]
    found = await find_unit(context.session, scope, text)
    if not found:
        return [Reply(_("No unit in your scope matches “{text}”.", text=text))]
    return [await _options(context, draft, scope, "u", found)]


async def _act(
    context: Context, draft: Broadcast, scope: Scope, pressed: BroadcastStep
) -> list[Reply]:
    _ = context._
    action, argument = pressed.action, pressed.argument
    if action == "menu":
        _step(context, AUDIENCE, draft)
        return [await _recipients(context, draft, scope)]
    if action == "f" and argument in LETTERS:
        _step(context, AUDIENCE, draft)
        return [await _options(context, draft, scope, argument)]
    if action == "t" and argument in LETTERS:
        await _toggle(context, draft, scope, argument, pressed.value)
        return [await _options(context, draft, scope, argument)]
    if action == "clear":
        draft.audience = {}
        return [await _recipients(context, draft, scope)]
    if action == "next":
        _step(context, TEXT, draft)
        return [Reply(_("Type the text of the announcement."))]
    if action == "ack":
        draft.ack = argument == "yes"
        return [_when_question(context, draft)]
    if action == "now":
        broadcasts.set_time(draft, None, context.now)
        return await _preview(context, draft)
    if action == "later":
        _step(context, TIME, draft)
        return [Reply(_("Type the date and time to send it, for example 25/11/2026 08:00."))]
    if action == "send":
        return [await _send(context, draft)]
    if action == "preview":
        return [Reply(_("This is only the preview; recipients confirm with this button."))]
    if action == "quit":
        await context.session.delete(draft)
        _finish(context)
        return [Reply(_("The draft announcement is discarded."))]
    return [_stale(context)]


async def _toggle(
    context: Context, draft: Broadcast, scope: Scope, letter: str, value: str
) -> None:
    """Add or remove one filter value; a value out of scope or unknown changes nothing."""
    kind = LETTERS.get(letter)
    if kind is None:
        raise Refused(N_("That choice is no longer available."))
    code = await _code(context, kind, value)
    audience = Audience.from_json(draft.audience).toggled(kind, code)
    await check(context.session, audience, scope)
    draft.audience = audience.to_json()


async def _code(context: Context, kind: str, value: str) -> str:
    """The filter value a button names: units, courses and programmes go by id on buttons."""
    model = BY_ID.get(kind)
    if model is None:
        return value
    row_id = parse_number(value)
    code = (
        await context.session.scalar(select(model.code).where(model.id == row_id))
        if row_id is not None
        else None
    )
    if code is None:
        raise Refused(N_("That choice is no longer available."))
    return str(code)


async def _recipients(context: Context, draft: Broadcast, scope: Scope) -> Reply:
    """Step 1: the filters in use, the counts, and a button per filter."""
    _ = context._
    audience = Audience.from_json(draft.audience)
    count = await broadcasts.headcount(context.session, draft, context.profile, context.today)
    lines = [
        _("New announcement: who should receive it?"),
        *await describe(_, context.session, audience),
        "",
        headcount_text(context._, count),
        _("Choose filters, or type a unit's code or name; then press “Next: the text”."),
    ]
    menu = [
        tuple(_button(draft, _(FILTER_NAMES[LETTERS[letter]]), "f", letter) for letter in row)
        for row in MENU_LAYOUT
    ]
    last = [_button(draft, _("Next: the text"), "next")]
    if not audience.is_everyone:
        last.insert(0, _button(draft, _("Clear filters"), "clear"))
    return Reply(
        "\n".join(lines),
        buttons=(*menu, tuple(last), (_button(draft, _("Discard"), "quit"),)),
    )


async def _options(
    context: Context,
    draft: Broadcast,
    scope: Scope,
    letter: str,
    found: list[Choice] | None = None,
) -> Reply:
    """The values of one filter as buttons, the chosen ones ticked."""
    _ = context._
    kind = LETTERS[letter]
    chosen = set(getattr(Audience.from_json(draft.audience), kind))
    options = found if found is not None else await _choices(context, scope, kind)
    options += await _chosen_elsewhere(context, kind, chosen - {o.code for o in options})
    count = await broadcasts.headcount(context.session, draft, context.profile, context.today)
    lines = [_(FILTER_NAMES[kind]), _("Press to choose, press again to remove.")]
    if kind == "units":
        lines.append(_("Not in the list? Type the unit's code or part of its name."))
    if not options:
        lines.append(_("Nothing to choose from in your scope."))
    lines += ["", headcount_text(context._, count)]
    rows = [
        (
            _button(
                draft,
                ("✓ " if option.code in chosen else "") + option.name,
                "t",
                letter,
                str(option.id) if kind in BY_ID else option.code,
            ),
        )
        for option in options
    ]
    rows.append((_button(draft, _("◀ Back"), "menu"),))
    return Reply("\n".join(lines), buttons=tuple(rows))


async def _choices(context: Context, scope: Scope, kind: str) -> list[Choice]:
    _ = context._
    session = context.session
    if kind == "units":
        return await unit_choices(session, scope, UNIT_BUTTONS)
    if kind == "courses":
        return await course_choices(session, scope)
    if kind == "programmes":
        return await programme_choices(session, scope)
    if kind == "gaps":
        return [Choice(0, key, _(GAP_NAMES[key])) for key in GAP_KEYS]
    return [Choice(0, title.value, title_label(_, title.value)) for title in TitleKind]


async def _chosen_elsewhere(context: Context, kind: str, codes: set[str]) -> list[Choice]:
    """Chosen values the list does not show (a unit found by typing), so they can be removed."""
    model = BY_ID.get(kind)
    if model is None or not codes:
        return []
    rows = await context.session.execute(
        select(model.id, model.code, model.name).where(model.code.in_(codes)).order_by(model.name)
    )
    return [Choice(*row) for row in rows]


def _ack_question(context: Context, draft: Broadcast) -> Reply:
    _ = context._
    return Reply(
        _("Add a “Received” button, so recipients can confirm they have read it?"),
        buttons=(
            (
                _button(draft, _("Yes, add the button"), "ack", "yes"),
                _button(draft, _("No"), "ack", "no"),
            ),
        ),
    )


def _when_question(context: Context, draft: Broadcast) -> Reply:
    _ = context._
    return Reply(
        _("When should it go out?"),
        buttons=(
            (
                _button(draft, _("Now"), "now"),
                _button(draft, _("At a chosen time"), "later"),
            ),
        ),
    )


async def _preview(context: Context, draft: Broadcast) -> list[Reply]:
    """The message exactly as recipients will see it, then the counts and the last buttons."""
    _ = context._
    context.account.dialog = None
    text, buttons = broadcasts.render(broadcasts.payload(draft), context.account.language)
    shown = tuple(
        tuple(_button(draft, label, "preview") for label, _data in row) for row in buttons
    )
    count = await broadcasts.headcount(context.session, draft, context.profile, context.today)
    lines = [
        _("Above is the announcement exactly as recipients will see it."),
        headcount_text(context._, count),
        _when(context, draft),
        _("Nobody gets messages in the quiet hours; what falls in them goes out when they end."),
    ]
    actions = [
        (
            _button(draft, _("Edit the text"), "next"),
            _button(draft, _("Change recipients"), "menu"),
        ),
        (_button(draft, _("Discard"), "quit"),),
    ]
    if count.total:
        actions.insert(0, (_button(draft, _("Send"), "send"),))
    return [Reply(text, buttons=shown), Reply("\n".join(lines), buttons=tuple(actions))]


async def _send(context: Context, draft: Broadcast) -> Reply:
    _ = context._
    count = await broadcasts.queue(
        context.session, draft, context.profile, context.now, context.today
    )
    _finish(context)
    lines = [
        _.plural(
            "Announcement #{id} is queued for {n} official.",
            "Announcement #{id} is queued for {n} officials.",
            count.total,
            id=draft.id,
        ),
    ]
    if count.unreachable:
        lines.append(unreachable_text(_, count))
    if count.on_visit:
        lines.append(on_visit_text(_, count))
    lines.append(_("Follow its delivery with /thongbao_baocao {id}.", id=draft.id))
    return Reply("\n".join(lines))


def _when(context: Context, draft: Broadcast) -> str:
    _ = context._
    if draft.scheduled_at is None:
        return _("When: now.")
    return _("When: {time}.", time=local_time(_, draft.scheduled_at, context.config.zone))


def _button(
    draft: Broadcast,
    label: str,
    action: BroadcastAction,
    argument: str = "",
    value: str = "",
) -> Button:
    return Button(label, BroadcastStep(draft.id, action, argument, value))


def _step(context: Context, dialog: str, draft: Broadcast) -> None:
    context.account.dialog = dialog
    context.account.dialog_data = {"broadcast": draft.id}


def _finish(context: Context) -> None:
    context.account.dialog = None
    context.account.dialog_data = {}


def _stale(context: Context) -> Reply:
    _ = context._
    return Reply(_("This draft is no longer open. Start a new one with /thongbao."))


async def _open_draft(context: Context, draft_id: object) -> Broadcast | None:
    """This chat's draft ``draft_id``, if it is still being composed by this official."""
    official = context.official
    if official is None or not isinstance(draft_id, int):
        return None
    if context.account.dialog_data.get("broadcast") != draft_id:
        return None
    draft = await context.session.get(Broadcast, draft_id)
    if draft is None or draft.status is not BroadcastStatus.DRAFT:
        return None
    return draft if draft.author_id == official.id else None


async def _discard_open_draft(context: Context) -> None:
    """A new /thongbao replaces the draft this chat left open."""
    draft = await _open_draft(context, context.account.dialog_data.get("broadcast"))
    if draft is not None:
        await context.session.delete(draft)
