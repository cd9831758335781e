"""The web chat's JSON API and session cookie, spoken to like the page does."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import aiohttp
from sqlalchemy import func, select

from bot.http import HttpServer, build_web_app
from bot.media import MediaLinks
from bot.webchat.history import KEEP
from bot.webchat.routes import WebChat
from bot.webchat.session import COOKIE, SessionCookies
from handlers.messages import Attachment, Reply
from storage import media
from storage.db import session_factory
from storage.models import Channel, ChatAccount, Enrollment, WebTurn
from storage.types import utcnow
from tests.telegram.records import make_record, new_code
from tests.webchat.conftest import HEADERS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _session(
    client: aiohttp.ClientSession, base_url: str, **headers: str
) -> tuple[int, Any, list[str]]:
    async with client.get(f"{base_url}/chat/api/session", headers=headers) as response:
        return response.status, await response.json(), response.headers.getall("Set-Cookie", [])


async def _say(
    client: aiohttp.ClientSession,
    base_url: str,
    body: dict[str, Any],
    headers: dict[str, str] = HEADERS,
) -> tuple[int, Any]:
    async with client.post(f"{base_url}/chat/api/message", json=body, headers=headers) as r:
        return r.status, await r.json()


async def _linked_courses(client: aiohttp.ClientSession, base_url: str, session) -> tuple[Any, Any]:
    """A browser linked to make_record's official, and its answer to /khoahoc."""
    record = await make_record(session)
    await _session(client, base_url)
    await _say(client, base_url, {"text": await new_code(session, record.official)})
    _status, courses = await _say(client, base_url, {"text": "/khoahoc"})
    return record, courses


async def test_the_landing_page_and_its_files_are_served(browser_client, base_url):
    async with browser_client.get(base_url + "/") as page:
        html = await page.text()
        policy = page.headers["Content-Security-Policy"]
    async with browser_client.get(base_url + "/chat/static/app.js") as script:
        js_type = script.content_type
    async with browser_client.get(base_url + "/chat/static/secret.py") as missing:
        missing_status = missing.status

    assert page.status == 200 and '<script src="/chat/static/app.js"' in html
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert js_type == "text/javascript"
    assert missing_status == 404


async def test_a_new_visitor_gets_a_signed_httponly_lax_cookie(browser_client, base_url):
    status, state, cookies = await _session(browser_client, base_url)

    assert status == 200
    assert state["linked"] is False and state["language"] == "vi"
    assert state["strings"]["link"] == "Liên kết"
    (cookie,) = cookies
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


async def test_the_cookie_is_secure_behind_https(browser_client, base_url):
    _status, _state, (cookie,) = await _session(
        browser_client, base_url, **{"X-Forwarded-Proto": "https"}
    )

    assert "Secure" in cookie


async def test_an_english_browser_gets_english(browser_client, base_url):
    _status, state, _cookies = await _session(
        browser_client, base_url, **{"Accept-Language": "en-GB,en;q=0.9"}
    )

    assert state["language"] == "en" and state["strings"]["send"] == "Send"


async def test_linking_by_code_then_asking_for_status(browser_client, base_url, session):
    record = await make_record(session)
    await _session(browser_client, base_url)

    status, linked = await _say(
        browser_client, base_url, {"text": await new_code(session, record.official)}
    )
    _status, answer = await _say(browser_client, base_url, {"text": "/trangthai"})

    assert status == 200
    assert linked["replies"][0]["text"].startswith("Liên kết thành công. Xin chào Trần Thị Bình")
    assert linked["state"]["linked"] is True
    assert linked["state"]["menu"][0] == ["Tình trạng chuẩn hóa", "Hạn đào tạo"]
    assert "❌ Lý luận chính trị" in answer["replies"][0]["text"]


