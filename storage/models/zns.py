"""ZNS (Zalo Notification Service): the Official Account's tokens and every template message sent.

An OA access token lives 25 hours; its refresh token lives 3 months and can be used ONCE
(developers.zalo.me, "Official Account Access Token"). So the pair lives in the database, not
in a setting: every worker reads the current pair, and ``version`` makes a refresh a
compare-and-swap, so two workers never spend the same refresh token (bot/channels/zns_tokens.py).

Every ZNS message is paid: ``zns_sends`` keeps one row per outbox row sent or tried by ZNS
(unique: nothing goes twice), with its unit and month, which is what the monthly count reads.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class ZnsOutcome(enum.StrEnum):
    SENT = "sent"
    INVALID_PHONE = "invalid_phone"  # no phone, not a Vietnamese mobile, or no Zalo account
    INVALID_TEMPLATE = "invalid_template"  # a setting to fix: the template or its data
    INACTIVE_USER = "inactive_user"  # the user is inactive or refuses ZNS
    QUOTA = "quota"  # the OA's quota is spent: no more ZNS today
    NO_TOKEN = "no_token"  # the OA must be authorised again
    TRANSIENT = "transient"  # worth trying later
    REJECTED = "rejected"  # any other refusal


class OaToken(Base):
    """The current token pair of one Official Account app (``app_id``)."""

    __tablename__ = "zns_oa_tokens"

    app_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    access_token: Mapped[str | None] = mapped_column(Text)
    access_expires_at: Mapped[datetime | None]
    refresh_token: Mapped[str] = mapped_column(Text)
    refresh_expires_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=0)
    # who is spending the refresh token right now, and since when (a lease: a worker that died
    # mid-refresh is waited for only so long)
    refreshing_by: Mapped[str | None] = mapped_column(String(80))
    refreshing_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class ZnsSend(Base):
    """One ZNS template message for one outbox row: sent, or why not."""

    __tablename__ = "zns_sends"
    __table_args__ = (Index("ix_zns_sends_unit_month", "unit_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"), unique=True)
    official_id: Mapped[int | None] = mapped_column(
        ForeignKey("officials.id", ondelete="SET NULL"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))
    template_id: Mapped[str] = mapped_column(String(32))
    tracking_id: Mapped[str] = mapped_column(String(48), unique=True)
    month: Mapped[str] = mapped_column(String(7))  # yyyy-mm in Asia/Ho_Chi_Minh: the bill's
    outcome: Mapped[str] = mapped_column(String(20))  # a ZnsOutcome
    error_code: Mapped[int | None]
    message_id: Mapped[str | None] = mapped_column(String(64))
    development: Mapped[bool] = mapped_column(default=False)  # a free test send
    at: Mapped[datetime]
