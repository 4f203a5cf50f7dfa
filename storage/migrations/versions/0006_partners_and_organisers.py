"""Partner organisations, invite links and organisers added in the bot.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False, unique=True),
        sa.Column("kind", sa.String(40)),
        sa.Column("contacts", sa.Text()),
        sa.Column("persons_allowed", sa.Integer()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "invites",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "organisation_id",
            sa.Integer(),
            sa.ForeignKey("organisations.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("max_uses", sa.Integer()),
        sa.Column("uses", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("expires_at", sa.DateTime(timezone=True)),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "organisers",
        sa.Column("user_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("added_by", sa.BigInteger(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("users") as table:
        table.add_column(sa.Column("organisation_id", sa.Integer()))
        table.create_foreign_key(
            "fk_users_organisation_id",
            "organisations",
            ["organisation_id"],
            ["id"],
            ondelete="SET NULL",
        )
        table.create_index("ix_users_organisation_id", ["organisation_id"])


def downgrade() -> None:
    with op.batch_alter_table("users") as table:
        table.drop_index("ix_users_organisation_id")
        table.drop_constraint("fk_users_organisation_id", type_="foreignkey")
        table.drop_column("organisation_id")
    op.drop_table("organisers")
    op.drop_table("invites")
    op.drop_table("organisations")
