"""Greetings, thanks, "ok", emoji and other topics get a short friendly answer with the menu; a
question not understood gets the closest topics as buttons; a code-shaped text from a chat not
linked yet gets the answer about codes."""

from __future__ import annotations

import pytest

from storage.callback_data import Ask, decode
from tests.handlers.conftest import Chat, linked_chat

MENU_FIRST_ROW = ("Tình trạng chuẩn hóa", "Hạn đào tạo")


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("xin chào", "Xin chào Nguyễn Văn An!"),
        ("Chào bạn", "Xin chào Nguyễn Văn An!"),
        ("cảm ơn", "Không có gì ạ."),
        ("thanks", "Không có gì ạ."),
        ("ok", "Vâng ạ."),
        ("👍", "😊"),
        ("giá vàng hôm nay", "Tôi chỉ giúp được về tình trạng chuẩn hóa"),
    ],
)
async def test_small_talk_gets_a_short_friendly_answer_with_the_menu(
    world, conversation, engine, text, start
):
    chat = await linked_chat(conversation, engine, world.official)
    [reply] = await chat.send(text)
    assert reply.text.startswith(start)
    assert len(reply.text) < 200
    assert reply.menu and reply.menu[0] == MENU_FIRST_ROW


async def test_a_question_not_understood_offers_the_closest_topics(world, conversation, engine):
    chat = await linked_chat(conversation, engine, world.official)
    [reply] = await chat.send("bn")
    assert reply.text.startswith("Tôi chưa rõ anh/chị muốn hỏi gì. Có phải anh/chị muốn hỏi:")
    buttons = [button for row in reply.buttons for button in row]
    assert len(buttons) == 3 and all(isinstance(b.meaning, Ask) for b in buttons)
    bond = next(b for b in buttons if b.label == "Cam kết")
    assert await chat.press(bond.data) == await chat.send("/camket")


async def test_a_greeting_before_linking_says_how_to_link(world, conversation):
    [reply] = await Chat(conversation).send("xin chào")
    assert reply.text.startswith("Xin chào!")
    assert "Hãy gửi mã liên kết nhận từ Ban Tổ chức" in reply.text
    assert reply.request_contact == "Chia sẻ số điện thoại của tôi"
    assert reply.menu is None


@pytest.mark.parametrize("text", ["K7QX-9PMO", "k7qx 9pm", "ABCD1234", "AB12-CD34"])
async def test_a_code_shaped_text_before_linking_gets_the_answer_about_codes(
    world, conversation, text
):
    [reply] = await Chat(conversation).send(text)
    assert reply.text.startswith("Mã này không hợp lệ")


async def test_a_stale_or_forged_button_gets_a_polite_answer(world, conversation, engine):
    chat = await linked_chat(conversation, engine, world.official)
    for data in ("reg:²", "ask:nothing", "2:bq:1:show:20251332", "zzz", "9:reg:1"):
        [reply] = await chat.press(data)
        assert reply.text.startswith("Nút này không còn hiệu lực"), data
    assert decode("ask:status") == Ask("status")


async def test_before_linking_a_question_not_understood_says_how_to_link(world, conversation):
    [reply] = await Chat(conversation).send("bn")
    assert reply.text.startswith("Xin lỗi, tôi chưa hiểu.")
    assert "Hãy gửi mã liên kết" in reply.text and reply.buttons == ()
