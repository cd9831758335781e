"""reminder answers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reminder_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("cycle", sa.String(length=20), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["officials.id"],
            name=op.f("fk_reminder_answers_official_id_officials"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["outbox_id"],
            ["outbox.id"],
            name=op.f("fk_reminder_answers_outbox_id_outbox"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_answers")),
        sa.UniqueConstraint("outbox_id", name=op.f("uq_reminder_answers_outbox_id")),
    )
    with op.batch_alter_table("reminder_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminder_answers_official_id"), ["official_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("reminder_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_answers_official_id"))

    op.drop_table("reminder_answers")
