"""Learned FAQ entries: organisers' answers to relayed questions, their wordings, their use.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("question_relays") as table:
        table.add_column(sa.Column("language", sa.String(2)))
        table.add_column(sa.Column("answer_html", sa.Text()))
    op.create_table(
        "faq_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_key", sa.String(100), nullable=False, index=True),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("answer_de", sa.Text()),
        sa.Column("answer_en", sa.Text()),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.BigInteger()),
        sa.Column("changed_at", sa.DateTime(timezone=True)),
        sa.Column("used", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("unhelpful", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_table(
        "faq_wordings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_key", sa.String(100), nullable=False, index=True),
        sa.Column(
            "entry_id",
            sa.Integer(),
            sa.ForeignKey("faq_entries.id", ondelete="CASCADE"),
            index=True,
        ),
        sa.Column("topic", sa.String(100)),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column(
            "relay_id",
            sa.Integer(),
            sa.ForeignKey("question_relays.id", ondelete="CASCADE"),
            index=True,
        ),
        sa.Column("added_by", sa.BigInteger(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "faq_answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id",
            sa.BigInteger(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column(
            "entry_id",
            sa.Integer(),
            sa.ForeignKey("faq_entries.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("unhelpful_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("faq_answers")
    op.drop_table("faq_wordings")
    op.drop_table("faq_entries")
    with op.batch_alter_table("question_relays") as table:
        table.drop_column("answer_html")
        table.drop_column("language")
