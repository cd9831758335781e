"""Linking a chat to an official: by deep link, typed code, own phone number; and refusing
expired, reused and guessed codes, someone else's number and ambiguous numbers."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from handlers.linking import normalise_code, normalise_phone
from storage.db import session_factory
from storage.models import AuditEntry, ChatAccount, LinkCode, LinkFailure, Official
from tests.handlers.conftest import NOW, Chat, linked_chat, new_code

NOT_LINKED = "chưa được liên kết với hồ sơ"


async def test_deep_link_links_the_chat_and_shows_the_menu(world, conversation, engine):
    chat = Chat(conversation)
    [reply] = await chat.send(f"/start {await new_code(engine, world.official)}")
    assert "Liên kết thành công. Xin chào Nguyễn Văn An" in reply.text
    assert "Chủ tịch UBND, Phường Hoàn Kiếm" in reply.text
    assert reply.menu and "Tình trạng chuẩn hóa" in reply.menu[0]
    assert "Nguyễn Văn An" in await chat.say("/trangthai")


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code,
        lambda code: code.lower(),
        lambda code: code.replace("-", ""),
        lambda code: code.replace("-", " "),
        lambda code: f"  {code.lower().replace('-', ' - ')} ",
    ],
    ids=["as-issued", "lower-case", "no-dash", "space", "padded"],
)
async def test_a_typed_code_links_however_it_is_written(world, conversation, engine, typed):
    chat = Chat(conversation)
    code = await new_code(engine, world.official)
    assert "Liên kết thành công" in await chat.say(typed(code))
    assert "Lý luận chính trị" in await chat.say("/trangthai")


async def test_only_a_hash_of_the_code_is_stored(world, engine):
    code = await new_code(engine, world.official)
    async with session_factory(engine)() as session:
        [stored] = await session.scalars(select(LinkCode.code_hash))
    assert code not in stored and code.replace("-", "") not in stored
    assert stored == hashlib.sha256(code.replace("-", "").encode()).hexdigest()


async def test_an_expired_code_is_refused(world, conversation, engine):
    code = await new_code(engine, world.official, now=NOW - timedelta(days=8))
    chat = Chat(conversation)
    assert "Mã này đã hết hạn ngày 01/06/2025" in await chat.say(f"/start {code}")
    assert NOT_LINKED in await chat.say("/trangthai")


async def test_a_used_code_is_refused_to_a_second_chat(world, conversation, engine):
    code = await new_code(engine, world.official)
    assert "Liên kết thành công" in await Chat(conversation, "1001").say(code)
    intruder = Chat(conversation, "2002")
    assert "Mã này đã được sử dụng" in await intruder.say(code)
    assert NOT_LINKED in await intruder.say("/trangthai")


async def test_an_unknown_code_is_refused_in_english_too(world, conversation):
    chat = Chat(conversation, language_hint="en-GB")
    assert "This code is not valid" in await chat.say("/start ABCD-2345")


async def test_five_wrong_codes_lock_the_chat_for_the_hour(world, conversation, engine):
    chat = Chat(conversation)
    for minute in range(5):
        reply = await chat.say("K7QX-9PMA", now=NOW + timedelta(minutes=minute))
        assert "Mã này không hợp lệ" in reply
    code = await new_code(engine, world.official)
    refused = await chat.say(code, now=NOW + timedelta(minutes=30))
    assert "nhập sai mã quá nhiều lần" in refused
    assert "11:00 02/06/2025" in refused  # the first wrong code's hour ends, local time
    assert NOT_LINKED in await chat.say("/trangthai")
    assert "Liên kết thành công" in await Chat(conversation, "3003").say("/start " + code)


async def test_the_lock_ends_an_hour_after_the_wrong_codes(world, conversation, engine):
    chat = Chat(conversation)
    for minute in range(5):
        await chat.say("K7QX-9PMA", now=NOW + timedelta(minutes=minute))
    code = await new_code(engine, world.official)
    assert "quá nhiều lần" in await chat.say(code, now=NOW + timedelta(minutes=59))
    assert "Liên kết thành công" in await chat.say(code, now=NOW + timedelta(minutes=61))


async def test_a_refused_attempt_does_not_extend_the_lock(world, conversation, engine):
    chat = Chat(conversation)
    for minute in range(5):
        await chat.say("K7QX-9PMA", now=NOW + timedelta(minutes=minute))
    await chat.say("K7QX-9PMA", now=NOW + timedelta(minutes=50))
    async with session_factory(engine)() as session:
        assert await session.scalar(select(func.count()).select_from(LinkFailure)) == 5


async def test_own_contact_links_the_chat(world, conversation, engine):
    chat = Chat(conversation, "555", sender_id="555")
    [reply] = await chat.share("0912 345 678", user_id="555")
    assert "Liên kết thành công. Xin chào Nguyễn Văn An" in reply.text
    async with session_factory(engine)() as session:
        [entry] = await session.scalars(select(AuditEntry))
    assert entry.action == "chat.linked" and "912345678" not in str(entry.detail)


async def test_someone_elses_contact_is_refused(world, conversation):
    chat = Chat(conversation, "555", sender_id="555")
    [reply] = await chat.share("+84912345678", user_id="777")
    assert "số điện thoại của chính anh/chị" in reply.text and reply.request_contact
    [reply] = await chat.share("+84912345678", user_id=None)
    assert "số điện thoại của chính anh/chị" in reply.text
    assert NOT_LINKED in await chat.say("/trangthai")


async def test_a_number_on_no_record_is_refused(world, conversation):
    chat = Chat(conversation, "555")
    [reply] = await chat.share("+84900000000", user_id="555")
    assert "Không có hồ sơ nào có số điện thoại này" in reply.text
    assert NOT_LINKED in await chat.say("/trangthai")


async def test_a_number_on_two_records_is_refused(world, conversation, engine):
    async with session_factory(engine)() as session:
        other = await session.get(Official, world.other.id)
        assert other is not None
        other.phone = "+84912345678"
        await session.commit()
    chat = Chat(conversation, "555")
    [reply] = await chat.share("84912345678", user_id="555")
    assert "có trong nhiều hồ sơ" in reply.text
    assert NOT_LINKED in await chat.say("/trangthai")


async def test_unlink_forgets_the_official(world, conversation, engine):
    chat = await linked_chat(conversation, engine, world.official)
    [reply] = await chat.send("/huylienket")
    assert "Đã hủy liên kết" in reply.text and "Nguyễn Văn An" in reply.text
    assert reply.menu is None
    assert NOT_LINKED in await chat.say("/trangthai")
    assert "chưa liên kết với hồ sơ nào" in await chat.say("/unlink")
    async with session_factory(engine)() as session:
        account = await session.scalar(select(ChatAccount))
        assert account is not None and account.official_id is None


async def test_a_chat_sees_only_its_own_record(world, conversation, engine):
    chat = await linked_chat(conversation, engine, world.official)
    reply = await chat.say("/trangthai CB002")
    assert "Nguyễn Văn An" in reply and "Trần Thị Bình" not in reply


def test_code_and_phone_normalisation():
    assert normalise_code("k7qx 9pma") == "K7QX9PMA"
    assert normalise_code("thongtin") is None  # a word, not a code: codes hold a digit
    assert normalise_code("K7QX-9PM") is None
    assert normalise_code("K0QX-9PMA") is None  # 0 is not in the alphabet
    assert normalise_phone("0912.345.678") == "+84912345678"
    assert normalise_phone("+84 912 345 678") == "+84912345678"
    assert normalise_phone("+1 202 555 0100") is None
