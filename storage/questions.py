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

    async def get(self, relay_id: int, *, lock: bool = False) -> QuestionRelay | None:
        """With `lock`, others saving the same question wait until this transaction ends."""
        return await self._session.get(QuestionRelay, relay_id, with_for_update=lock)

    async def claim_answer(
        self, relay_id: int, now: datetime, answer_html: str | None, *, answered_by: int
    ) -> bool:
        """Record the first answer before it is passed on, in one conditional UPDATE: of two
        organisers answering at the same moment, one gets the question, the other is shown
        that answer. `answer_html`: a text answer, kept so it can be saved as an FAQ entry."""
        claimed = await self._session.scalar(
            update(QuestionRelay)
            .where(QuestionRelay.id == relay_id, QuestionRelay.answered_at.is_(None))
            .values(
                answered_at=now,
                answer_html=answer_html,
                answered_by=answered_by,
                undelivered_at=None,
            )
            .returning(QuestionRelay.id)
        )
        return claimed is not None

    async def release_answer(
        self, relay_id: int, answered_by: int, undelivered_at: datetime | None
    ) -> None:
        """The claimed answer did not arrive: the question is open again; with
        `undelivered_at`, because the partner had blocked the bot (403)."""
        values: dict[str, object] = {"answered_at": None, "answer_html": None}
        if undelivered_at is not None:
            values["undelivered_at"] = undelivered_at
        else:
            values["answered_by"] = None
        await self._session.execute(
            update(QuestionRelay)
            .where(QuestionRelay.id == relay_id, QuestionRelay.answered_by == answered_by)
            .values(**values)
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
