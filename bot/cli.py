"""The `canbo` command line. Each command lives in its own module under ``bot/commands``."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from importlib.metadata import version

from pydantic import ValidationError

from bot import log_masking, logs
from bot.settings import Settings
from locales import check as check_catalogues
from locales import translator
from storage import reach

SIGPIPE_EXIT = 141  # how a shell reports a command stopped by a closed pipe (128 + SIGPIPE)

# Commands that work on a database not (yet) migrated to head: the migrations themselves, and
# copying a SQLite file as it is. Every other command first checks the database (``_main``).
WITHOUT_SCHEMA = frozenset({"db", "backup", "restore"})

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
    "registrations": ("bot.commands.registrations", "course registrations made in the chat"),
    "report": ("bot.commands.report", "qualification and reach reports"),
    "zns": ("bot.commands.zns", "the Zalo Official Account that sends ZNS messages"),
    "audit": ("bot.commands.audit", "read the audit log"),
    "console": ("bot.commands.console", "the coordinators' browser console"),
    "purge": ("bot.commands.purge", "remove what is past its retention"),
    "backup": ("bot.commands.backup", "copy the SQLite database while the service runs"),
    "restore": ("bot.commands.restore", "bring a SQLite database back from a backup"),
}


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser, with the full options of the command named in ``argv`` (if any) and a
    one-line entry for every other command."""
    parser = argparse.ArgumentParser(
        prog="canbo",
        description="Chatbot and reminders for commune-level officials.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    parser.add_argument("--version", action="version", version=f"canbo {version('canbo')}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chosen = next((word for word in argv if word in COMMANDS), None)
    for name, (module, summary) in COMMANDS.items():
        if name == chosen:
            importlib.import_module(module).register(sub)
        else:
            sub.add_parser(name, help=summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. A failure the operator can fix ends in one line saying how
    (bot/failures.py); a reader that stops early (`canbo audit | head`) ends it quietly."""
    try:
        try:
            return _main(list(sys.argv[1:] if argv is None else argv))
        finally:
            sys.stdout.flush()  # here, so a closed pipe is met inside this ``try``
    except BrokenPipeError:
        _silence_stdout()
        return SIGPIPE_EXIT


def _main(words: list[str]) -> int:
    args = build_parser(words).parse_args(words)
    try:
        settings = Settings()
    except ValidationError as error:
        _report_settings(error)
        return 2
    logs.configure(verbose=args.verbose, log_format=settings.log_format)
    log_masking.install(settings)
    reach.configure(reach.Setup.of(settings.zns_ready, settings.chat_failing_days))
    try:
        check_catalogues()
        if args.command not in WITHOUT_SCHEMA:
            _require_database(settings)
        result: int = args.run(args, settings)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise
    except Exception as error:
        from bot.failures import explain  # imported on failure only: it loads the channels

        line = explain(error, settings.locale)
        if line is None:
            raise
        print(line, file=sys.stderr)
        return 1
    return result


def _require_database(settings: Settings) -> None:
    """Stop before the command starts when the database is unreachable or not at head."""
    from storage.migrate import require_head  # imported here: Alembic is slow to import

    require_head(settings.database_url)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _report_settings(error: ValidationError) -> None:
    """A bad CANBO_* variable is an operator's typo: name it, no traceback, never its value."""
    _ = translator()
    for problem in error.errors():
        name = "CANBO_" + "_".join(str(part) for part in problem["loc"]).upper()
        cause = problem.get("ctx", {}).get("error")
        reason = _(str(cause)) if isinstance(cause, ValueError) else problem["msg"]
        print(_("Invalid setting {name}: {problem}", name=name, problem=reason), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
