"""Build hook: the wheel carries compiled gettext catalogues.

Everything else about the package is in pyproject.toml. ``build_py`` compiles each
``locales/<lang>/LC_MESSAGES/canbo.po`` into the ``.mo`` that ``locales.Translator`` loads, so a
wheel (or an sdist built into one) answers in Vietnamese without `make`. An editable install
(`make install`) uses the checkout's catalogues, which the Makefile compiles in place.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

CATALOGUES = "locales/*/LC_MESSAGES/*.po"


class BuildWithCatalogues(build_py):  # type: ignore[misc]
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        for source in sorted(Path().glob(CATALOGUES)):
            target = Path(self.build_lib) / source.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with source.open("rb") as po:
                catalogue = read_po(po, locale=source.parts[1])
            with target.open("wb") as mo:
                write_mo(mo, catalogue, use_fuzzy=False)


setup(cmdclass={"build_py": BuildWithCatalogues})
