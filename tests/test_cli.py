"""The command registry: every listed command loads its module and answers --help."""

from __future__ import annotations

import pytest

from bot.cli import COMMANDS, build_parser, main


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_has_full_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        build_parser([name]).parse_args([name, "--help"])
    assert stopped.value.code == 0
    assert f"usage: canbo {name}" in capsys.readouterr().out


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    listing = capsys.readouterr().out
    assert all(name in listing for name in COMMANDS)


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["frobnicate"])
    assert stopped.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_a_bad_setting_is_named_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CANBO_QUIET_HOURS", "tối")
    assert main(["status", "CB001"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("Cấu hình không hợp lệ CANBO_QUIET_HOURS:")
    assert "Traceback" not in error
