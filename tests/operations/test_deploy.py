"""deploy/ as the tools that run it read it: systemd accepts the unit and rates its sandbox,
nginx accepts the site with its TLS and proxy settings. Skipped, saying why, where the tools
are not installed (.ci/run installs them)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
CANBO = Path(sys.executable).with_name("canbo")
INSTALLED_AT = "/opt/canbo/venv/bin/canbo"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(
            f"{name} is not installed (Debian: apt-get install systemd nginx-light openssl)"
        )
    return found


def _run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)


@pytest.fixture
def unit(tmp_path: Path) -> Path:
    """Worker 1 of the template unit, running this checkout's `canbo` (systemd checks that
    ExecStart exists)."""
    text = (DEPLOY / "canbo@.service").read_text().replace(INSTALLED_AT, str(CANBO))
    path = tmp_path / "canbo@1.service"
    path.write_text(text)
    return path


def test_systemd_accepts_the_unit(unit):
    checked = _run(_tool("systemd-analyze"), "verify", "--man=no", "--generators=no", unit)
    assert (checked.returncode, checked.stderr) == (0, "")


def test_the_unit_is_sandboxed(unit):
    text = unit.read_text()
    for setting in ("ProtectSystem=strict", "NoNewPrivileges=yes", "User=canbo"):
        assert setting in text.splitlines()
    # systemd's own rating: 0 (locked down) to 10 (unprotected); "OK" is below 2.0 here
    rated = _run(_tool("systemd-analyze"), "security", "--offline=yes", "--threshold=20", unit)
    assert rated.returncode == 0, rated.stdout[-1500:]


def test_nginx_accepts_the_site(tmp_path):
    nginx = _tool("nginx")
    certificate, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    made = _run(
        _tool("openssl"),
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=canbo.example.gov.vn",
        "-keyout",
        key,
        "-out",
        certificate,
    )
    assert made.returncode == 0, made.stderr
    site = (
        (DEPLOY / "nginx" / "canbo.conf")
        .read_text()
        .replace("/etc/letsencrypt/live/canbo.example.gov.vn/", f"{tmp_path}/")
        .replace("/var/log/nginx/", f"{tmp_path}/")
    )
    (tmp_path / "canbo.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    include {tmp_path}/canbo.conf;\n}}\n"
    )
    checked = _run(nginx, "-t", "-p", tmp_path, "-c", tmp_path / "nginx.conf")
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr
