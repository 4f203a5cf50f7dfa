"""Revoked invite links, registrations that follow their organisation's name, announcements to
organisations, and who answered a relayed question (or that it could not be delivered).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invites") as table:
        table.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True)))
    with op.batch_alter_table("registrations") as table:
        table.add_column(sa.Column("organisation_id", sa.Integer()))
        table.create_foreign_key(
            "fk_registrations_organisation_id",
            "organisations",
            ["organisation_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # Registrations of invited partners made before: the organisation they were linked to,
    # where the copied name is still that organisation's.
    op.execute(
        """
        UPDATE registrations SET organisation_id = (
            SELECT users.organisation_id FROM users
            JOIN organisations ON organisations.id = users.organisation_id
            WHERE users.id = registrations.user_id
              AND organisations.name = registrations.organisation
        )
        """
    )
    with op.batch_alter_table("broadcasts") as table:
        table.add_column(sa.Column("audience_organisations", sa.Text()))
    with op.batch_alter_table("question_relays") as table:
        table.add_column(sa.Column("answered_by", sa.BigInteger()))
        table.add_column(sa.Column("undelivered_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("question_relays") as table:
        table.drop_column("undelivered_at")
        table.drop_column("answered_by")
    with op.batch_alter_table("broadcasts") as table:
        table.drop_column("audience_organisations")
    with op.batch_alter_table("registrations") as table:
        table.drop_constraint("fk_registrations_organisation_id", type_="foreignkey")
        table.drop_column("organisation_id")
    with op.batch_alter_table("invites") as table:
        table.drop_column("revoked_at")
