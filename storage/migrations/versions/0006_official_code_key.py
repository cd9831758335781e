"""official codes compared without case (officials.code_key); rosters sent in the chat

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

The key is the code casefolded (storage/official_codes.py), computed in Python so SQLite and
PostgreSQL agree on letters such as "Đ". Two stored codes that differ only in case would break
the new unique key: the upgrade then stops, names them and changes nothing.
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

officials = sa.table(
    "officials", sa.column("id", sa.Integer), sa.column("code", sa.String), sa.column("code_key")
)


def _key(code: str) -> str:
    # storage.official_codes.code_key, frozen here as this revision applies it
    return unicodedata.normalize("NFC", code).strip().casefold()


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(officials.c.id, officials.c.code)).all()
    owners: dict[str, list[str]] = {}
    for _id, code in rows:
        owners.setdefault(_key(code), []).append(code)
    clashes = [codes for codes in owners.values() if len(codes) > 1]
    if clashes:
        named = "; ".join(", ".join(codes) for codes in clashes[:20])
        raise RuntimeError(
            "Official codes must differ by more than case; rename one of each before "
            f"upgrading: {named}"
        )
    with op.batch_alter_table("officials", schema=None) as batch_op:
        batch_op.add_column(sa.Column("code_key", sa.String(length=64), nullable=True))
    for start in range(0, len(rows), 1000):
        connection.execute(
            sa.update(officials)
            .where(officials.c.id == sa.bindparam("official_id"))
            .values(code_key=sa.bindparam("key")),
            [{"official_id": i, "key": _key(code)} for i, code in rows[start : start + 1000]],
        )
    with op.batch_alter_table("officials", schema=None) as batch_op:
        batch_op.alter_column("code_key", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_officials_code_key"), ["code_key"])
        batch_op.drop_constraint(batch_op.f("uq_officials_code"), type_="unique")
        batch_op.create_index(batch_op.f("ix_officials_code"), ["code"], unique=False)

    op.create_table(
        "roster_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_account_id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_account_id"],
            ["chat_accounts.id"],
            name=op.f("fk_roster_uploads_chat_account_id_chat_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["officials.id"],
            name=op.f("fk_roster_uploads_official_id_officials"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_uploads")),
    )
    with op.batch_alter_table("roster_uploads", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_roster_uploads_chat_account_id"), ["chat_account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_roster_uploads_created_at"), ["created_at"], unique=False
        )


def downgrade() -> None:
    op.drop_table("roster_uploads")
    with op.batch_alter_table("officials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_officials_code"))
        batch_op.create_unique_constraint(batch_op.f("uq_officials_code"), ["code"])
        batch_op.drop_constraint(batch_op.f("uq_officials_code_key"), type_="unique")
        batch_op.drop_column("code_key")
