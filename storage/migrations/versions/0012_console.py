"""the console's sign-in links and sessions; rosters uploaded in the console

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "console_sign_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["officials.id"],
            name=op.f("fk_console_sign_ins_official_id_officials"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_sign_ins")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_console_sign_ins_token_hash")),
    )
    with op.batch_alter_table("console_sign_ins", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_console_sign_ins_official_id"), ["official_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_console_sign_ins_expires_at"), ["expires_at"], unique=False
        )
    op.create_table(
        "console_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["officials.id"],
            name=op.f("fk_console_sessions_official_id_officials"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_console_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_console_sessions_token_hash")),
    )
    with op.batch_alter_table("console_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_console_sessions_official_id"), ["official_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_console_sessions_ended_at"), ["ended_at"], unique=False
        )
    with op.batch_alter_table("roster_uploads", schema=None) as batch_op:
        batch_op.alter_column("chat_account_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("report", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM roster_uploads WHERE chat_account_id IS NULL")
    with op.batch_alter_table("roster_uploads", schema=None) as batch_op:
        batch_op.drop_column("report")
        batch_op.alter_column("chat_account_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("console_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_console_sessions_ended_at"))
        batch_op.drop_index(batch_op.f("ix_console_sessions_official_id"))
    op.drop_table("console_sessions")
    with op.batch_alter_table("console_sign_ins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_console_sign_ins_expires_at"))
        batch_op.drop_index(batch_op.f("ix_console_sign_ins_official_id"))
    op.drop_table("console_sign_ins")
