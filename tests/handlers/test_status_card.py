"""The status card of a typical official, as a phone shows it: the verdict first, each missing
item with its deadline and course, the met items on one line, under 700 characters in vi and
en; the rules behind a "Căn cứ" button (a numbered option where there are no buttons)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.conversation import Conversation
from rules.scales import GeneralEducation, PoliticalTheory, ProfessionalLevel
from storage.callback_data import Citations
from storage.db import session_factory
from storage.models import Channel, Enrollment, EnrollmentStatus, Official
from tests.handlers.conftest import NOW, Chat, World, linked_chat, new_code

LIMIT = 700
CARDS = {
    "vi": [
        "Anh/chị còn thiếu 2 tiêu chuẩn: Lý luận chính trị, Bồi dưỡng cập nhật kiến thức hằng "
        "năm; hạn gần nhất 31/12/2025.",
        "❌ Lý luận chính trị: cần trung cấp trở lên, hiện có sơ cấp",
        "   Hạn 01/08/2028 (còn 1.156 ngày)",
        "   Lớp: Trung cấp LLCT khóa 12, khai giảng 01/09/2025",
        "❌ Bồi dưỡng cập nhật kiến thức hằng năm: năm nay đã học 0/1 khóa (chưa xác nhận)",
        "   Hạn 31/12/2025 (còn 212 ngày)",
        "   Lớp: Cập nhật kiến thức 2025, khai giảng 06/10/2025",
        "✅ Đã đạt: Trình độ học vấn, Trình độ chuyên môn.",
        "",
        "Nguyễn Văn An, Chủ tịch UBND, Phường Hoàn Kiếm. Tiêu chuẩn theo Nghị định "
        "33/2023/NĐ-CP, tính đến ngày 02/06/2025.",
    ],
    "en": [
        "You are missing 2 standards: Political theory, Yearly refresher training; nearest "
        "deadline 31/12/2025.",
        "❌ Political theory: intermediate or higher needed, you have elementary",
        "   Due 01/08/2028 (1,156 days left)",
        "   Course: Trung cấp LLCT khóa 12, starts 01/09/2025",
        "❌ Yearly refresher training: 0 of 1 courses this year (rule not confirmed)",
        "   Due 31/12/2025 (212 days left)",
        "   Course: Cập nhật kiến thức 2025, starts 06/10/2025",
        "✅ Met: General education, Professional level.",
        "",
        "Nguyễn Văn An, Chair of the People's Committee, Phường Hoàn Kiếm. Standards of Nghị "
        "định 33/2023/NĐ-CP, on 02/06/2025.",
    ],
}


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_a_typical_officials_card_reads_at_a_glance(world, conversation, engine, language):
    chat = await linked_chat(conversation, engine, world.official)
    await chat.send(f"/caidat {language}")

    [card] = await chat.send("/trangthai")

    assert card.text.splitlines() == CARDS[language]
    assert len(card.text) < LIMIT, len(card.text)
    assert "Điều 8" not in card.text  # citations wait behind the button
    [[button]] = card.buttons
    label = {"vi": "Căn cứ", "en": "Legal basis"}[language]
    assert (button.label, button.meaning) == (label, Citations())
    [basis] = await chat.press(button.data)
    assert "Nghị định 33/2023/NĐ-CP, Điều 8" in basis.text
    assert "Nghị định 33/2023/NĐ-CP, Điều 38" in basis.text


async def _qualify_the_other(
    conversation: Conversation, engine: AsyncEngine, world: World, **levels: Any
) -> Chat:
    """The world's other official with the degree and schooling the post needs, and
    ``levels``; their chat."""
    async with session_factory(engine)() as session:
        official = await session.get(Official, world.other.id)
        assert official is not None
        official.general_education = GeneralEducation.UPPER_SECONDARY
        official.professional_level = ProfessionalLevel.UNIVERSITY
        for name, level in levels.items():
            setattr(official, name, level)
        await session.commit()
    return await linked_chat(conversation, engine, world.other)


async def test_a_level_not_held_at_all_reads_grammatically(world, conversation, engine):
    chat = await _qualify_the_other(
        conversation, engine, world, political_theory=PoliticalTheory.NONE
    )

    card = await chat.say("/trangthai")

    assert "❌ Lý luận chính trị: cần trung cấp trở lên, hiện chưa có" in card
    assert "hiện có chưa có" not in card


async def test_an_official_meeting_every_standard_reads_so_first(world, conversation, engine):
    chat = await _qualify_the_other(conversation, engine, world)
    async with session_factory(engine)() as session:
        session.add(
            Enrollment(
                official_id=world.other.id,
                course_id=world.refresher.id,
                status=EnrollmentStatus.COMPLETED,
                completed_on=NOW.date(),
            )
        )
        await session.commit()

    card = await chat.say("/trangthai")

    assert card.startswith(
        "Anh/chị đã đạt tất cả tiêu chuẩn của chức danh.\n✅ Đã đạt: Trình độ học vấn, "
    )


@pytest.mark.parametrize("channel", [Channel.ZALO, Channel.TERMINAL])
async def test_without_buttons_the_citations_are_a_numbered_option(
    world, conversation, engine, channel
):
    say = Chat(conversation, chat_id="z1", channel=channel).say
    await say(await new_code(engine, world.official))
    card = await say("/trangthai")
    assert "\n\n1. Căn cứ\nGõ 1 để chọn." in card
    assert (await say("1")).startswith("Căn cứ:\n• Trình độ học vấn: Nghị định 33/2023/NĐ-CP")
