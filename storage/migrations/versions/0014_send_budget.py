"""one send budget per bot account: slot logs, their booking functions, urgent rows first

The send budget's slot logs (scheduler.limits) and the PostgreSQL functions that book them;
an index to claim urgent outbox rows first.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Books one slot per request, in order (scheduler.limits, the same rules as MemorySlots): the
# earliest time at or after now, its pause and a window's share past the account's last slot,
# when the account's log has room (p_windows[1]: count, seconds); unless the chat's log
# (p_windows[2]) or the group's (p_windows[3]) has none then: "come back in delay seconds";
# or unless the slot lies further ahead than the request's priority may book: "come back when
# it is within reach". The account's row is locked first, then the chats', so two bookers
# never deadlock.
BOOK_SENDS = """
CREATE FUNCTION canbo_book_sends(
    p_account text, p_chats text[], p_groups text[], p_lookaheads float8[],
    p_windows float8[], p_margin float8, p_forget float8)
RETURNS TABLE (booked boolean, delay float8, slot float8)
LANGUAGE plpgsql AS $$
DECLARE
    now_s float8 := extract(epoch from clock_timestamp());
    account_log float8[];
    pause float8;
    chat_log float8[];
    group_log float8[];
    at float8;
    busy float8;
    i integer;
BEGIN
    INSERT INTO send_budget (account, key, times, paused_until)
        VALUES (p_account, '', '{}', 0) ON CONFLICT DO NOTHING;
    SELECT times, paused_until INTO account_log, pause FROM send_budget
        WHERE account = p_account AND key = '' FOR UPDATE;
    FOR i IN 1 .. coalesce(array_length(p_chats, 1), 0) LOOP
        at := greatest(now_s, pause,
            account_log[array_upper(account_log, 1)] + p_windows[1][2] / p_windows[1][1],
            canbo_window_free(account_log, p_windows[1][1], p_windows[1][2], p_margin));
        SELECT times INTO chat_log FROM send_budget
            WHERE account = p_account AND key = p_chats[i] FOR UPDATE;
        busy := canbo_window_free(chat_log, p_windows[2][1], p_windows[2][2], p_margin);
        group_log := NULL;
        IF p_groups[i] IS NOT NULL THEN
            SELECT times INTO group_log FROM send_budget
                WHERE account = p_account AND key = p_groups[i] FOR UPDATE;
            busy := greatest(busy,
                canbo_window_free(group_log, p_windows[3][1], p_windows[3][2], p_margin));
        END IF;
        IF busy > at THEN
            booked := false; delay := busy - now_s; slot := NULL;
        ELSIF at - now_s > p_lookaheads[i] + 1e-4 THEN
            booked := false; delay := at - now_s - p_lookaheads[i]; slot := NULL;
        ELSE
            account_log := canbo_window_keep(account_log, at, p_windows[1][1]);
            INSERT INTO send_budget (account, key, times, paused_until)
                VALUES (p_account, p_chats[i],
                        canbo_window_keep(chat_log, at, p_windows[2][1]), 0)
                ON CONFLICT (account, key) DO UPDATE SET times = excluded.times;
            IF p_groups[i] IS NOT NULL THEN
                INSERT INTO send_budget (account, key, times, paused_until)
                    VALUES (p_account, p_groups[i],
                            canbo_window_keep(group_log, at, p_windows[3][1]), 0)
                    ON CONFLICT (account, key) DO UPDATE SET times = excluded.times;
            END IF;
            booked := true; delay := at - now_s; slot := at;
        END IF;
        RETURN NEXT;
    END LOOP;
    UPDATE send_budget SET times = account_log WHERE account = p_account AND key = '';
    IF p_forget IS NOT NULL THEN
        DELETE FROM send_budget WHERE account = p_account AND key <> ''
            AND times[array_upper(times, 1)] < now_s - p_forget;
    END IF;
END $$
"""
# A send was answered: its slot moves to now in each log it is in (the account's, its chat's,
# its group's), the logs kept in order, so later bookings count from when it really went.
SENDS_DONE = """
CREATE FUNCTION canbo_sends_done(p_account text, p_keys text[], p_slots float8[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    now_s float8 := extract(epoch from clock_timestamp());
    i integer;
BEGIN
    FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
        UPDATE send_budget SET times = ARRAY(
                SELECT t FROM unnest(array_replace(times, p_slots[i], greatest(p_slots[i], now_s)))
                AS t ORDER BY t)
            WHERE account = p_account AND key = p_keys[i] AND p_slots[i] = ANY (times);
    END LOOP;
END $$
"""
WINDOW_FREE = """
CREATE FUNCTION canbo_window_free(log float8[], count float8, seconds float8, margin float8)
RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN coalesce(array_length(log, 1), 0) < count THEN '-infinity'::float8
           ELSE log[array_upper(log, 1) - count::integer + 1] + seconds + margin END
$$
"""
WINDOW_KEEP = """
CREATE FUNCTION canbo_window_keep(log float8[], slot float8, count float8)
RETURNS float8[] LANGUAGE sql IMMUTABLE AS $$
    SELECT (coalesce(log, '{}') || slot)[
        greatest(1, coalesce(array_length(log, 1), 0) + 2 - count::integer) :]
$$
"""


def upgrade() -> None:
    op.create_table(
        "send_budget",
        sa.Column("account", sa.String(length=80), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column(
            "times",
            sa.ARRAY(sa.Float()).with_variant(sa.JSON(), "sqlite"),
            nullable=False,
        ),
        sa.Column("paused_until", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("account", "key", name=op.f("pk_send_budget")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_due_urgent", ["status", "urgent", "not_before"], unique=False
        )
    if op.get_bind().dialect.name == "postgresql":
        for function in (WINDOW_FREE, WINDOW_KEEP, BOOK_SENDS, SENDS_DONE):
            op.execute(function)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for function in (
            "canbo_sends_done",
            "canbo_book_sends",
            "canbo_window_keep",
            "canbo_window_free",
        ):
            op.execute(f"DROP FUNCTION {function}")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_due_urgent")
    op.drop_table("send_budget")
