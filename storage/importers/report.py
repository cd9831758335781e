"""What an import found: counts, ignored columns and every problem, rendered in the user's language.

Problems are kept as untranslated messages (an English msgid and its parameters), so one import
can be reported in Vietnamese or English after the fact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

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
        return _(self.text, **self.params)


@dataclass(frozen=True)
class RowError:
    """One bad cell: its row as the spreadsheet numbers it (header = 1), its header as written."""

    row: int
    column: str
    reason: Message


@dataclass
class ImportReport:
    kind: str
    file: str
    dry_run: bool
    lang: str = "vi"
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    file_errors: list[Message] = field(default_factory=list)
    row_errors: list[RowError] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return bool(self.file_errors or self.row_errors)

    def render(self, lang: str | None = None) -> str:
        _ = translator(lang or self.lang)
        lines: list[str] = []
        kind = _(KIND_NAMES[self.kind])
        if self.rejected:
            count = _.number(len(self.file_errors) + len(self.row_errors))
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
        if self.ignored_columns:
            columns = ", ".join(f"“{name}”" for name in self.ignored_columns)
            lines.append(_("Ignored columns: {columns}.", columns=columns))
        return "\n".join(lines)
