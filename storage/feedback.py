"""The partners' ratings of an event: one per partner and event, changed by tapping again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialects import insert_for
from storage.models import Feedback


class FeedbackRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def rate(self, event_key: str, user_id: int, stars: int, now: datetime) -> None:
        """Store or change the stars in one statement; a comment given earlier stays."""
        insert = insert_for(self._session)
        await self._session.execute(
            insert(Feedback)
            .values(
                event_key=event_key, user_id=user_id, stars=stars, created_at=now, changed_at=now
            )
            .on_conflict_do_update(
                index_elements=[Feedback.event_key, Feedback.user_id],
                set_={"stars": stars, "changed_at": now},
            )
        )

    async def comment(self, event_key: str, user_id: int, comment: str, now: datetime) -> bool:
        """False when there is no rating to attach the comment to."""
        result = await self._session.execute(
            update(Feedback)
            .where(Feedback.event_key == event_key, Feedback.user_id == user_id)
            .values(comment=comment, changed_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def all(self, event_key: str) -> list[Feedback]:
        result = await self._session.scalars(
            select(Feedback).where(Feedback.event_key == event_key).order_by(Feedback.id)
        )
        return list(result)
