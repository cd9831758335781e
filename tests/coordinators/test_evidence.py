"""Evidence from officials (storage.evidence, handlers.evidence): a certificate photo sent in the
Telegram chat is kept, the official says what it proves with a button, it waits in the queue of
their commune's coordinator, and confirming it raises the level the rules read, audited and told
to the official. Bad files change nothing; stale and forged buttons are answered politely; a
coordinator of another commune can neither see nor decide; files go per the retention policy.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from rules.scales import PoliticalTheory, ProfessionalLevel
from storage import evidence
from storage.access import OutOfScope, Refused
from storage.callback_data import EvidenceStep, encode
from storage.facts import completed_trainings
from storage.models import (
    AuditEntry,
    Course,
    CourseKind,
    Evidence,
    EvidenceKind,
    EvidenceStatus,
    Official,
)
from storage.retention import Retention, purge
from tests.coordinators.conftest import CA, CHATS, dispatch, soon
from tests.coordinators.test_registrations import actor
from tests.fakes.telegram_api import FakeTelegram, SentMessage
from tests.telegram.chat import Chat

NOW = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)


def certificate_photo() -> bytes:
    """A real JPEG, as a phone camera makes one (browsers show it)."""
    picture = Image.new("RGB", (480, 320), "#fdf6e3")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((10, 10, 469, 309), outline="#8b1a1a", width=6)
    draw.text((60, 120), "CHUNG CHI TRUNG CAP LY LUAN CHINH TRI", fill="#8b1a1a")
    draw.text((150, 170), "Nguyen Van An, 2026", fill="#333333")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


JPEG = certificate_photo()
PDF = b"%PDF-1.7\n" + b"0" * 2048


async def send_certificate(fake: FakeTelegram, code: str, answer: str) -> SentMessage:
    """The official sends a photo and presses the button ``answer`` (part of its label); the
    bot's question, with the buttons."""
    chat = Chat(fake, CHATS[code])
    (question,) = await chat.send_photo(JPEG)
    assert question.text is not None and question.text.startswith("Đã nhận photo-")
    labels = [row[0]["text"] for row in question.buttons]
    assert labels == [
        "🎓 Bằng tốt nghiệp",
        "📕 Chứng chỉ LLCT",
        "📗 Chứng chỉ QLNN",
        "📘 Hoàn thành bồi dưỡng",
        "Không gửi",
    ]
    label = next(label for label in labels if answer in label)
    (sent,) = await chat.press(question, label)
    assert sent.text is not None
    return question


async def _only(session) -> Evidence:
    session.expire_all()
    found: Evidence = (await session.scalars(select(Evidence))).one()
    return found


async def test_a_photo_is_queued_and_confirming_it_raises_the_level(
    bot, fake, session, engine, world
):
    await send_certificate(fake, "A1", "LLCT")
    received = await _only(session)
    assert (received.kind, received.status, received.mime_type) == (
        EvidenceKind.POLITICAL_THEORY,
        EvidenceStatus.PENDING,
        "image/jpeg",
    )
    assert received.content == JPEG  # the full picture, not the thumbnail
    ca = await actor(session, world, "CA")
    assert [e.id for e in await evidence.pending(session, ca)] == [received.id]

    finding = evidence.Finding(level="intermediate")
    await evidence.confirm(session, ca, received.id, finding, NOW, NOW.date())
    await session.commit()
    await dispatch(engine, fake, soon())

    session.expire_all()
    a1 = await session.scalar(select(Official).where(Official.code == "A1"))
    assert a1 is not None and a1.political_theory is PoliticalTheory.INTERMEDIATE
    told = [m.text for m in fake.sent if m.chat_id == CHATS["A1"]]
    assert (
        "Ban Tổ chức đã kiểm tra tệp anh/chị gửi (chứng chỉ lý luận chính trị (LLCT)) "
        "và cập nhật hồ sơ." in told
    )
    assert (
        "Nguyễn Văn An (A1, Xã An Bình) đã gửi chứng chỉ lý luận chính trị (LLCT) để kiểm tra: "
        "xem mục Minh chứng trên bảng điều khiển." in [m.text for m in fake.sent if m.chat_id == CA]
    )
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "evidence.confirm"))
    assert entry is not None and entry.detail == {
        "official": "A1",
        "kind": "political_theory",
        "field": "political_theory",
        "value": "intermediate",
        "previous": "elementary",
    }
    assert await evidence.pending(session, ca) == []


async def test_a_stale_or_forged_button_changes_nothing(bot, fake, session, world):
    question = await send_certificate(fake, "A1", "LLCT")
    chat = Chat(fake, CHATS["A1"])
    (again,) = await chat.press(question, "🎓 Bằng tốt nghiệp")
    assert again.text == "Tệp này không còn chờ trả lời; nếu cần, hãy gửi lại."
    received = await _only(session)
    forged = encode(EvidenceStep(received.id, "degree"))
    other = Chat(fake, CHATS["A2"])
    (refused,) = await other.deliver(fake.callback(forged, user_id=CHATS["A2"]))
    assert refused.text == "Tệp này không còn chờ trả lời; nếu cần, hãy gửi lại."
    assert (await _only(session)).kind is EvidenceKind.POLITICAL_THEORY


