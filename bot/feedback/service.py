"""Feedback after the event: queued into the outbox like a reminder, ratings and comments stored.

`run_due` is called by the same wake-up jobs as the reminders (`handlers/reminders.py`); the
outbox row's unique (key, partner) pair makes it harmless to call it again or after a restart.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from bot.core.event_context import EventContext
from bot.feedback.callbacks import star_buttons
from bot.feedback.rules import (
    STARS,
    FeedbackRound,
    FeedbackSummary,
    feedback_round,
    summarise,
)
from bot.outbox.fanout import Fanout, same_for_each_language
from bot.programme.model import Language
from storage.repositories import Repositories

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PartnerFeedback:
    stars: int
    comment: str | None


class FeedbackService:
    def __init__(self, event: EventContext, fanout: Fanout) -> None:
        self._event = event
        self._database, self._clock, self._texts = event.database, event.clock, event.texts
        self._fanout = fanout

    def round(self) -> FeedbackRound | None:
        return feedback_round(self._event.programme)

    async def run_due(self) -> int:
        """Queue the question for every checked-in partner who has not got it; returns how many."""
        now, current = self._clock.now(), self.round()
        if current is None or not current.is_due(now):
            return 0
        event_key = self._event.event_key
        queued = await self._fanout.queue(
            current.key,
            lambda repositories: repositories.checkin.checked_in_partners(event_key),
            same_for_each_language(self.render),
            now,
        )
        if queued:
            log.info("Feedback question queued for %d partners", queued)
        return queued

    def question(self, language: Language) -> str:
        """The programme's own question, else "How did you like <event title>?"."""
        programme = self._event.programme
        feedback = programme.feedback
        if feedback is not None and feedback.question is not None:
            return feedback.question.get(language)
        event = programme.event.title.get(language)
        return self._texts.plain(language, "feedback.default_question", event=event)

    def render(self, language: Language) -> str:
        """The thank-you with star buttons, as an outbox payload (JSON)."""
        event = self._event.programme.event.title.get(language)
        question = self.question(language)
        text = self._texts.get(language, "feedback.request", event=event, question=question)
        buttons = [{"text": label, "callback_data": data} for label, data in star_buttons()]
        payload: dict[str, Any] = {
            "kind": "text",
            "text": text,
            "parse_mode": "HTML",
            "buttons": [buttons],
        }
        return json.dumps(payload, ensure_ascii=False)

    async def may_rate(self, user_id: int) -> bool:
        """The programme asks for feedback and the partner was checked in at the door."""
        if self._event.programme.feedback is None:
            return False
        async with self._database.transaction() as repositories:
            return await repositories.checkin.was_checked_in(self._event.event_key, user_id)

    async def rate(self, user_id: int, stars: int) -> bool:
        """Only partners who were there can rate; False for anyone else (a forged button)."""
        if stars not in STARS:
            return False
        key = self._event.event_key
        async with self._database.transaction() as repositories:
            if not await repositories.checkin.was_checked_in(key, user_id):
                return False
            await repositories.feedback.rate(key, user_id, stars, self._clock.now())
        return True

    async def comment(self, user_id: int, text: str) -> bool:
        async with self._database.transaction() as repositories:
            return await repositories.feedback.comment(
                self._event.event_key, user_id, text, self._clock.now()
            )

    async def summary(self) -> FeedbackSummary:
        async with self._database.transaction() as repositories:
            return await self.summary_in(repositories)

    async def summary_in(self, repositories: Repositories) -> FeedbackSummary:
        """`summary` inside a transaction the caller has open."""
        rows = await repositories.feedback.all(self._event.event_key)
        return summarise((row.stars, row.comment) for row in rows)

    async def by_partner(self) -> dict[int, PartnerFeedback]:
        """Ratings by user id, for the export."""
        async with self._database.transaction() as repositories:
            rows = await repositories.feedback.all(self._event.event_key)
            return {row.user_id: PartnerFeedback(row.stars, row.comment) for row in rows}