async def test_buttons_come_as_buttons_and_pressing_one_registers(
    browser_client, base_url, session
):
    record, courses = await _linked_courses(browser_client, base_url, session)
    (row,) = courses["replies"][0]["buttons"]
    _status, question = await _say(browser_client, base_url, {"callback_data": row[0]["data"]})
    ((yes, _no),) = question["replies"][0]["buttons"]
    _status, registered = await _say(browser_client, base_url, {"callback_data": yes["data"]})

    assert row[0]["label"].startswith("1. Trung cấp LLCT khóa 12 · ")
    assert question["replies"][0]["text"].startswith("Đăng ký lớp Trung cấp lý luận chính trị")
    assert registered["replies"][0]["text"].startswith("Anh/chị đã đăng ký khóa")
    assert (
        await session.scalar(
            select(Enrollment.course_id).where(Enrollment.official_id == record.official.id)
        )
        == record.course.id
    )


async def test_switching_the_language(browser_client, base_url):
    await _session(browser_client, base_url)

    async with browser_client.post(
        f"{base_url}/chat/api/language", json={"language": "en"}, headers=HEADERS
    ) as response:
        state = (await response.json())["state"]
    _status, help_reply = await _say(browser_client, base_url, {"text": "/help"})

    assert state["language"] == "en" and state["strings"]["title"] == "Training standards assistant"
    assert help_reply["replies"][0]["text"].startswith("I answer questions")


async def test_posts_without_the_header_or_from_another_site_are_refused(
    browser_client, base_url, session
):
    await _session(browser_client, base_url)

    no_header, _body = await _say(browser_client, base_url, {"text": "/help"}, headers={})
    other_site, _body = await _say(
        browser_client, base_url, {"text": "/help"}, {**HEADERS, "Origin": "https://evil.example"}
    )

    assert (no_header, other_site) == (403, 403)
    assert await session.scalar(select(ChatAccount.id)) is None


async def test_a_forged_cookie_is_no_session(browser_client, base_url, session):
    browser_client.cookie_jar.update_cookies({COOKIE: "someone.1700000000.forged"})

    status, body = await _say(browser_client, base_url, {"text": "/help"})

    assert status == 401 and body == {"error": "no session"}
    assert await session.scalar(select(ChatAccount.id)) is None


async def test_bad_bodies_get_a_400(browser_client, base_url):
    await _session(browser_client, base_url)

    empty, _ = await _say(browser_client, base_url, {"text": "   "})
    neither, _ = await _say(browser_client, base_url, {"number": 2})
    surrogate, _ = await _say(browser_client, base_url, {"callback_data": "\ud800"})

    assert (empty, neither, surrogate) == (400, 400, 400)


async def test_a_long_paste_is_answered_too_long_in_the_users_language(browser_client, base_url):
    await _session(browser_client, base_url, **{"Accept-Language": "en-GB,en"})

    english = {**HEADERS, "Accept-Language": "en-GB,en"}
    status, answer = await _say(
        browser_client, base_url, {"text": "tôi đã đạt chuẩn chưa " * 250}, english
    )

    assert status == 200
    assert answer["replies"][0]["text"].startswith("Your message is too long for me to read.")


async def test_the_conversation_is_kept_for_a_reload_and_forgotten_on_sign_out(
    browser_client, base_url, session
):
    _record, courses = await _linked_courses(browser_client, base_url, session)
    button = courses["replies"][0]["buttons"][0][0]
    await _say(
        browser_client, base_url, {"callback_data": button["data"], "label": button["label"]}
    )
    for number in range(KEEP - 1):
        await _say(browser_client, base_url, {"text": f"cảm ơn {number}"})

    _status, reloaded, _cookies = await _session(browser_client, base_url)

    turns = reloaded["history"]
    assert len(turns) == KEEP
    assert turns[-1]["question"] == f"cảm ơn {KEEP - 2}"
    assert turns[-1]["replies"][0]["text"].startswith("Không có gì ạ.")
    assert turns[0]["question"] == button["label"]  # the pressed button, as the page showed it
    assert turns[0]["replies"][0]["text"].startswith("Đăng ký lớp")
    async with browser_client.post(f"{base_url}/chat/api/signout", json={}, headers=HEADERS):
        pass
    _status, fresh, _cookies = await _session(browser_client, base_url)
    assert fresh["history"] == [] and await session.scalar(select(func.count(WebTurn.id))) == 0


