"""Repositories: the only place that knows SQL. Handlers and services speak to these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import QuestionRelay, User


@dataclass(frozen=True)
class Visitor:
    """What Telegram tells us about a user on every update."""

    id: int
    first_name: str
    last_name: str | None
    username: str | None
    telegram_language: str | None


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record_visit(self, visitor: Visitor, now: datetime) -> User:
        """Create or refresh the user in one statement, safe against two first updates at once."""
        dialect = sqlite if self._session.bind.dialect.name == "sqlite" else postgresql
        values = {
            "first_name": visitor.first_name[:255],
            "last_name": visitor.last_name[:255] if visitor.last_name else None,
            "username": visitor.username,
            "telegram_language": visitor.telegram_language,
            "last_seen": now,
        }
        statement = (
            dialect.insert(User)
            .values(id=visitor.id, first_seen=now, reachable=True, **values)
            .on_conflict_do_update(index_elements=[User.id], set_={**values, "reachable": True})
            .returning(User)
        )
        return (await self._session.scalars(statement)).one()

    async def get(self, user_id: int) -> User | None:
        return await self._session.get(User, user_id)

    async def set_language(self, user_id: int, language: str) -> None:
        await self._session.execute(
            update(User).where(User.id == user_id).values(language=language)
        )

    async def mark_unreachable(self, user_id: int) -> None:
        await self._session.execute(update(User).where(User.id == user_id).values(reachable=False))


class RelayRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        user_id: int,
        question: str,
        organiser_chat_id: int,
        organiser_message_id: int,
        now: datetime,
    ) -> QuestionRelay:
        relay = QuestionRelay(
            user_id=user_id,
            question=question,
            organiser_chat_id=organiser_chat_id,
            organiser_message_id=organiser_message_id,
            created_at=now,
        )
        self._session.add(relay)
        await self._session.flush()
        return relay

    async def find(self, organiser_chat_id: int, organiser_message_id: int) -> QuestionRelay | None:
        return await self._session.scalar(
            select(QuestionRelay).where(
                QuestionRelay.organiser_chat_id == organiser_chat_id,
                QuestionRelay.organiser_message_id == organiser_message_id,
            )
        )

    async def mark_answered(self, relay_id: int, now: datetime) -> None:
        await self._session.execute(
            update(QuestionRelay).where(QuestionRelay.id == relay_id).values(answered_at=now)
        )


class Repositories:
    """All repositories over one session, so a user action is one transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.users = UserRepository(session)
        self.relays = RelayRepository(session)
