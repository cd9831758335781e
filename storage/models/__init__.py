"""All mapped classes, importable from one place."""

from storage.models.access import Role, RoleKind
from storage.models.audit import AuditEntry
from storage.models.base import Base
from storage.models.chat import Channel, ChatAccount, LinkCode, LinkFailure, ProcessedUpdate
from storage.models.delivery import DeliveryAttempt, OutboxMessage, OutboxStatus
from storage.models.officials import Official, Title, planned_titles
from storage.models.training import (
    Bond,
    BondEnd,
    Course,
    CourseKind,
    Enrollment,
    EnrollmentStatus,
    Programme,
    ProgrammeMember,
    ProgrammeStep,
    ProgrammeStepKind,
)
from storage.models.units import Unit, UnitKind

__all__ = [
    "AuditEntry",
    "Base",
    "Bond",
    "BondEnd",
    "Channel",
    "ChatAccount",
    "Course",
    "CourseKind",
    "DeliveryAttempt",
    "Enrollment",
    "EnrollmentStatus",
    "LinkCode",
    "LinkFailure",
    "Official",
    "OutboxMessage",
    "OutboxStatus",
    "ProcessedUpdate",
    "Programme",
    "ProgrammeMember",
    "ProgrammeStep",
    "ProgrammeStepKind",
    "Role",
    "RoleKind",
    "Title",
    "Unit",
    "UnitKind",
    "planned_titles",
]
