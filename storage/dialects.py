"""What differs between SQLite and PostgreSQL, in one place."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_for(session: AsyncSession) -> type[sqlite.Insert] | type[postgresql.Insert]:
    """The backend's INSERT with ON CONFLICT; both backends have one, under different names."""
    return sqlite.insert if session.bind.dialect.name == "sqlite" else postgresql.insert  # type: ignore[return-value]
