"""Announcements sent from the dashboard carry the page's idempotency key, unique, so a double
click (or a retried request) sends once.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A unique index, not a constraint: on SQLite a constraint would rebuild the table, and
    # dropping the old one would take the queued outbox rows with it (ON DELETE CASCADE).
    op.add_column("broadcasts", sa.Column("idempotency_key", sa.String(64)))
    op.create_index("ix_broadcasts_idempotency_key", "broadcasts", ["idempotency_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_broadcasts_idempotency_key", "broadcasts")
    with op.batch_alter_table("broadcasts") as table:
        table.drop_column("idempotency_key")
