"""Questions relayed to the organisers' chat, so an organiser's reply finds its partner."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import QuestionRelay


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
        language: str | None = None,
    ) -> QuestionRelay:
        relay = QuestionRelay(
            user_id=user_id,
            question=question,
            organiser_chat_id=organiser_chat_id,
            organiser_message_id=organiser_message_id,
            created_at=now,
            language=language,
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

    async def get(self, relay_id: int) -> QuestionRelay | None:
        return await self._session.get(QuestionRelay, relay_id)

    async def mark_answered(
        self, relay_id: int, now: datetime, answer_html: str | None = None
    ) -> None:
        """`answer_html`: a text answer, kept so it can be saved as an FAQ entry."""
        await self._session.execute(
            update(QuestionRelay)
            .where(QuestionRelay.id == relay_id)
            .values(answered_at=now, answer_html=answer_html)
        )
