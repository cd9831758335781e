"""ZNS tokens and sends, a chat's failing since, an outbox row's fallback claim

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("chat_accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fallback_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "zns_oa_tokens",
        sa.Column("app_id", sa.String(length=32), nullable=False),
        sa.Column("access_token", sa.Text(), nullable=True),
        sa.Column("access_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("refresh_token", sa.Text(), nullable=False),
        sa.Column("refresh_expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("refreshing_by", sa.String(length=80), nullable=True),
        sa.Column("refreshing_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("app_id", name=op.f("pk_zns_oa_tokens")),
    )
    op.create_table(
        "zns_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("template_id", sa.String(length=32), nullable=False),
        sa.Column("tracking_id", sa.String(length=48), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("error_code", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.Column("development", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["officials.id"],
            name=op.f("fk_zns_sends_official_id_officials"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["outbox_id"],
            ["outbox.id"],
            name=op.f("fk_zns_sends_outbox_id_outbox"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_zns_sends_unit_id_units"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zns_sends")),
        sa.UniqueConstraint("outbox_id", name=op.f("uq_zns_sends_outbox_id")),
        sa.UniqueConstraint("tracking_id", name=op.f("uq_zns_sends_tracking_id")),
    )
    with op.batch_alter_table("zns_sends", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_zns_sends_official_id"), ["official_id"], unique=False)
        batch_op.create_index("ix_zns_sends_unit_month", ["unit_id", "month"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("zns_sends", schema=None) as batch_op:
        batch_op.drop_index("ix_zns_sends_unit_month")
        batch_op.drop_index(batch_op.f("ix_zns_sends_official_id"))

    op.drop_table("zns_sends")
    op.drop_table("zns_oa_tokens")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("fallback_at")
    with op.batch_alter_table("chat_accounts", schema=None) as batch_op:
        batch_op.drop_column("failing_since")