async def test_signing_out_unlinks_this_browser(browser_client, base_url, session):
    record = await make_record(session)
    await _session(browser_client, base_url)
    await _say(browser_client, base_url, {"text": await new_code(session, record.official)})

    async with browser_client.post(
        f"{base_url}/chat/api/signout", json={}, headers=HEADERS
    ) as response:
        signed_out = response.status
    account = await session.scalar(select(ChatAccount).where(ChatAccount.channel == Channel.WEB))

    assert signed_out == 200
    assert account is not None and account.official_id is None
    assert (await _say(browser_client, base_url, {"text": "/help"}))[0] == 401


async def test_a_picture_link_serves_the_file_until_it_expires(base_url, browser_client, session):
    now = utcnow()
    token = await media.store(
        session, b"PNGDATA", "chart.png", "image/png", now, timedelta(hours=1)
    )
    await session.commit()

    async with browser_client.get(f"{base_url}/media/{token}") as response:
        served = (response.status, await response.read(), response.content_type)
    async with browser_client.get(f"{base_url}/media/{secrets.token_urlsafe(24)}") as response:
        wrong = response.status

    assert served == (200, b"PNGDATA", "image/png")
    assert wrong == 404
    assert await media.fetch(session, token, now + timedelta(minutes=59)) is not None
    assert await media.fetch(session, token, now + timedelta(hours=1)) is None


def test_cookies_are_signed_and_expire():
    cookies = SessionCookies(b"k" * 32, max_age=timedelta(days=30))
    now = utcnow()
    value = cookies.value("abc", now)

    assert cookies.read(value, now + timedelta(days=29)) == "abc"
    assert cookies.read(value, now + timedelta(days=31)) is None
    assert cookies.read(value.replace("abc", "abd"), now) is None
    assert SessionCookies(b"j" * 32).read(value, now) is None


class _Charting:
    """A conversation that answers everything with a chart and a spreadsheet."""

    async def handle(self, incoming, now=None):
        return [
            Reply(
                "Biểu đồ",
                picture=Attachment("chart.png", b"\x89PNG-chart", "image/png"),
                document=Attachment("báo cáo.xlsx", b"PK-sheet", XLSX),
            )
        ]


async def test_pictures_and_documents_come_as_links_the_page_can_open(engine, browser_client):
    sessions = session_factory(engine)
    links = MediaLinks(sessions, None)
    chat = WebChat(
        _Charting(),  # type: ignore[arg-type]
        sessions,
        links,
        default_language="vi",
        secret_key="k" * 32,
    )
    routes = [*chat.routes(), links.route()]
    server = HttpServer(build_web_app(routes), "127.0.0.1", 0)
    await server.start()
    base_url = f"http://127.0.0.1:{server.port}"
    try:
        await _session(browser_client, base_url)
        _status, body = await _say(browser_client, base_url, {"text": "/baocao"})
        (reply,) = body["replies"]
        async with browser_client.get(base_url + reply["picture"]["url"]) as picture:
            shown = (picture.content_type, await picture.read())
        async with browser_client.get(base_url + reply["document"]["url"]) as document:
            saved = (document.headers["Content-Disposition"], await document.read())
    finally:
        await server.stop()

    assert shown == ("image/png", b"\x89PNG-chart")
    assert saved == ("attachment; filename*=UTF-8''b%C3%A1o%20c%C3%A1o.xlsx", b"PK-sheet")
    assert reply["document"]["name"] == "báo cáo.xlsx"
