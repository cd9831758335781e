"""CANBO_LOG_FORMAT=json: one JSON object per line, each event with the id of the update or
HTTP request it belongs to; text stays the default."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bot import logs
from bot.http import REQUEST_ID, HttpServer, Route, build_web_app
from tests.fakes.service import channel_settings, running
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram.chat import Chat

CANBO = Path(sys.executable).with_name("canbo")


@pytest.fixture
def json_lines(caplog: pytest.LogCaptureFixture) -> Iterator[io.StringIO]:
    """What the root logger writes at INFO in the JSON format, as `canbo` sets it up."""
    caplog.set_level(logging.INFO)
    stream = io.StringIO()
    handler = logs.handler("json")
    handler.setStream(stream)  # type: ignore[attr-defined]
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


def events(stream: io.StringIO) -> list[dict[str, str]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


async def test_an_http_request_is_logged_with_its_id(json_lines):
    async def page(request: web.Request) -> web.Response:
        logging.getLogger("canbo.test").info("serving %s", request.path)
        return web.Response(text="ok")

    server = HttpServer(build_web_app([Route("GET", "/page", page)]), "127.0.0.1", 0)
    await server.start()
    try:
        async with aiohttp.ClientSession() as client:
            url = f"http://127.0.0.1:{server.port}/page"
            async with client.get(url, headers={REQUEST_ID: "proxy-7f3a"}) as response:
                echoed = response.headers[REQUEST_ID]
            async with client.get(
                url, headers={REQUEST_ID: "id with spaces {and} braces"}
            ) as response:
                made = response.headers[REQUEST_ID]
    finally:
        await server.stop()

    served = [event for event in events(json_lines) if event["logger"] == "canbo.test"]
    assert [(event["message"], event["request_id"]) for event in served] == [
        ("serving /page", "proxy-7f3a"),
        ("serving /page", made),
    ]
    assert echoed == "proxy-7f3a" and len(made) == 32
    assert all(event["level"] == "INFO" and event["time"] for event in served)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_an_update_is_logged_with_its_id(json_lines, database_url, engine, monkeypatch):
    async with FakeTelegram() as fake:
        settings = channel_settings("telegram", fake, database_url)
        async with running(settings, reminders=False) as app:
            handle = app.conversation.handle_once

            async def logged(incoming, update_id):
                logging.getLogger("canbo.test").warning("answering")
                return await handle(incoming, update_id)

            monkeypatch.setattr(app.conversation, "handle_once", logged)
            await Chat(fake, 4242).say("/help")
    (event,) = [event for event in events(json_lines) if event["logger"] == "canbo.test"]
    assert event["message"] == "answering"
    assert int(event["update_id"]) > 0


@pytest.mark.parametrize(("form", "json_format"), [("json", True), ("text", False)])
def test_the_command_line_logs_in_the_format_asked(tmp_path, form, json_format):
    env = {key: value for key, value in os.environ.items() if not key.startswith("CANBO_")}
    env |= {"CANBO_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "CANBO_LOG_FORMAT": form}
    done = subprocess.run(
        [CANBO, "db", "upgrade"], capture_output=True, text=True, env=env, cwd=tmp_path, check=True
    )
    lines = done.stderr.splitlines()
    assert len(lines) >= 4  # one line per migration applied
    if json_format:
        assert all(json.loads(line)["logger"] == "alembic.runtime.migration" for line in lines)
    else:
        assert " INFO alembic.runtime.migration: Running upgrade" in lines[-1]
