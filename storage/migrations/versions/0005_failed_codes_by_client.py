"""wrong link codes counted per client as well as per chat

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("link_failures", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("client", sa.String(length=80), nullable=False, server_default="")
        )
        batch_op.create_index(batch_op.f("ix_link_failures_at"), ["at"], unique=False)
        batch_op.create_index("ix_link_failures_client_at", ["client", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("link_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_link_failures_client_at")
        batch_op.drop_index(batch_op.f("ix_link_failures_at"))
        batch_op.drop_column("client")
