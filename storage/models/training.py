"""Courses, enrollments, service bonds and source programmes (seeds 000 and 003)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rules.bonds import BondOutcome
from storage.models.base import Base, Timestamped
from storage.models.officials import Official
from storage.types import enum_column

Money = Numeric(15, 0)


class CourseKind(enum.Enum):
    LLCT_INTERMEDIATE = "llct_intermediate"  # Trung cấp LLCT
    LLCT_ADVANCED = "llct_advanced"  # Cao cấp LLCT
    UNIVERSITY = "university"  # Đại học
    SOURCE = "source"  # Dự nguồn
    REFRESHER = "refresher"  # Cập nhật kiến thức
    STATE_MANAGEMENT = "state_management"  # QLNN
    OTHER = "other"  # Khác


class EnrollmentStatus(enum.Enum):
    REGISTERED = "registered"  # Đăng ký
    STUDYING = "studying"  # Đang học
    COMPLETED = "completed"  # Hoàn thành
    FAILED = "failed"  # Không đạt
    DROPPED = "dropped"  # Bỏ học

    @property
    def is_active(self) -> bool:
        return self in {EnrollmentStatus.REGISTERED, EnrollmentStatus.STUDYING}


class Course(Timestamped, Base):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[CourseKind] = mapped_column(enum_column(CourseKind))
    provider: Mapped[str | None] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(index=True)
    ends_on: Mapped[date]
    enroll_by: Mapped[date | None]
    capacity: Mapped[int | None]
    hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 1))
    cost_per_trainee: Mapped[Decimal | None] = mapped_column(Money)


class Enrollment(Timestamped, Base):
    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("official_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    status: Mapped[EnrollmentStatus] = mapped_column(enum_column(EnrollmentStatus))
    completed_on: Mapped[date | None]
    # A registration made in the chat waits for the board (storage.registrations): it is
    # requested, then confirmed or declined (declining ends it: status DROPPED).
    requested_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    declined_at: Mapped[datetime | None]
    decline_reason: Mapped[str | None] = mapped_column(String(300))

    official: Mapped[Official] = relationship()
    course: Mapped[Course] = relationship()


class Programme(Base):
    """A source programme (chương trình tạo nguồn) with its cohort and steps."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    min_bond_months: Mapped[int | None]

    steps: Mapped[list[ProgrammeStep]] = relationship(
        back_populates="programme", order_by="ProgrammeStep.starts_on"
    )


class ProgrammeStepKind(enum.Enum):
    """The five steps of seed 000."""

    SELECTION = "selection"
    SCHOOL = "school"
    DISTRICT_PLACEMENT = "district_placement"
    COMMUNE_ASSIGNMENT = "commune_assignment"
    PROBATION = "probation"


class ProgrammeStep(Base):
    __tablename__ = "programme_steps"
    __table_args__ = (UniqueConstraint("programme_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    kind: Mapped[ProgrammeStepKind] = mapped_column(enum_column(ProgrammeStepKind))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]

    programme: Mapped[Programme] = relationship(back_populates="steps")


class ProgrammeMember(Base):
    __tablename__ = "programme_members"

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    official_id: Mapped[int] = mapped_column(
        ForeignKey("officials.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Bond(Timestamped, Base):
    """A post-training service commitment (cam kết phục vụ)."""

    __tablename__ = "bonds"
    __table_args__ = (UniqueConstraint("official_id", "starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id", ondelete="CASCADE"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"))
    starts_on: Mapped[date]
    # the day the official was sent for training: which bond rule applies (rules.bonds)
    sent_on: Mapped[date | None]
    months: Mapped[int]
    cost: Mapped[Decimal | None] = mapped_column(Money)
    ended_on: Mapped[date | None]
    end_reason: Mapped[BondOutcome | None] = mapped_column(enum_column(BondOutcome))

    official: Mapped[Official] = relationship()
    course: Mapped[Course | None] = relationship()
