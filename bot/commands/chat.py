"""`canbo chat --as CODE`: an interactive terminal chat as that official; Ctrl-D ends it."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from bot.channels.terminal import TerminalChat
from bot.commands.terminal_chat import with_terminal_chat
from bot.settings import Settings


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("chat", help="chat with the bot in the terminal as an official")
    parser.add_argument("--as", dest="official", required=True, metavar="CODE")
    parser.set_defaults(run=_chat)


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    async def chat(terminal: TerminalChat) -> None:
        await terminal.run(sys.stdin)

    return asyncio.run(with_terminal_chat(settings, args.official, chat))
