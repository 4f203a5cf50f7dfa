"""Organisers added in the bot beyond ADMIN_IDS: the `organisers` table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialects import insert_for
from storage.models import Organiser, User


class OrganiserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def contains(self, user_id: int) -> bool:
        return await self._session.get(Organiser, user_id) is not None

    async def add(self, user_id: int, added_by: int, now: datetime) -> bool:
        """False if they were an organiser already."""
        insert = insert_for(self._session)
        added = await self._session.scalar(
            insert(Organiser)
            .values(user_id=user_id, added_by=added_by, added_at=now)
            .on_conflict_do_nothing(index_elements=[Organiser.user_id])
            .returning(Organiser.user_id)
        )
        return added is not None

    async def remove(self, user_id: int) -> bool:
        removed = await self._session.scalar(
            delete(Organiser).where(Organiser.user_id == user_id).returning(Organiser.user_id)
        )
        return removed is not None

    async def find_user(self, username: str) -> User | None:
        """Someone who has written to the bot, by their @username."""
        return await self._session.scalar(
            select(User).where(func.lower(User.username) == username.lower())
        )

    async def all(self) -> list[tuple[Organiser, User | None]]:
        rows = await self._session.execute(
            select(Organiser, User)
            .outerjoin(User, User.id == Organiser.user_id)
            .order_by(Organiser.added_at)
        )
        return [(organiser, user) for organiser, user in rows]
