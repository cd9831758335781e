"""Which profile applies on a date: the bundled profile in force then, unless the deployment pins
one, with the province's override laid over it.

The bundled profiles follow one another: Nghị định 33/2023 from 01/08/2023, the 2025 reform
(Luật Cán bộ, công chức 2025) from 01/07/2025, and so on; the one in force on a day is the
latest whose ``effective`` date is not after it. A day before the first has no older profile
bundled, so the first applies. An evaluation "on" a date uses the profile of that date
(DOMAIN.md, "Corrections": on 30/06/2025 Nghị định 33/2023, on 01/07/2025 the reform).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from rules.profiles.model import Profile
from rules.profiles.reading import (
    ProfileError,
    apply_override,
    extended,
    read_bundled,
    read_override,
)


def available_profiles() -> list[str]:
    """The names of the bundled profiles, sorted."""
    return list(_names())


@cache  # listed once, as each file is read once (_bundled): every answer asks which is in force
def _names() -> tuple[str, ...]:
    return tuple(
        sorted(
            entry.name.removesuffix(".toml")
            for entry in _profile_dir().iterdir()
            if entry.name.endswith(".toml")
        )
    )


def load_profile(name: str, override: str | Path | None = None) -> Profile:
    """The bundled profile ``name``, with a province's ``override`` file laid over it when the
    file amends that profile."""
    if name not in _names():
        raise ValueError(
            f"unknown standards profile {name!r}; available: {', '.join(available_profiles())}"
        )
    if override is None:
        return _bundled(name)
    return _overridden(name, str(override))


def profile_in_force(
    on: date, pin: str | None = None, override: str | Path | None = None
) -> Profile:
    """The profile that applies on ``on``: the bundled one in force that day (or the pinned
    one), with the province's override laid over it."""
    return load_profile(pin or _in_force(on), override)


@dataclass(frozen=True)
class Standards:
    """A deployment's choice of standards (CANBO_STANDARDS_PROFILE, CANBO_STANDARDS_OVERRIDE):
    an optional pin and an optional province override. Checked when made, so a bad name or
    file stops the service at start, not at the first question."""

    pin: str | None = None
    override: Path | None = None

    def __post_init__(self) -> None:
        for name in [self.pin] if self.pin else available_profiles():
            load_profile(name, self.override)

    def on(self, day: date) -> Profile:
        """The profile to evaluate with on ``day``."""
        return profile_in_force(day, self.pin, self.override)


def _in_force(on: date) -> str:
    ordered = sorted(_names(), key=lambda name: _bundled(name).effective)
    current = ordered[0]
    for name in ordered:
        if _bundled(name).effective <= on:
            current = name
    return current


def _profile_dir() -> Any:
    return resources.files("rules") / "profiles"


@cache
def _bundled(name: str) -> Profile:
    """A bundled file, laid over the profile it ``extends`` (if any), which is the very same
    object as that profile loaded on its own."""
    source = f"{name}.toml"
    text = (_profile_dir() / source).read_text(encoding="utf-8")
    parent = extended(text, source)
    _check_chain(name, parent)
    return read_bundled(text, source, _bundled(parent) if parent is not None else None)


def _check_chain(name: str, parent: str | None) -> None:
    """Each profile a bundled file extends, in turn, is another bundled one, never itself."""
    seen = [name]
    while parent is not None:
        if parent not in available_profiles() or parent in seen:
            raise ProfileError(
                f"{seen[-1]}.toml: profile.extends: {parent!r} is not another bundled profile "
                f"(available: {', '.join(available_profiles())})"
            )
        seen.append(parent)
        source = f"{parent}.toml"
        parent = extended((_profile_dir() / source).read_text(encoding="utf-8"), source)


@lru_cache(maxsize=64)  # read once per deployment and profile; a changed file needs a restart
def _overridden(name: str, path: str) -> Profile:
    override = read_override(Path(path))
    base = _bundled(name)
    return apply_override(base, override) if override.applies_to(name) else base
