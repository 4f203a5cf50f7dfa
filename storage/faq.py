"""Learned FAQ entries, the wordings they are found by, and the learned answers partners got."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import FaqAnswer, FaqWording, LearnedFaq


class FaqRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_entry(
        self, *, event_key: str, language: str, answer_html: str, by: int, now: datetime
    ) -> LearnedFaq:
        entry = LearnedFaq(
            event_key=event_key,
            language=language,
            created_by=by,
            created_at=now,
            used=0,
            unhelpful=0,
            **{f"answer_{language}": answer_html},
        )
        self._session.add(entry)
        await self._session.flush()
        return entry

    async def add_wording(
        self,
        *,
        event_key: str,
        text: str,
        language: str,
        by: int,
        now: datetime,
        entry_id: int | None = None,
        topic: str | None = None,
        relay_id: int | None = None,
    ) -> FaqWording:
        """A wording of a learned entry (`entry_id`) or of a programme topic (`topic`)."""
        assert (entry_id is None) != (topic is None)
        wording = FaqWording(
            event_key=event_key,
            entry_id=entry_id,
            topic=topic,
            text=text,
            language=language,
            relay_id=relay_id,
            added_by=by,
            added_at=now,
        )
        self._session.add(wording)
        await self._session.flush()
        return wording

    async def entries(self) -> Sequence[LearnedFaq]:
        """Every entry of every event, oldest first."""
        return (await self._session.scalars(select(LearnedFaq).order_by(LearnedFaq.id))).all()

    async def wordings(self) -> Sequence[FaqWording]:
        return (await self._session.scalars(select(FaqWording).order_by(FaqWording.id))).all()

    async def get(self, entry_id: int) -> LearnedFaq | None:
        return await self._session.get(LearnedFaq, entry_id)

    async def wordings_of(self, entry_id: int) -> Sequence[FaqWording]:
        return (
            await self._session.scalars(
                select(FaqWording).where(FaqWording.entry_id == entry_id).order_by(FaqWording.id)
            )
        ).all()

    async def delete_wording(self, entry_id: int, wording_id: int) -> bool:
        result = await self._session.execute(
            delete(FaqWording).where(FaqWording.id == wording_id, FaqWording.entry_id == entry_id)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def is_saved(self, relay_id: int) -> bool:
        """Whether a relayed question's wording is stored already (saved twice by two taps)."""
        found = await self._session.scalar(
            select(FaqWording.id).where(FaqWording.relay_id == relay_id).limit(1)
        )
        return found is not None

    async def set_answer(
        self, entry_id: int, language: str, answer_html: str, *, by: int, now: datetime
    ) -> bool:
        result = await self._session.execute(
            update(LearnedFaq)
            .where(LearnedFaq.id == entry_id)
            .values({f"answer_{language}": answer_html, "changed_by": by, "changed_at": now})
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def move_to_event(self, entry_id: int, event_key: str) -> bool:
        """Carry an entry, with its wordings, over to another event."""
        result = await self._session.execute(
            update(LearnedFaq)
            .where(LearnedFaq.id == entry_id, LearnedFaq.event_key != event_key)
            .values(event_key=event_key)
        )
        await self._session.execute(
            update(FaqWording).where(FaqWording.entry_id == entry_id).values(event_key=event_key)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def delete(self, entry_id: int) -> bool:
        # Wordings and sent answers go with it (ON DELETE CASCADE); deleted here as well, so
        # nothing depends on the database enforcing it.
        await self._session.execute(delete(FaqWording).where(FaqWording.entry_id == entry_id))
        await self._session.execute(delete(FaqAnswer).where(FaqAnswer.entry_id == entry_id))
        result = await self._session.execute(delete(LearnedFaq).where(LearnedFaq.id == entry_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def record_answer(
        self, *, user_id: int, entry_id: int, question: str, now: datetime
    ) -> int:
        """A partner was answered from the entry: counted, and kept for "Doesn't help"."""
        answer = FaqAnswer(user_id=user_id, entry_id=entry_id, question=question, created_at=now)
        self._session.add(answer)
        await self._session.execute(
            update(LearnedFaq).where(LearnedFaq.id == entry_id).values(used=LearnedFaq.used + 1)
        )
        await self._session.flush()
        return answer.id

    async def mark_unhelpful(self, answer_id: int, user_id: int, now: datetime) -> str | None:
        """The partner's question, if the answer was theirs and not marked before; counted."""
        answer = await self._session.scalar(
            select(FaqAnswer)
            .where(
                FaqAnswer.id == answer_id,
                FaqAnswer.user_id == user_id,
                FaqAnswer.unhelpful_at.is_(None),
            )
            .with_for_update()
        )
        if answer is None:
            return None
        answer.unhelpful_at = now
        await self._session.execute(
            update(LearnedFaq)
            .where(LearnedFaq.id == answer.entry_id)
            .values(unhelpful=LearnedFaq.unhelpful + 1)
        )
        return answer.question
