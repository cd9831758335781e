"""`canbo zns token`: a new refresh token from standard input replaces the stored pair, is
never printed, and the replacement is audited; the next send refreshes with it."""

from __future__ import annotations

import asyncio
import io

from sqlalchemy import select

from bot.cli import main
from storage.db import create_engine, session_factory
from storage.models import AuditEntry, OaToken
from tests.cli_database import cli_database
from tests.fakes.zns_api import FakeZns


async def _nothing(url: str) -> None:
    return None


async def _stored(url: str) -> tuple[OaToken | None, list[str]]:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            token = await session.scalar(select(OaToken))
            actions = list(await session.scalars(select(AuditEntry.action)))
    finally:
        await engine.dispose()
    return token, actions


def test_a_new_refresh_token_from_stdin_is_stored_and_audited(tmp_path, monkeypatch, capsys):
    url = cli_database(tmp_path, monkeypatch, _nothing)
    monkeypatch.setenv("CANBO_ZNS_APP_ID", "4410559234537725871")
    monkeypatch.setenv("CANBO_ZNS_SECRET_KEY", "fake-oa-app-s3cret")
    monkeypatch.setattr("sys.stdin", io.StringIO("rt-from-a-new-authorisation\n"))

    assert main(["zns", "token"]) == 0

    out = capsys.readouterr().out
    token, actions = asyncio.run(_stored(url))
    assert token is not None and token.refresh_token == "rt-from-a-new-authorisation"
    assert token.access_token is None
    assert actions == ["zns.token"]
    assert "rt-from" not in out
    assert out.startswith("Đã lưu refresh token của OA")


def test_without_zns_settings_or_a_token_nothing_changes(tmp_path, monkeypatch, capsys):
    url = cli_database(tmp_path, monkeypatch, _nothing)
    monkeypatch.setattr("sys.stdin", io.StringIO("rt-x\n"))
    assert main(["zns", "token"]) == 1
    monkeypatch.setenv("CANBO_ZNS_APP_ID", "4410559234537725871")
    monkeypatch.setenv("CANBO_ZNS_SECRET_KEY", "fake-oa-app-s3cret")
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert main(["zns", "token"]) == 1

    errors = capsys.readouterr().err.splitlines()
    assert errors == [
        "ZNS chưa được cấu hình: hãy đặt CANBO_ZNS_APP_ID và CANBO_ZNS_SECRET_KEY.",
        "Không nhận được refresh token nào từ đầu vào chuẩn.",
    ]
    assert asyncio.run(_stored(url)) == (None, [])


async def test_the_replaced_token_is_the_one_the_next_refresh_spends(zns_api: FakeZns, engine):
    from tests.zns.conftest import oa_tokens

    tokens = oa_tokens(zns_api, engine)
    await tokens.seed(zns_api.issue_refresh_token())
    await tokens.access_token()
    fresh = zns_api.issue_refresh_token()
    async with session_factory(engine)() as session:
        await tokens.replace(session, fresh)
        await session.commit()

    await tokens.access_token()
    await tokens.close()

    assert zns_api.refreshes[-1] == fresh
