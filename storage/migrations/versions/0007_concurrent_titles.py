"""concurrent titles: an official holds one or more titles; bonds record the sending date

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

Each official's title moves from ``officials.title_id`` into ``official_titles`` (position 0,
the main title). Bonds gain ``sent_on``, filled from the start of the course they follow.
Downgrading keeps each official's main title and drops the others, and forgets the sending
dates.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "official_titles",
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("title_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["officials.id"],
            name=op.f("fk_official_titles_official_id_officials"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["title_id"], ["titles.id"], name=op.f("fk_official_titles_title_id_titles")
        ),
        sa.PrimaryKeyConstraint("official_id", "title_id", name=op.f("pk_official_titles")),
    )
    with op.batch_alter_table("official_titles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_official_titles_title_id"), ["title_id"], unique=False)
    op.execute(
        "INSERT INTO official_titles (official_id, title_id, position) "
        "SELECT id, title_id, 0 FROM officials"
    )
    with op.batch_alter_table("officials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_officials_title_id"))
        batch_op.drop_constraint(batch_op.f("fk_officials_title_id_titles"), type_="foreignkey")
        batch_op.drop_column("title_id")

    with op.batch_alter_table("bonds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sent_on", sa.Date(), nullable=True))
    op.execute(
        "UPDATE bonds SET sent_on = "
        "(SELECT courses.starts_on FROM courses WHERE courses.id = bonds.course_id) "
        "WHERE course_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("bonds", schema=None) as batch_op:
        batch_op.drop_column("sent_on")

    with op.batch_alter_table("officials", schema=None) as batch_op:
        batch_op.add_column(sa.Column("title_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE officials SET title_id = (SELECT held.title_id FROM official_titles held "
        "WHERE held.official_id = officials.id ORDER BY held.position LIMIT 1)"
    )
    with op.batch_alter_table("officials", schema=None) as batch_op:
        batch_op.alter_column("title_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_officials_title_id_titles"), "titles", ["title_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_officials_title_id"), ["title_id"], unique=False)

    with op.batch_alter_table("official_titles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_official_titles_title_id"))
    op.drop_table("official_titles")
