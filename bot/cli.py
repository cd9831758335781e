"""The `canbo` command line. Each command lives in its own module under ``bot/commands``."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from bot import log_masking
from bot.settings import Settings
from locales import translator

# Command name -> (module, one-line help). Only the module of the command being run is
# imported, so `canbo --help` and quick commands start fast.
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("bot.commands.run", "start the service: HTTP, messengers, reminders"),
    "db": ("bot.commands.db", "database migrations"),
    "units": ("bot.commands.units", "administrative and internal units"),
    "import": ("bot.commands.importing", "import a roster file (officials, courses, ...)"),
    "demo": ("bot.commands.demo", "load the demo province"),
    "status": ("bot.commands.status", "print an official's standards status"),
    "link-code": ("bot.commands.link_code", "one-time codes that link a chat to an official"),
    "ask": ("bot.commands.ask", "print the bot's reply to TEXT from an official"),
    "chat": ("bot.commands.chat", "chat with the bot in the terminal as an official"),
    "reminders": ("bot.commands.reminders", "plan reminders and list the outbox"),
    "outbox": ("bot.commands.outbox", "deliver queued messages"),
    "roles": ("bot.commands.roles", "coordinator and admin roles"),
    "broadcast": ("bot.commands.broadcast", "announcements to chosen officials"),
    "report": ("bot.commands.report", "qualification reports"),
    "audit": ("bot.commands.audit", "read the audit log"),
    "purge": ("bot.commands.purge", "remove what is past its retention"),
}


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser, with the full options of the command named in ``argv`` (if any) and a
    one-line entry for every other command."""
    parser = argparse.ArgumentParser(
        prog="canbo",
        description="Chatbot and reminders for commune-level officials.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chosen = next((word for word in argv if word in COMMANDS), None)
    for name, (module, summary) in COMMANDS.items():
        if name == chosen:
            importlib.import_module(module).register(sub)
        else:
            sub.add_parser(name, help=summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(words).parse_args(words)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = Settings()
    except ValidationError as error:
        _report_settings(error)
        return 2
    log_masking.install(settings)
    result: int = args.run(args, settings)
    return result


def _report_settings(error: ValidationError) -> None:
    """A bad CANBO_* variable is an operator's typo: name it, no traceback."""
    _ = translator()
    for problem in error.errors():
        name = "CANBO_" + "_".join(str(part) for part in problem["loc"]).upper()
        print(
            _("Invalid setting {name}: {problem}", name=name, problem=problem["msg"]),
            file=sys.stderr,
        )


if __name__ == "__main__":
    sys.exit(main())
