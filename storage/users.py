"""Everyone who wrote to the bot: names, language, reachability, the reminder switch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialects import insert_for
from storage.models import Registration, User


@dataclass(frozen=True)
class Visitor:
    """What Telegram tells us about a user on every update."""

    id: int
    first_name: str
    last_name: str | None
    username: str | None
    telegram_language: str | None


@dataclass(frozen=True)
class Visit:
    """A visitor's latest details, seen first and last at these moments since the last write."""

    visitor: Visitor
    first_seen: datetime
    last_seen: datetime


_VISIT_COLUMNS = ("first_name", "last_name", "username", "telegram_language", "last_seen")


def _visit_values(visitor: Visitor, now: datetime) -> dict[str, object]:
    """What a visit writes over the stored user (the columns of `_VISIT_COLUMNS`), cut to the
    columns' lengths: one visit that does not fit would hold up the whole batch."""
    return {
        "first_name": visitor.first_name[:255],
        "last_name": visitor.last_name[:255] if visitor.last_name else None,
        "username": visitor.username[:64] if visitor.username else None,
        "telegram_language": visitor.telegram_language[:35] if visitor.telegram_language else None,
        "last_seen": now,
    }


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record_visit(self, visitor: Visitor, now: datetime) -> User:
        """One visit written at once (the bot batches them, see `storage.visits`); the user."""
        await self.record_visits([Visit(visitor, now, now)])
        user = await self._session.get(User, visitor.id, populate_existing=True)
        assert user is not None  # just written in this transaction
        return user

    async def record_visits(self, visits: Sequence[Visit]) -> None:
        """Create or refresh users, safe against a concurrent first visit of the same user; a
        visitor who writes again is reachable again, and `first_seen` is kept once stored."""
        if not visits:
            return
        # One statement for any number of rows (executemany), so it is compiled once.
        insert = insert_for(self._session)(User.__table__)
        refreshed = {name: insert.excluded[name] for name in _VISIT_COLUMNS}
        statement = insert.on_conflict_do_update(
            index_elements=[User.id], set_={**refreshed, "reachable": True}
        )
        rows = [
            {
                "id": visit.visitor.id,
                "first_seen": visit.first_seen,
                "reachable": True,
                **_visit_values(visit.visitor, visit.last_seen),
            }
            for visit in visits
        ]
        await self._session.execute(statement, rows)

    async def language_choices(self) -> dict[int, str]:
        """The users who picked a language with /language, and their choice."""
        rows = await self._session.execute(
            select(User.id, User.language).where(User.language.is_not(None))
        )
        return {user_id: language for user_id, language in rows}

    async def get(self, user_id: int) -> User | None:
        return await self._session.get(User, user_id)

    async def set_language(self, user_id: int, language: str) -> None:
        await self._session.execute(
            update(User).where(User.id == user_id).values(language=language)
        )

    async def mark_unreachable(self, user_id: int) -> None:
        await self._session.execute(update(User).where(User.id == user_id).values(reachable=False))

    async def set_reminders(self, user_id: int, enabled: bool) -> None:
        await self._session.execute(
            update(User).where(User.id == user_id).values(reminders_enabled=enabled)
        )

    async def remember_organisation(self, user_id: int, organisation: str | None) -> None:
        await self._session.execute(
            update(User).where(User.id == user_id).values(organisation=organisation)
        )

    async def link_organisation(self, user_id: int, organisation_id: int, name: str) -> None:
        """An invite was redeemed; the name is remembered for the RSVP like a typed one."""
        await self._session.execute(
            update(User)
            .where(User.id == user_id)
            .values(organisation_id=organisation_id, organisation=name)
        )

    async def count_without_registration(self, event_key: str) -> int:
        """People who talked to the bot but have not answered the invitation."""
        answered = select(Registration.user_id).where(Registration.event_key == event_key)
        count = await self._session.scalar(
            select(func.count()).select_from(User).where(User.id.not_in(answered))
        )
        return count or 0
