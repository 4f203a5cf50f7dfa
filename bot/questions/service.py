"""The organisers' inbox of relayed questions: who asked, from where, and what became of it.

Relaying and passing answers on happen in `relay.py`; this service records who answered and
whether the answer arrived, and lists the questions for organisers (the chat and, later,
the dashboard ask the same methods).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.core.event_context import EventContext
from storage.models import QuestionRelay


class QuestionState(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    UNDELIVERED = "undelivered"  # answered, but the partner had blocked the bot


@dataclass(frozen=True)
class RelayedQuestion:
    id: int
    question: str
    asked_at: datetime
    partner_id: int
    partner_name: str
    organisation: str | None
    language: str | None  # the partner's language when they asked, else their choice now
    state: QuestionState
    answered_by: int | None = None
    answered_by_name: str | None = None
    answered_at: datetime | None = None  # when answered, or when delivery failed
    answer_html: str | None = None  # a text answer; None for a photo or document


def state_of(relay: QuestionRelay) -> QuestionState:
    if relay.answered_at is not None:
        return QuestionState.ANSWERED
    if relay.undelivered_at is not None:
        return QuestionState.UNDELIVERED
    return QuestionState.OPEN


class QuestionService:
    def __init__(self, event: EventContext) -> None:
        self._database, self._clock = event.database, event.clock

    async def inbox(self, limit: int = 100) -> list[RelayedQuestion]:
        """The newest relayed questions first."""
        async with self._database.transaction() as repositories:
            rows = await repositories.questions.inbox(limit)
        return [
            RelayedQuestion(
                id=row.relay.id,
                question=row.relay.question,
                asked_at=row.relay.created_at,
                partner_id=row.relay.user_id,
                partner_name=row.partner_name,
                organisation=row.organisation,
                language=row.relay.language or row.partner_language,
                state=state_of(row.relay),
                answered_by=row.relay.answered_by,
                answered_by_name=row.answered_by_name,
                answered_at=row.relay.answered_at or row.relay.undelivered_at,
                answer_html=row.relay.answer_html,
            )
            for row in rows
        ]

    async def claim(self, relay_id: int, organiser_id: int, answer_html: str | None) -> bool:
        """This organiser's answer is the first; False if another one answered before."""
        async with self._database.transaction() as repositories:
            return await repositories.questions.claim_answer(
                relay_id, self._clock.now(), answer_html, answered_by=organiser_id
            )

    async def record_undelivered(self, relay_id: int, organiser_id: int) -> None:
        """The partner had blocked the bot; the question stays without an answer."""
        async with self._database.transaction() as repositories:
            await repositories.questions.release_answer(relay_id, organiser_id, self._clock.now())

    async def release(self, relay_id: int, organiser_id: int) -> None:
        """Passing the answer on failed: the question is open again."""
        async with self._database.transaction() as repositories:
            await repositories.questions.release_answer(relay_id, organiser_id, None)
