"""What an import found: counts, ignored columns and every problem, rendered in the user's language.

Problems are kept as untranslated messages (an English msgid and its parameters), so one import
can be reported in Vietnamese or English after the fact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from types import MappingProxyType
from typing import Any

from locales import N_, Translator, translator

KIND_NAMES = {
    "officials": N_("official records"),
    "courses": N_("course records"),
    "enrollments": N_("enrollment records"),
    "bonds": N_("service bond records"),
    "units": N_("unit records"),
}


@dataclass(frozen=True)
class Message:
    """A message to translate at display time: an English msgid and its parameters."""

    text: str
    params: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    def render(self, _: Translator) -> str:
        return _(self.text, **{name: _shown(_, value) for name, value in self.params.items()})

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "params": {name: _stored(value) for name, value in self.params.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Message:
        params = {name: _restored(value) for name, value in data["params"].items()}
        return cls(data["text"], MappingProxyType(params))


def _stored(value: object) -> object:
    """A parameter as JSON keeps it: a date tagged, so it is shown as a date again."""
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value if isinstance(value, int | float | str | bool) or value is None else str(value)


def _restored(value: object) -> object:
    if isinstance(value, dict) and set(value) == {"date"}:
        return date.fromisoformat(str(value["date"]))
    return value


def _shown(_: Translator, value: object) -> object:
    """Numbers and dates as the reader writes them: 300.000, 17/05/1980."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _.number(value)
    if isinstance(value, date):
        return _.date(value)
    return value


class FileRejected(Exception):
    """The file as a whole cannot be imported (unreadable, too large, missing columns)."""

    def __init__(self, *messages: Message) -> None:
        super().__init__(*(message.text for message in messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class RowError:
    """One bad cell: its row as the spreadsheet numbers it (header = 1), its header as written."""

    row: int
    column: str
    reason: Message


MAX_PROBLEMS = 200  # lines of problems a report names; the rest are counted


@dataclass
class ImportReport:
    """What an import did or would do. Problems beyond ``MAX_PROBLEMS`` are only counted
    (``more_errors``): the first ones by row are kept, so a file with a bad column throughout
    gives a readable report and never fills memory."""

    kind: str
    file: str
    dry_run: bool
    lang: str = "vi"
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    header_rows: tuple[int, ...] = ()
    foot: tuple[int, str] | None = None  # the row the foot of the table begins on, its text
    file_errors: list[Message] = field(default_factory=list)
    row_errors: list[RowError] = field(default_factory=list)
    more_errors: int = 0

    @property
    def rejected(self) -> bool:
        return bool(self.file_errors or self.row_errors or self.more_errors)

    @property
    def problems(self) -> int:
        return len(self.file_errors) + len(self.row_errors) + self.more_errors

    def trim(self) -> None:
        """Keep the first problems by row, up to ``MAX_PROBLEMS`` lines with the file's own;
        call it whenever every later problem is known to lie on a later row."""
        self.row_errors.sort(key=lambda error: error.row)
        room = max(0, MAX_PROBLEMS - len(self.file_errors))
        if len(self.row_errors) > room:
            self.more_errors += len(self.row_errors) - room
            del self.row_errors[room:]

    def to_json(self) -> dict[str, Any]:
        """The report as JSON keeps it (the console shows a check again, and exports it)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["file_errors"] = [message.to_json() for message in self.file_errors]
        data["row_errors"] = [
            {"row": e.row, "column": e.column, "reason": e.reason.to_json()}
            for e in self.row_errors
        ]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ImportReport:
        report = cls(**{key: value for key, value in data.items() if not key.endswith("errors")})
        report.header_rows = tuple(report.header_rows)
        report.foot = (data["foot"][0], data["foot"][1]) if data["foot"] else None
        report.more_errors = data["more_errors"]
        report.file_errors = [Message.from_json(m) for m in data["file_errors"]]
        report.row_errors = [
            RowError(e["row"], e["column"], Message.from_json(e["reason"]))
            for e in data["row_errors"]
        ]
        return report

    def render(self, lang: str | None = None) -> str:
        _ = translator(lang or self.lang)
        lines: list[str] = []
        kind = _(KIND_NAMES[self.kind])
        if self.rejected:
            count = _.number(self.problems)
            lines.append(
                _(
                    "{file}: rejected, nothing was imported. Problems: {count}.",
                    file=self.file,
                    count=count,
                )
            )
            lines += [f"{self.file}: {message.render(_)}" for message in self.file_errors]
            lines += [
                _(
                    "{file}, row {row}, column “{column}”: {reason}",
                    file=self.file,
                    row=error.row,
                    column=error.column,
                    reason=error.reason.render(_),
                )
                for error in self.row_errors
            ]
            if self.more_errors:
                lines.append(
                    _.plural(
                        "… and {count} more problem, not listed.",
                        "… and {count} more problems, not listed.",
                        self.more_errors,
                        count=_.number(self.more_errors),
                    )
                )
        else:
            counts = {
                "created": _.number(self.created),
                "updated": _.number(self.updated),
                "unchanged": _.number(self.unchanged),
            }
            if self.dry_run:
                lines.append(
                    _(
                        "{file}: checked {kind}, nothing written (dry run): {created} would be "
                        "new, {updated} would be updated, {unchanged} unchanged.",
                        file=self.file,
                        kind=kind,
                        **counts,
                    )
                )
            else:
                lines.append(
                    _(
                        "{file}: imported {kind}: {created} new, {updated} updated, "
                        "{unchanged} unchanged.",
                        file=self.file,
                        kind=kind,
                        **counts,
                    )
                )
        lines += self._layout(_)
        return "\n".join(lines)

    def _layout(self, _: Translator) -> list[str]:
        """Where the table was found, so a coordinator can check it was read as meant."""
        lines: list[str] = []
        if len(self.header_rows) == 1:
            lines.append(_("Header: row {row}.", row=self.header_rows[0]))
        elif self.header_rows:
            lines.append(
                _(
                    "Header: rows {first}–{last}.",
                    first=self.header_rows[0],
                    last=self.header_rows[-1],
                )
            )
        if self.foot is not None:
            row, text = self.foot
            text = text if len(text) <= 40 else text[:39] + "…"
            lines.append(
                _(
                    "From row {row} (“{text}”) on: the foot of the table, not read.",
                    row=row,
                    text=text,
                )
            )
        if self.ignored_columns:
            columns = ", ".join(f"“{name}”" for name in self.ignored_columns)
            lines.append(_("Ignored columns: {columns}.", columns=columns))
        return lines
