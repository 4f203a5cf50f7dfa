"""Tickets and door check-in on registrations; the partners' feedback after the event.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("registrations") as table:
        table.add_column(sa.Column("ticket_token", sa.String(32)))
        table.add_column(sa.Column("checked_in_at", sa.DateTime(timezone=True)))
        table.add_column(sa.Column("checked_in_by", sa.BigInteger()))
        table.add_column(sa.Column("checked_in_persons", sa.Integer()))
        table.create_unique_constraint("uq_registrations_ticket_token", ["ticket_token"])
    # Partners confirmed before tickets existed get one too, so /ticket works for everybody.
    registrations = sa.table(
        "registrations",
        sa.column("id", sa.Integer()),
        sa.column("status", sa.String(16)),
        sa.column("ticket_token", sa.String(32)),
    )
    connection = op.get_bind()
    confirmed = connection.execute(
        sa.select(registrations.c.id).where(registrations.c.status == "confirmed")
    )
    for (registration_id,) in confirmed.all():
        connection.execute(
            sa.update(registrations)
            .where(registrations.c.id == registration_id)
            .values(ticket_token=secrets.token_urlsafe(16))
        )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_key", sa.String(100), nullable=False),
        sa.Column(
            "user_id",
            sa.BigInteger(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("stars", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("event_key", "user_id"),
        sa.CheckConstraint("stars BETWEEN 1 AND 5", name="ck_feedback_stars"),
    )


def downgrade() -> None:
    op.drop_table("feedback")
    with op.batch_alter_table("registrations") as table:
        table.drop_constraint("uq_registrations_ticket_token", type_="unique")
        table.drop_column("checked_in_persons")
        table.drop_column("checked_in_by")
        table.drop_column("checked_in_at")
        table.drop_column("ticket_token")
