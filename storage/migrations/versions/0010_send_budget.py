"""one send budget per bot account: its schedule and the function that books it; urgent
outbox rows claimed first

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Books one slot per key, in order, on the account's schedule (scheduler.limits): the account's
# next slot unless the chat's (or group's) own is later ("come back in delay seconds") or it is
# further ahead than the send's priority may book ("come back when it is within reach").
# The account's row is locked first, then the chats', so two bookers never deadlock.
BOOK_SENDS = """
CREATE FUNCTION canbo_book_sends(
    p_account text, p_keys text[], p_lookaheads float8[],
    p_gap float8, p_chat_gap float8, p_group_gap float8, p_forget float8)
RETURNS TABLE (booked boolean, delay float8)
LANGUAGE plpgsql AS $$
DECLARE
    now_s float8 := extract(epoch from clock_timestamp());
    account_next float8;
    chat_next float8;
    slot float8;
    i integer;
BEGIN
    INSERT INTO send_budget (account, key, next_at) VALUES (p_account, '', 0)
        ON CONFLICT DO NOTHING;
    SELECT next_at INTO account_next FROM send_budget
        WHERE account = p_account AND key = '' FOR UPDATE;
    FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
        slot := greatest(now_s, account_next);
        SELECT next_at INTO chat_next FROM send_budget
            WHERE account = p_account AND key = p_keys[i] FOR UPDATE;
        IF chat_next IS NOT NULL AND chat_next > slot THEN
            booked := false; delay := chat_next - now_s;
        ELSIF slot - now_s > p_lookaheads[i] + 1e-4 THEN
            booked := false; delay := slot - now_s - p_lookaheads[i];
        ELSE
            account_next := slot + p_gap;
            INSERT INTO send_budget (account, key, next_at)
                VALUES (p_account, p_keys[i],
                        slot + CASE WHEN p_keys[i] LIKE 'g:%' THEN p_group_gap ELSE p_chat_gap END)
                ON CONFLICT (account, key) DO UPDATE SET next_at = excluded.next_at;
            booked := true; delay := slot - now_s;
        END IF;
        RETURN NEXT;
    END LOOP;
    UPDATE send_budget SET next_at = account_next WHERE account = p_account AND key = '';
    IF p_forget IS NOT NULL THEN
        DELETE FROM send_budget
            WHERE account = p_account AND key <> '' AND next_at < now_s - p_forget;
    END IF;
END $$
"""


def upgrade() -> None:
    op.create_table(
        "send_budget",
        sa.Column("account", sa.String(length=80), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("account", "key", name=op.f("pk_send_budget")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_due_urgent", ["status", "urgent", "not_before"], unique=False
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(BOOK_SENDS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION canbo_book_sends")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_due_urgent")
    op.drop_table("send_budget")
