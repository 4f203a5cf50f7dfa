"""Events with their seat counter, registrations and the history of confirmed seats.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("confirmed_persons", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_key", sa.String(100), sa.ForeignKey("events.key"), nullable=False),
        sa.Column(
            "user_id",
            sa.BigInteger(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("organisation", sa.String(200), nullable=True),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.Column("dietary", sa.String(16), nullable=True),
        sa.Column("dietary_note", sa.String(200), nullable=True),
        sa.Column("accessibility", sa.String(200), nullable=True),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("calendar_uid", sa.String(32), nullable=False),
        sa.Column("calendar_sequence", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("consent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("waitlisted_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("event_key", "user_id"),
    )
    op.create_index("ix_registrations_user_id", "registrations", ["user_id"])
    op.create_table(
        "seat_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_key", sa.String(100), sa.ForeignKey("events.key"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_persons", sa.Integer(), nullable=False),
    )
    op.create_index("ix_seat_changes_event_key", "seat_changes", ["event_key"])


def downgrade() -> None:
    op.drop_index("ix_seat_changes_event_key", table_name="seat_changes")
    op.drop_table("seat_changes")
    op.drop_index("ix_registrations_user_id", table_name="registrations")
    op.drop_table("registrations")
    op.drop_table("events")
