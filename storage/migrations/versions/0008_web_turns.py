"""web chat turns, so a reload shows the conversation again

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_turns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_account_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("replies", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_account_id"],
            ["chat_accounts.id"],
            name=op.f("fk_web_turns_chat_account_id_chat_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_turns")),
    )
    with op.batch_alter_table("web_turns", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_web_turns_chat_account_id"), ["chat_account_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("web_turns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_turns_chat_account_id"))
    op.drop_table("web_turns")
