"""The package as an operator installs it: `python -m build` makes an sdist and a wheel from
it, the wheel goes into a bare virtual environment, and the installed `canbo` migrates a
database, loads the demo province and answers in Vietnamese and English, from a directory
that is not the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LEFT_OUT = shutil.ignore_patterns(
    ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "*.mo", "*.db*"
)


def _run(
    command: list[str | Path], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=cwd, env=env)
    assert done.returncode == 0, f"{command}: {done.stderr[-2000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bin/ folder of a bare virtual environment holding only the wheel and what it needs.
    The sources are copied first, without compiled catalogues, so only the build makes them."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=LEFT_OUT)
    _run([sys.executable, "-m", "build", "--outdir", work / "dist", source])
    (wheel,) = (work / "dist").glob("canbo-*.whl")
    venv = work / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    # the checkout's pip installs into the bare environment (no pip of its own to set up)
    pip: list[str | Path] = [sys.executable, "-m", "pip", "--python", venv / "bin" / "python"]
    _run([*pip, "install", "--quiet", "--no-compile", wheel])
    yield venv / "bin"


def test_the_built_wheel_answers_in_both_languages(installed, tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CANBO_", "PYTHON", "VIRTUAL_ENV"))
    }
    env["CANBO_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'canbo.db'}"

    def canbo(*words: str) -> str:
        return _run([installed / "canbo", *words], cwd=tmp_path, env=env).stdout

    where = _run(
        [installed / "python", "-c", "import bot, locales; print(bot.__file__, locales.__file__)"],
        cwd=tmp_path,
        env=env,
    ).stdout
    assert str(ROOT) not in where and str(installed.parent) in where
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert canbo("--version").strip() == f"canbo {version}"
    canbo("db", "upgrade")
    assert "Đã tạo tỉnh mẫu Bắc Ninh" in canbo("demo")
    assert "Tiêu chuẩn theo " in canbo("status", "DEMO-0005")  # the law in force today
    assert "Standards of " in canbo("status", "DEMO-0005", "--lang", "en")
    assert canbo("ask", "--as", "DEMO-0005", "toi da dat chuan chua").strip()
    # the console's templates and static files ship in the wheel, and it signs in by link
    shipped = _run(
        [
            installed / "python",
            "-c",
            "from importlib import resources; c = resources.files('bot.console'); "
            "print([(c / p).is_file() for p in ('templates/base.html', 'templates/table.html', "
            "'static/htmx.min.js', 'static/htmx.LICENSE.txt', 'static/console.css')])",
        ],
        cwd=tmp_path,
        env=env,
    ).stdout
    assert shipped.strip() == str([True] * 5)
    canbo("roles", "grant", "--official", "DEMO-0001", "--role", "admin")
    assert "/console/signin?token=" in canbo("console", "link", "--official", "DEMO-0001")
