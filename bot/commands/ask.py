"""`canbo ask --as CODE "TEXT"`: the bot's reply to TEXT from that official, in the terminal."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.channels.terminal import TerminalChat
from bot.commands.terminal_chat import with_terminal_chat
from bot.settings import Settings


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("ask", help="print the bot's reply to TEXT from an official")
    parser.add_argument("--as", dest="official", required=True, metavar="CODE")
    parser.add_argument("text", metavar="TEXT", help='a question or command, e.g. "/trangthai"')
    parser.set_defaults(run=_ask)


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    async def ask(chat: TerminalChat) -> None:
        await chat.say(args.text)

    return asyncio.run(with_terminal_chat(settings, args.official, ask))