@pytest.mark.parametrize(
    ("content", "name", "said"),
    [
        (b"%PDF-1.7\n" + b"0" * (10 * 2**20), "bang.pdf", "Tệp quá lớn"),
        (b"PK\x03\x04 not a certificate", "bang.docx", "Tôi nhận văn bằng, chứng chỉ dưới dạng"),
        (b"just text", "bang.jpg", "Tôi nhận văn bằng, chứng chỉ dưới dạng"),
    ],
)
async def test_a_bad_file_is_refused_with_a_reason_and_nothing_kept(
    bot, fake, session, world, content, name, said
):
    (reply,) = await Chat(fake, CHATS["A1"]).send_file(content, name)

    assert reply.text is not None and reply.text.startswith(said)
    assert reply.buttons == []
    assert await session.scalar(select(func.count()).select_from(Evidence)) == 0


async def test_a_coordinators_photo_is_evidence_their_spreadsheet_a_roster(bot, fake, world):
    (reply,) = await Chat(fake, CA).send_file(PDF, "bang-thac-si.pdf")
    assert reply.text is not None and reply.text.startswith("Đã nhận bang-thac-si.pdf.")


async def test_another_communes_coordinator_neither_sees_nor_decides(bot, fake, session, world):
    await send_certificate(fake, "B1", "Bằng")
    received = await _only(session)
    ca = await actor(session, world, "CA")

    assert await evidence.pending(session, ca) == []
    with pytest.raises(OutOfScope):
        await evidence.open_file(session, ca, received.id)
    with pytest.raises(OutOfScope):
        await evidence.confirm(
            session, ca, received.id, evidence.Finding(level="master"), NOW, NOW.date()
        )
    await session.rollback()
    session.expire_all()
    b1 = await session.scalar(select(Official).where(Official.code == "B1"))
    assert b1 is not None and b1.professional_level is ProfessionalLevel.UNIVERSITY
    admin = await actor(session, world, "AD")
    assert [e.id for e in await evidence.pending(session, admin)] == [received.id]


async def test_a_level_is_never_lowered_and_a_decline_is_told(bot, fake, session, engine, world):
    await send_certificate(fake, "A1", "Bằng")
    received = await _only(session)
    ca = await actor(session, world, "CA")
    with pytest.raises(Refused, match="higher level"):
        await evidence.confirm(
            session, ca, received.id, evidence.Finding(level="college"), NOW, NOW.date()
        )
    with pytest.raises(Refused, match="Say why"):
        await evidence.decline(session, ca, received.id, "", NOW)

    await evidence.decline(session, ca, received.id, "Ảnh bị mờ, xin chụp lại", NOW)
    await session.commit()
    await dispatch(engine, fake, soon())

    told = [m.text for m in fake.sent if m.chat_id == CHATS["A1"]]
    assert (
        "Ban Tổ chức chưa chấp nhận tệp anh/chị gửi (bằng tốt nghiệp): Ảnh bị mờ, xin chụp lại"
        in told
    )
    with pytest.raises(Refused, match="already been decided"):
        await evidence.decline(session, ca, received.id, "again", NOW)


async def test_a_refresher_completion_needs_a_refresher_course(bot, fake, session, world):
    await send_certificate(fake, "A1", "bồi dưỡng")
    received = await _only(session)
    ca = await actor(session, world, "CA")
    refresher = Course(
        code="CNKT-2026",
        name="Bồi dưỡng cập nhật kiến thức 2026",
        kind=CourseKind.REFRESHER,
        starts_on=date(2026, 5, 1),
        ends_on=date(2026, 5, 5),
        hours=40,
    )
    session.add(refresher)
    await session.flush()
    llct = await session.scalar(select(Course.id).where(Course.code == "LLCT-TC-2027"))
    with pytest.raises(Refused, match="refresher course"):
        await evidence.confirm(
            session, ca, received.id, evidence.Finding(course_id=llct), NOW, NOW.date()
        )
    finding = evidence.Finding(course_id=refresher.id, completed_on=date(2026, 5, 5))
    await evidence.confirm(session, ca, received.id, finding, NOW, NOW.date())
    await session.commit()

    a1 = received.official_id
    trainings = await completed_trainings(session, [a1])
    assert [(t.kind, t.completed_on) for t in trainings[a1]] == [("refresher", date(2026, 5, 5))]


async def test_files_go_per_the_retention_policy(bot, fake, session, world):
    await send_certificate(fake, "A1", "LLCT")
    waiting = await _only(session)
    retention = Retention(
        chat=timedelta(days=90),
        sent=timedelta(days=365),
        audit=timedelta(days=1825),
        evidence=timedelta(days=90),
    )
    later = waiting.received_at + timedelta(days=200)
    assert (await purge(session, later, retention)).evidence_files == 0  # still to decide
    ca = await actor(session, world, "CA")
    await evidence.decline(session, ca, waiting.id, "Không rõ", waiting.received_at)
    assert (await purge(session, later, retention)).evidence_files == 1
    assert await session.scalar(select(func.count()).select_from(Evidence)) == 0


async def test_where_a_photo_was_taken_is_not_kept(bot, fake, session, world):
    picture = Image.open(io.BytesIO(JPEG))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # the camera's maker
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0)}  # where it was taken
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif.tobytes())
    tagged = buffer.getvalue()

    await Chat(fake, CHATS["A1"]).send_file(tagged, "bang.jpg")

    kept = (await _only(session)).content
    assert kept is not None and b"PhoneMaker" not in kept
    shown = Image.open(io.BytesIO(kept))
    assert shown.size == (480, 320) and dict(shown.getexif()) == {}
