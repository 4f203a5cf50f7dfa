"""What differs between SQLite and PostgreSQL, in one place."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession


def insert_for(
    session: AsyncSession | AsyncConnection,
) -> type[sqlite.Insert] | type[postgresql.Insert]:
    """The backend's INSERT with ON CONFLICT; both backends have one, under different names."""
    dialect = session.bind.dialect if isinstance(session, AsyncSession) else session.dialect
    return sqlite.insert if dialect.name == "sqlite" else postgresql.insert  # type: ignore[return-value]
