"""The recipients of an announcement, by registration status, straight from SQL.

Only reachable users are counted and chosen: a user who blocked the bot would only answer 403.
The organiser sending it is left out; they saw the preview.
"""

from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.announcements.audiences import Audience
from storage.models import Registration, User


class AudienceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    def _members(
        self, event_key: str, audience: Audience, excluding: int | None
    ) -> Select[tuple[int, str | None, str | None]]:
        query = select(User.id, User.language, User.telegram_language).where(
            User.reachable, User.id != excluding if excluding is not None else True
        )
        if audience is Audience.ALL:
            return query
        registered = select(Registration.user_id).where(Registration.event_key == event_key)
        if audience is Audience.NOT_ANSWERED:
            return query.where(User.id.not_in(registered))
        if audience is Audience.CHECKED_IN:
            return query.where(
                User.id.in_(registered.where(Registration.checked_in_at.is_not(None)))
            )
        if audience is Audience.NOT_CHECKED_IN:
            confirmed = registered.where(Registration.status == Audience.CONFIRMED.value)
            return query.where(User.id.in_(confirmed.where(Registration.checked_in_at.is_(None))))
        return query.where(User.id.in_(registered.where(Registration.status == audience.value)))

    async def counts(self, event_key: str, *, excluding: int | None = None) -> dict[Audience, int]:
        counts = {}
        for audience in Audience:
            members = self._members(event_key, audience, excluding).subquery()
            counts[audience] = (
                await self._session.scalar(select(func.count()).select_from(members)) or 0
            )
        return counts

    async def members(
        self, event_key: str, audience: Audience, *, excluding: int | None = None
    ) -> list[tuple[int, str | None, str | None]]:
        """(user id, chosen language, Telegram language) of everyone in the audience."""
        query = self._members(event_key, audience, excluding).order_by(User.id)
        rows = await self._session.execute(query)
        return [(user_id, chosen, telegram) for user_id, chosen, telegram in rows]
