"""The menu: a coordinator's has their tasks under the topics, in the chat's language; pressing
a task's label starts it like its command; officials without a role never see them."""

from __future__ import annotations

from tests.handlers.conftest import Chat, linked_chat

TASKS_VI = ("Gửi thông báo", "Kết quả gửi", "Báo cáo")
TASKS_EN = ("Announce", "Deliveries", "Report")


async def test_a_coordinator_has_their_tasks_in_the_menu(world, conversation, engine):
    coordinator = await linked_chat(conversation, engine, world.coordinator, chat_id="2001")
    [help_reply] = await coordinator.send("/trogiup")
    assert help_reply.menu is not None and help_reply.menu[-1] == TASKS_VI
    assert await coordinator.say("Gửi thông báo") == await coordinator.say("/thongbao")
    assert await coordinator.say("Báo cáo") == await coordinator.say("/baocao")
    [switched] = await coordinator.send("/caidat en")
    assert switched.menu is not None and switched.menu[-1] == TASKS_EN
    assert "/broadcast sends an announcement" in await coordinator.say("/help")


async def test_an_official_without_a_role_has_only_the_topics(world, conversation, engine):
    chat = await linked_chat(conversation, engine, world.official)
    [help_reply] = await chat.send("/trogiup")
    assert help_reply.menu is not None and len(help_reply.menu) == 3
    assert "Lệnh này dành cho cán bộ phụ trách" in await chat.say("Gửi thông báo")


async def test_the_share_phone_button_follows_the_chosen_language(world, conversation):
    chat = Chat(conversation, language_hint="vi")
    [vietnamese] = await chat.send("/trangthai")
    await chat.send("/caidat en")
    [english] = await chat.send("/trangthai")
    assert vietnamese.request_contact == "Chia sẻ số điện thoại của tôi"
    assert english.request_contact == "Share my phone number"
