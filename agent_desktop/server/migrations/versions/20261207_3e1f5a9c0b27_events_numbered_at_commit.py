"""Events numbered at commit on PostgreSQL: a deferred constraint trigger gives each new event
its seq while the transaction commits (issue 20, server/cluster.py "one gap-free seq").

A write inserts its events with a placeholder seq (the negative of a number from the sequence
agent_desktop_event_placeholder, so writers never wait on each other's placeholders); at
COMMIT the trigger takes the advisory lock every instance shares (cluster.SEQ_LOCK), numbers
the event after the highest committed seq and sends the NOTIFY; the lock is released when the
commit is visible. It is held inside one round trip, the COMMIT, with no client work in it, so
seqs stay gap-free and in commit order while writers overlap. SQLite: nothing (one process
numbers its events itself).

Revision ID: 3e1f5a9c0b27
Revises: 9f453949c521
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision: str = "3e1f5a9c0b27"
down_revision: str | None = "9f453949c521"
branch_labels: str | None = None
depends_on: str | None = None

SEQ_LOCK = 4703803460481798433  # cluster.SEQ_LOCK ("AGDSSEQ!")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE SEQUENCE agent_desktop_event_placeholder AS integer MAXVALUE 2147483647 CYCLE"
    )
    op.execute(
        f"""
        CREATE FUNCTION agent_desktop_number_event() RETURNS trigger
        LANGUAGE plpgsql VOLATILE AS $$
        DECLARE
            top bigint;
        BEGIN
            IF NEW.seq > 0 THEN
                RETURN NULL;
            END IF;
            PERFORM pg_advisory_xact_lock({SEQ_LOCK});
            -- A statement after the lock: its snapshot sees the last holder's commit.
            SELECT coalesce(max(seq), 0) INTO top FROM events WHERE seq > 0;
            UPDATE events SET seq = top + 1 WHERE seq = NEW.seq;
            PERFORM pg_notify('agent_desktop_events', (top + 1)::text);
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE CONSTRAINT TRIGGER events_numbered_at_commit AFTER INSERT ON events "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
        "EXECUTE FUNCTION agent_desktop_number_event()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS events_numbered_at_commit ON events")
    op.execute("DROP FUNCTION IF EXISTS agent_desktop_number_event()")
    op.execute("DROP SEQUENCE IF EXISTS agent_desktop_event_placeholder")
