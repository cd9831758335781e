"""A chat's own settings: language, quiet hours and which optional reminders to mute.

Quiet hours are a two-step dialogue (press the button, then type the hours); the step is kept
on the chat account so it survives a restart.
"""

from __future__ import annotations

import re

from sqlalchemy import update

from handlers.context import Context
from handlers.help import menu_for
from handlers.messages import Button, Reply
from locales import LANGUAGES, N_
from rules.text import fold
from storage import reach
from storage.callback_data import Setting
from storage.models import ChatAccount

# Reminder kinds a chat may mute; deadlines of the standards themselves cannot be muted.
OPTIONAL_REMINDERS: dict[str, str] = {
    "course_start": N_("Course start reminders"),
    "refresher": N_("Yearly refresher reminders"),
    "bond_milestone": N_("Bond milestones"),
}
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
QUIET_DIALOG = "settings.quiet_hours"
_OFF = frozenset({"off", "tat", "khong", "none", "no"})
_TIME = r"(\d{1,2})(?:\s*[:hg.]\s*(\d{2})?)?"
_WINDOW = re.compile(rf"{_TIME}\s*(?:-|–|đến|den|to)\s*{_TIME}")


def parse_quiet_hours(text: str) -> str | None:
    """ "22:00-06:30", "22h - 6h30" or "22 đến 6" as "HH:MM-HH:MM"; None if unreadable."""
    found = _WINDOW.fullmatch(text.strip().lower())
    if found is None:
        return None
    start_h, start_m, end_h, end_m = (int(part or 0) for part in found.groups())
    if start_h > 23 or end_h > 23 or start_m > 59 or end_m > 59:
        return None
    if (start_h, start_m) == (end_h, end_m):
        return None
    return f"{start_h:02d}:{start_m:02d}-{end_h:02d}:{end_m:02d}"


def show(context: Context) -> Reply:
    """The current settings, with a button for each change."""
    _ = context._
    account = context.account
    lines = [
        _("Settings"),
        _("Language: {language}", language=LANGUAGE_NAMES[account.language]),
        _("Quiet hours: {hours}", hours=account.quiet_hours)
        if account.quiet_hours
        else _("Quiet hours: the service default"),
    ]
    muted = set(account.muted_kinds or [])
    for kind, label in OPTIONAL_REMINDERS.items():
        state = _("muted") if kind in muted else _("active")
        lines.append(f"• {_(label)}: {state}")
    reachable = context.official is not None and reach.carries(account.channel)
    if reachable and account.preferred:
        lines.append(_("Reminders: to this chat"))
    buttons = [
        tuple(Button(LANGUAGE_NAMES[lang], Setting("lang", lang)) for lang in LANGUAGES),
        (Button(_("Change quiet hours"), Setting("quiet")),),
        *((_mute_button(context, kind, kind in muted),) for kind in OPTIONAL_REMINDERS),
    ]
    if reachable and not account.preferred:
        buttons.append((Button(_("Send reminders here"), Setting("here")),))
    return Reply("\n".join(lines), buttons=tuple(buttons))


def _mute_button(context: Context, kind: str, muted: bool) -> Button:
    _ = context._
    template = N_("Unmute: {kind}") if muted else N_("Mute: {kind}")
    return Button(_(template, kind=_(OPTIONAL_REMINDERS[kind])), Setting("mute", kind))


async def set_language(context: Context, language: str) -> list[Reply]:
    if language not in LANGUAGES:
        return [show(context)]
    context.account.language = language
    _ = context._
    return [
        Reply(
            _("From now on I will answer in {language}.", language=LANGUAGE_NAMES[language]),
            menu=await menu_for(context) if context.official is not None else (),
        )
    ]


async def on_command(context: Context) -> list[Reply]:
    """/settings alone shows the settings; /settings en switches the language at once."""
    args = context.incoming.args
    if args and args[0].lower() in LANGUAGES:
        return await set_language(context, args[0].lower())
    return [show(context)]


async def on_button(context: Context, pressed: Setting) -> list[Reply]:
    _ = context._
    action, value = pressed.action, pressed.value
    if action == "here":
        return await _send_reminders_here(context)
    if action == "lang":
        return await set_language(context, value)
    if action == "quiet":
        context.account.dialog = QUIET_DIALOG
        return [
            Reply(
                _(
                    "Send the hours when I should not send reminders, for example 22:00-06:30, "
                    'or "off" to use the service default.'
                )
            )
        ]
    if action == "mute" and value in OPTIONAL_REMINDERS:
        muted = set(context.account.muted_kinds or [])
        muted ^= {value}
        context.account.muted_kinds = sorted(muted)
    return [show(context)]


async def _send_reminders_here(context: Context) -> list[Reply]:
    """Make this chat the one reminders go to, among the official's linked chats."""
    account, official = context.account, context.official
    if official is None or not reach.carries(account.channel):
        return [show(context)]
    await context.session.execute(
        update(ChatAccount)
        .where(ChatAccount.official_id == official.id, ChatAccount.id != account.id)
        .values(preferred=False)
    )
    account.preferred = True
    _ = context._
    return [Reply(_("From now on reminders come to this chat."))]


def on_dialog_text(context: Context, text: str) -> list[Reply]:
    """The typed answer in the quiet-hours dialogue."""
    _ = context._
    account = context.account
    if fold(text) in _OFF:
        account.quiet_hours = None
    else:
        window = parse_quiet_hours(text)
        if window is None:
            return [
                Reply(_('I could not read those hours. Write them like 22:00-06:30, or "off".'))
            ]
        account.quiet_hours = window
    account.dialog = None
    return [show(context)]
