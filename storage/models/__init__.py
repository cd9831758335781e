"""All mapped classes, importable from one place."""

from storage.models.access import Role, RoleKind
from storage.models.audit import AuditEntry
from storage.models.base import Base
from storage.models.broadcasts import Broadcast, BroadcastRecipient, BroadcastStatus
from storage.models.chat import Channel, ChatAccount, InboxUpdate, LinkCode, LinkFailure
from storage.models.console import ConsoleSession, ConsoleSignIn
from storage.models.delivery import (
    AnswerKind,
    DeliveryAttempt,
    OutboxMessage,
    OutboxStatus,
    ReminderAnswer,
    SendSlot,
)
from storage.models.evidence import Evidence, EvidenceKind, EvidenceStatus
from storage.models.officials import HeldTitle, Official, Title, planned_titles
from storage.models.training import (
    Bond,
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
from storage.models.uploads import RosterUpload
from storage.models.web import MediaFile, ServerKey, WebTurn
from storage.models.zns import OaToken, ZnsOutcome, ZnsSend

__all__ = [
    "AnswerKind",
    "AuditEntry",
    "Base",
    "Bond",
    "Broadcast",
    "BroadcastRecipient",
    "BroadcastStatus",
    "Channel",
    "ChatAccount",
    "ConsoleSession",
    "ConsoleSignIn",
    "Course",
    "CourseKind",
    "DeliveryAttempt",
    "Enrollment",
    "EnrollmentStatus",
    "Evidence",
    "EvidenceKind",
    "EvidenceStatus",
    "HeldTitle",
    "InboxUpdate",
    "LinkCode",
    "LinkFailure",
    "MediaFile",
    "OaToken",
    "Official",
    "OutboxMessage",
    "OutboxStatus",
    "Programme",
    "ProgrammeMember",
    "ProgrammeStep",
    "ProgrammeStepKind",
    "ReminderAnswer",
    "Role",
    "RoleKind",
    "RosterUpload",
    "SendSlot",
    "ServerKey",
    "Title",
    "Unit",
    "UnitKind",
    "WebTurn",
    "ZnsOutcome",
    "ZnsSend",
    "planned_titles",
]
