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
    with op.batch_alter_table("broadcasts") as table:
        table.add_column(sa.Column("idempotency_key", sa.String(64)))
        table.create_unique_constraint("uq_broadcasts_idempotency_key", ["idempotency_key"])


def downgrade() -> None:
    with op.batch_alter_table("broadcasts") as table:
        table.drop_constraint("uq_broadcasts_idempotency_key", type_="unique")
        table.drop_column("idempotency_key")
