"""the inbox: updates stored before the messenger is told they arrived (issue 18)

The inbox takes over from processed_updates: an answered row is the mark that an update was
handled, so the ids already handled are copied in as answered, and a redelivery of one of them
after the upgrade is still answered once.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING = sa.text("answered_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("update_id", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("leased_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox")),
        sa.UniqueConstraint("channel", "update_id", name=op.f("uq_inbox_channel_update_id")),
    )
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbox_received_at"), ["received_at"], unique=False)
        batch_op.create_index(
            "ix_inbox_waiting",
            ["leased_until"],
            unique=False,
            postgresql_where=WAITING,
            sqlite_where=WAITING,
        )
    op.execute(
        "INSERT INTO inbox (channel, update_id, payload, received_at, answered_at, attempts) "
        "SELECT channel, update_id, '{}', at, at, 1 FROM processed_updates"
    )
    with op.batch_alter_table("processed_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processed_updates_at"))
    op.drop_table("processed_updates")


def downgrade() -> None:
    op.create_table(
        "processed_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("update_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processed_updates")),
        sa.UniqueConstraint(
            "channel", "update_id", name=op.f("uq_processed_updates_channel_update_id")
        ),
    )
    with op.batch_alter_table("processed_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_processed_updates_at"), ["at"], unique=False)
    op.execute(
        "INSERT INTO processed_updates (channel, update_id, at) "
        "SELECT channel, update_id, answered_at FROM inbox WHERE answered_at IS NOT NULL"
    )
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.drop_index("ix_inbox_waiting")
        batch_op.drop_index(batch_op.f("ix_inbox_received_at"))
    op.drop_table("inbox")
