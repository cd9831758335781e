"""What every command shares about being run from a terminal: argparse calls
``run(args, settings)`` synchronously, and the audit log names whoever typed it."""

from __future__ import annotations

import argparse
import asyncio
import getpass
from collections.abc import Callable, Coroutine
from typing import Any

from bot.settings import Settings

Command = Callable[[argparse.Namespace, Settings], int]


def synchronous(
    action: Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]],
) -> Command:
    """A coroutine command, run to completion when argparse calls it."""

    def run(args: argparse.Namespace, settings: Settings) -> int:
        return asyncio.run(action(args, settings))

    return run


def cli_actor() -> str:
    return f"cli:{getpass.getuser()}"


def add_actions(
    sub: argparse._SubParsersAction[Any],
    name: str,
    text: str,
    dest: str = "action",
    metavar: str = "ACTION",
) -> argparse._SubParsersAction[Any]:
    """A command made of sub-commands (``canbo roles grant``): one of them must be named."""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=text)
    return parser.add_subparsers(dest=dest, metavar=metavar, required=True)
