"""Gettext catalogues (vi first, en complete) and the Babel formats users expect.

Messages are written in English in the code and translated in ``vi/LC_MESSAGES/canbo.po``;
``make install`` compiles the catalogues in a checkout, and the build (setup.py) into a wheel.
Dates are always dd/mm/yyyy; numbers and money follow the language (vi: 1.219,5 and
35.000.000 ₫).
"""

from __future__ import annotations

import gettext
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel import Locale
from babel.numbers import NumberPattern, format_currency, format_decimal, parse_pattern

CATALOGUES = Path(__file__).parent
DOMAIN = "canbo"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"


def N_(message: str) -> str:
    """Mark a message for extraction where it is translated later, at display time."""
    return message


class CatalogueMissing(FileNotFoundError):
    """A language's compiled catalogue is not where the package expects it."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.path = CATALOGUES / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
        super().__init__(f"No {language} catalogue at {self.path}")


class Translator:
    """Everything language-dependent a reply needs: messages, dates, numbers and money."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            language = DEFAULT_LANGUAGE
        self.language = language
        self._locale = Locale.parse(language)  # parsed once: Babel parses a string each call
        try:
            self._catalogue = gettext.translation(
                DOMAIN, localedir=CATALOGUES, languages=[language], fallback=language == "en"
            )
        except FileNotFoundError:
            raise CatalogueMissing(language) from None

    def __call__(self, message: str, **params: object) -> str:
        text = self._catalogue.gettext(message)
        return text.format(**params) if params else text

    def plural(self, singular: str, plural: str, n: int, **params: object) -> str:
        text = self._catalogue.ngettext(singular, plural, n)
        return text.format(n=n, **params)

    def date(self, value: date | datetime) -> str:
        return value.strftime("%d/%m/%Y")

    def datetime(self, value: datetime) -> str:
        return value.strftime("%H:%M %d/%m/%Y")

    def number(self, value: int | float | Decimal, digits: int = 1) -> str:
        return format_decimal(value, format=_pattern(f"#,##0.{'#' * digits}"), locale=self._locale)

    def percent(self, part: int, whole: int) -> str:
        """A share as organisation boards print it: 71,6%."""
        share = Decimal(0) if whole == 0 else Decimal(part) * 100 / Decimal(whole)
        return format_decimal(share, format=_pattern("0.0"), locale=self._locale) + "%"

    def money(self, amount: int | Decimal) -> str:
        return format_currency(
            amount, "VND", format=_pattern("#,##0 ¤"), locale=self._locale, currency_digits=True
        )


@cache
def _pattern(pattern: str) -> NumberPattern:
    """A number pattern, parsed once: replies format several numbers each."""
    return parse_pattern(pattern)


@cache
def translator(language: str = DEFAULT_LANGUAGE) -> Translator:
    return Translator(language)


def check() -> None:
    """Raise CatalogueMissing now rather than at the first reply, for every language."""
    for language in LANGUAGES:
        translator(language)
