"""Questions relayed to the organisers' chat, so an organiser's reply finds its partner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import Organisation, QuestionRelay, User


@dataclass(frozen=True)
class RelayRow:
    """A relayed question with who asked, from where, and who answered."""

    relay: QuestionRelay
    partner_name: str
    partner_language: str | None  # the partner's chosen language now
    organisation: str | None
    answered_by_name: str | None


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
        self,
        relay_id: int,
        now: datetime,
        answer_html: str | None = None,
        *,
        answered_by: int | None = None,
    ) -> None:
        """`answer_html`: a text answer, kept so it can be saved as an FAQ entry."""
        await self._session.execute(
            update(QuestionRelay)
            .where(QuestionRelay.id == relay_id)
            .values(
                answered_at=now,
                answer_html=answer_html,
                answered_by=answered_by,
                undelivered_at=None,
            )
        )

    async def mark_undelivered(self, relay_id: int, now: datetime, answered_by: int) -> None:
        """The partner had blocked the bot (403): the answer never reached them."""
        await self._session.execute(
            update(QuestionRelay)
            .where(QuestionRelay.id == relay_id, QuestionRelay.answered_at.is_(None))
            .values(undelivered_at=now, answered_by=answered_by)
        )

    async def inbox(self, limit: int) -> list[RelayRow]:
        """The newest relayed questions first, with the partner, organisation and answerer."""
        answerer = aliased(User)
        rows = await self._session.execute(
            select(
                QuestionRelay,
                User.first_name,
                User.last_name,
                User.language,
                Organisation.name,
                answerer.first_name,
            )
            .join(User, User.id == QuestionRelay.user_id)
            .outerjoin(Organisation, Organisation.id == User.organisation_id)
            .outerjoin(answerer, answerer.id == QuestionRelay.answered_by)
            .order_by(QuestionRelay.created_at.desc(), QuestionRelay.id.desc())
            .limit(limit)
        )
        return [
            RelayRow(
                relay,
                " ".join(part for part in (first, last) if part),
                language,
                organisation,
                answerer_name,
            )
            for relay, first, last, language, organisation, answerer_name in rows
        ]
