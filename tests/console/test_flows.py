"""The console's courses, registrations, evidence and announcements pages over HTTP, as a
browser uses them: a coordinator of Xã Đại Sơn confirms a registration and a certificate of
their commune (the official's record and outbox change, audited), sends and cancels an
announcement, and can neither see nor change anything of Xã Sơn Động through any of these
URLs, nor open its files."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta

import aiohttp
import pytest
from sqlalchemy import select

from rules.scales import PoliticalTheory
from storage.db import create_engine, session_factory
from storage.models import (
    AuditEntry,
    Broadcast,
    BroadcastStatus,
    Course,
    Enrollment,
    EnrollmentStatus,
    Official,
    OutboxMessage,
    Unit,
)
from storage.outbox import EVIDENCE_DECIDED, REGISTRATION_DECIDED
from tests.console.conftest import AWAY, COORDINATOR, HOME, Served, sign_in
from tests.console.waiting import JPEG, waiting_in
from tests.factories import make_official


@dataclass(frozen=True)
class Cases:
    """One of each for the coordinator's commune (home) and the other's (away)."""

    home_official: int
    away_official: int
    home_registration: int
    away_registration: int
    home_evidence: int
    away_evidence: int
    away_broadcast: int


@pytest.fixture
async def cases(served: Served) -> AsyncIterator[Cases]:
    engine = create_engine(served.database_url)
    async with session_factory(engine)() as session:
        stamp = uuid.uuid4().hex[:8]
        found = []
        for unit_code in (HOME, AWAY):
            unit = await session.scalar(select(Unit).where(Unit.code == unit_code))
            assert unit is not None
            official = await make_official(
                session, f"T-{unit_code}-{stamp}", unit=unit, full_name=f"Cán bộ {stamp}"
            )
            official.political_theory = PoliticalTheory.ELEMENTARY
            found.append((official.id, await waiting_in(session, official, unit)))
        ((home, mine), (away, theirs)) = found
        cases = Cases(
            home,
            away,
            mine.registration,
            theirs.registration,
            mine.evidence,
            theirs.evidence,
            theirs.broadcast,
        )
        await session.commit()
    await engine.dispose()  # nothing of ours holds the database while the service writes
    yield cases


async def _get(client, served, path: str) -> tuple[int, str]:
    async with client.get(served.base_url + path, allow_redirects=False) as response:
        return response.status, await response.text(errors="replace")


async def _post(client, served, path: str, data: dict[str, str], csrf: str) -> tuple[int, str]:
    headers = {"Origin": served.base_url}
    async with client.post(
        served.base_url + path, data={"csrf": csrf, **data}, headers=headers, allow_redirects=False
    ) as response:
        return response.status, await response.text(errors="replace")


async def _db(served: Served, query):
    engine = create_engine(served.database_url)
    try:
        async with session_factory(engine)() as session:
            return (await session.execute(query)).all()
    finally:
        await engine.dispose()


async def test_a_registration_confirmed_in_the_console_is_queued_for_the_official(
    served, client, cases
):
    csrf = await sign_in(served, client, COORDINATOR)
    status, page = await _get(client, served, "/console/registrations")
    assert status == 200
    assert f'id="registration-{cases.home_registration}"' in page
    assert f'id="registration-{cases.away_registration}"' not in page

    status, _page = await _post(
        client, served, f"/console/registrations/{cases.home_registration}/confirm", {}, csrf
    )
    assert status == 303
    rows = await _db(
        served,
        select(OutboxMessage.official_id, OutboxMessage.payload).where(
            OutboxMessage.kind == REGISTRATION_DECIDED
        ),
    )
    assert [(official, payload["decision"]) for official, payload in rows] == [
        (cases.home_official, "confirmed")
    ]
    status, page = await _post(
        client, served, f"/console/registrations/{cases.home_registration}/confirm", {}, csrf
    )
    assert status == 409 and "Đăng ký này đã được xác nhận." in page


async def test_nothing_of_another_commune_is_reachable(served, client, cases):
    """Every route taking an id answers another commune's id exactly as one that does not
    exist: 404, nothing changed."""
    csrf = await sign_in(served, client, COORDINATOR)
    away_r, away_e = cases.away_registration, cases.away_evidence
    away_b = cases.away_broadcast
    answers = []
    for registration, item, broadcast in ((away_r, away_e, away_b), (999_999,) * 3):
        got = []
        for path in (
            f"/console/evidence/{item}",
            f"/console/evidence/{item}/file",
            f"/console/announcements/{broadcast}",
            f"/console/announcements/{broadcast}/live",
            f"/console/announcements/{broadcast}/xlsx",
        ):
            got.append(await _get(client, served, path))
        for path, data in (
            (f"/console/registrations/{registration}/confirm", {}),
            (f"/console/registrations/{registration}/decline", {"reason": "x"}),
            (f"/console/registrations/{registration}/complete", {"on": "01/01/2026"}),
            (f"/console/evidence/{item}/confirm", {"level": "advanced"}),
            (f"/console/evidence/{item}/decline", {"reason": "x"}),
            (f"/console/announcements/{broadcast}/cancel", {}),
        ):
            got.append(await _post(client, served, path, data, csrf))
        answers.append(got)
    away, missing = answers
    assert {status for status, _page in away} == {404}
    assert away == missing  # word for word: an outsider learns nothing
    _status, page = await _get(client, served, "/console/evidence")
    assert f'id="evidence-{away_e}"' not in page and f'id="evidence-{cases.home_evidence}"' in page
    rows = await _db(
        served, select(Enrollment.confirmed_at, Enrollment.status).where(Enrollment.id == away_r)
    )
    assert rows == [(None, EnrollmentStatus.REGISTERED)]
    still = await _db(served, select(Broadcast.status).where(Broadcast.id == away_b))
    assert still == [(BroadcastStatus.SCHEDULED,)]
    (level,) = await _db(
        served, select(Official.political_theory).where(Official.id == cases.away_official)
    )
    assert level == (PoliticalTheory.ELEMENTARY,)
    refusals = await _db(
        served,
        select(AuditEntry.target).where(
            AuditEntry.action == "scope.refused", AuditEntry.target.like(f"%:{away_r}")
        ),
    )
    assert refusals


async def test_a_certificate_confirmed_raises_the_level_and_its_file_is_guarded(
    served, client, cases
):
    csrf = await sign_in(served, client, COORDINATOR)
    home = cases.home_evidence
    async with client.get(f"{served.base_url}/console/evidence/{home}/file") as response:
        assert response.status == 200 and await response.read() == JPEG
        assert response.headers["Content-Type"] == "image/jpeg"
        assert "sandbox" in response.headers["Content-Security-Policy"]
    status, page = await _post(
        client, served, f"/console/evidence/{home}/confirm", {"level": "bogus"}, csrf
    )
    assert status == 409 and "Hãy chọn trình độ ghi trên văn bằng." in page

    status, _page = await _post(
        client, served, f"/console/evidence/{home}/confirm", {"level": "intermediate"}, csrf
    )

    assert status == 303
    (level,) = await _db(
        served, select(Official.political_theory).where(Official.id == cases.home_official)
    )
    assert level == (PoliticalTheory.INTERMEDIATE,)
    told = await _db(
        served,
        select(OutboxMessage.official_id).where(OutboxMessage.kind == EVIDENCE_DECIDED),
    )
    assert (cases.home_official,) in told
    viewed = await _db(served, select(AuditEntry.actor).where(AuditEntry.action == "evidence.view"))
    assert viewed and viewed[-1][0].endswith(COORDINATOR)


async def test_an_announcement_is_counted_previewed_sent_reported_and_cancelled(served, client):
    csrf = await sign_in(served, client, COORDINATOR)
    text = "Họp giao ban <b>thứ Hai</b>"
    status, fragment = await _post(
        client, served, "/console/announcements/draft", {"units": HOME, "text": text}, csrf
    )
    assert status == 200 and 'id="count"' in fragment
    assert "Họp giao ban &lt;b&gt;thứ Hai&lt;/b&gt;" in fragment  # escaped, as a phone shows it
    status, page = await _post(
        client, served, "/console/announcements/draft", {"units": AWAY, "text": text}, csrf
    )
    assert status == 404  # another commune's unit is not a filter this coordinator has

    later = (date.today() + timedelta(days=3)).strftime("%d/%m/%Y") + " 08:00"
    status, _page = await _post(
        client,
        served,
        "/console/announcements",
        {"units": HOME, "text": text, "ack": "1", "when": later},
        csrf,
    )
    assert status == 303
    (broadcast_id,) = (await _db(served, select(Broadcast.id).order_by(Broadcast.id.desc())))[0]
    status, page = await _get(client, served, f"/console/announcements/{broadcast_id}")
    assert status == 200 and 'data-outcome="queued"' in page and 'id="cancel"' in page
    async with client.get(f"{served.base_url}/console/announcements/{broadcast_id}/xlsx") as xlsx:
        assert xlsx.status == 200 and (await xlsx.read())[:2] == b"PK"

    status, _page = await _post(
        client, served, f"/console/announcements/{broadcast_id}/cancel", {}, csrf
    )
    assert status == 303
    status, live = await _get(client, served, f"/console/announcements/{broadcast_id}/live")
    assert status == 200 and 'data-outcome="cancelled"' in live
    problem = await _post(client, served, "/console/announcements", {"text": " "}, csrf)
    assert problem[0] == 409 and "Thông báo chưa có nội dung." in problem[1]


async def test_the_course_list_counts_only_the_coordinators_people(served, client, cases):
    await sign_in(served, client, COORDINATOR)
    codes = {}
    for side, enrollment in (("home", cases.home_registration), ("away", cases.away_registration)):
        ((codes[side],),) = await _db(
            served,
            select(Course.code)
            .join(Enrollment, Enrollment.course_id == Course.id)
            .where(Enrollment.id == enrollment),
        )

    status, page = await _get(client, served, "/console/courses")

    assert status == 200
    for side, shown in (("home", 1), ("away", 0)):  # the other commune's registration: not 1
        row = page.split(f'<td data-label="Mã">{codes[side]}</td>', 1)[1].split("</tr>", 1)[0]
        assert row.rstrip().endswith(f'data-label="Học viên thuộc đơn vị anh/chị">{shown}</td>')


async def test_the_compose_page_opens_for_a_unit_of_the_scope_only(served, client):
    await sign_in(served, client, COORDINATOR)
    ((home,), (away,)) = [
        (await _db(served, select(Unit.id).where(Unit.code == code)))[0] for code in (HOME, AWAY)
    ]
    status, page = await _get(client, served, f"/console/announcements/new?unit={home}")
    assert status == 200 and f'name="units" value="{HOME}" checked' in page
    assert (await _get(client, served, f"/console/announcements/new?unit={away}"))[0] == 404


async def test_an_enrollments_file_is_checked_then_imported(served, client, cases):
    csrf = await sign_in(served, client, COORDINATOR)
    ((code, course),) = await _db(
        served,
        select(Official.code, Course.code)
        .join(Enrollment, Enrollment.official_id == Official.id)
        .join(Course, Enrollment.course_id == Course.id)
        .where(Enrollment.id == cases.home_registration),
    )
    csv = f"Mã cán bộ,Mã lớp,Trạng thái\n{code},{course},Đang học\n".encode()
    form = aiohttp.FormData()
    form.add_field("csrf", csrf)
    form.add_field("file", csv, filename="hoc-vien.csv", content_type="text/csv")
    async with client.post(
        served.base_url + "/console/registrations/upload",
        data=form,
        headers={"Origin": served.base_url},
    ) as response:
        page = await response.text()
    assert response.status == 200 and 'id="import"' in page
    content = page.split('name="content" value="', 1)[1].split('"', 1)[0]
    form = aiohttp.FormData(default_to_multipart=True)  # as the page's form posts it
    form.add_field("csrf", csrf)
    for name, value in (("filename", "hoc-vien.csv"), ("content", content), ("import", "1")):
        form.add_field(name, value)
    async with client.post(
        served.base_url + "/console/registrations/upload",
        data=form,
        headers={"Origin": served.base_url},
    ) as response:
        assert response.status == 200
    (status,) = (
        await _db(served, select(Enrollment.status).where(Enrollment.id == cases.home_registration))
    )[0]
    assert status is EnrollmentStatus.STUDYING


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("hoc-vien.docx", b"PK\x03\x04", "Hãy chọn tệp danh sách học viên"),
        ("hoc-vien.csv", b"x" * (2 * 2**20 + 1), "Tệp trống hoặc lớn hơn 2 MB."),
    ],
)
async def test_a_bad_enrollments_file_is_refused_with_a_reason(served, client, name, content, said):
    csrf = await sign_in(served, client, COORDINATOR)
    form = aiohttp.FormData()
    form.add_field("csrf", csrf)
    form.add_field("file", content, filename=name, content_type="application/octet-stream")
    async with client.post(
        served.base_url + "/console/registrations/upload",
        data=form,
        headers={"Origin": served.base_url},
    ) as response:
        assert response.status == 400 and said in await response.text()
