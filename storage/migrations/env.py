"""Alembic environment: the connection the bot hands over, or DATABASE_URL from the CLI."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from storage.models import Base

config = context.config


def _run(connection: Connection) -> None:
    # Batch mode lets later migrations alter tables on SQLite, which lacks most ALTER TABLE forms.
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_from_url(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from bot.core.config import DatabaseSettings

    asyncio.run(_run_from_url(config.get_main_option("sqlalchemy.url") or DatabaseSettings().url))
