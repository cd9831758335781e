"""evidence from officials, and registrations made in the chat confirmed or declined

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENROLLMENT_COLUMNS = ("requested_at", "confirmed_at", "declined_at")


def upgrade() -> None:
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("chat_account_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("mime_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decision", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_account_id"],
            ["chat_accounts.id"],
            name=op.f("fk_evidence_chat_account_id_chat_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["officials.id"],
            name=op.f("fk_evidence_official_id_officials"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        for column in ("official_id", "status", "received_at", "decided_at"):
            batch_op.create_index(batch_op.f(f"ix_evidence_{column}"), [column], unique=False)
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        for column in ENROLLMENT_COLUMNS:
            batch_op.add_column(sa.Column(column, sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("decline_reason", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.drop_column("decline_reason")
        for column in reversed(ENROLLMENT_COLUMNS):
            batch_op.drop_column(column)
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        for column in ("decided_at", "received_at", "status", "official_id"):
            batch_op.drop_index(batch_op.f(f"ix_evidence_{column}"))
    op.drop_table("evidence")
