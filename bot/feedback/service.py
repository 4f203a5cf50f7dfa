"""Feedback after the event: queued into the outbox like a reminder, ratings and comments stored.

`run_due` is called by the same wake-up jobs as the reminders (`handlers/reminders.py`); the
outbox row's unique (key, partner) pair makes it harmless to call it again or after a restart.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.core.clock import Clock
from bot.core.language import resolve_language
from bot.core.texts import Texts
from bot.feedback.callbacks import star_buttons
from bot.feedback.rules import (
    STARS,
    FeedbackRound,
    FeedbackSummary,
    feedback_round,
    summarise,
)
from bot.programme.model import LANGUAGES, Language, Programme
from storage.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PartnerFeedback:
    stars: int
    comment: str | None


class FeedbackService:
    def __init__(
        self,
        database: Database,
        clock: Clock,
        texts: Texts,
        programme: Callable[[], Programme],
        default_language: Language,
        wake_outbox: Callable[[], None],
    ) -> None:
        self._database = database
        self._clock = clock
        self._texts = texts
        self._programme = programme
        self._default_language = default_language
        self._wake_outbox = wake_outbox

    @property
    def event_key(self) -> str:
        return self._programme().event_key

    def round(self) -> FeedbackRound | None:
        return feedback_round(self._programme())

    async def run_due(self) -> int:
        """Queue the question for every checked-in partner who has not got it; returns how many."""
        now, current = self._clock.now(), self.round()
        if current is None or not current.is_due(now):
            return 0
        payloads = {language: self.render(language) for language in LANGUAGES}
        async with self._database.transaction() as repositories:
            partners = await repositories.checkin.checked_in_partners(self.event_key)
            recipients = []
            for registration, user in partners:
                language = resolve_language(
                    user.language or registration.language,
                    user.telegram_language,
                    self._default_language,
                )
                recipients.append((user.id, language, payloads[language]))
            queued = await repositories.outbox.enqueue_reminder(current.key, recipients, now)
        if queued:
            log.info("Feedback question queued for %d partners", queued)
            self._wake_outbox()
        return queued

    def question(self, language: Language) -> str:
        """The programme's own question, else "How did you like <event title>?"."""
        programme = self._programme()
        feedback = programme.feedback
        if feedback is not None and feedback.question is not None:
            return feedback.question.get(language)
        event = programme.event.title.get(language)
        return self._texts.plain(language, "feedback.default_question", event=event)

    def render(self, language: Language) -> str:
        """The thank-you with star buttons, as an outbox payload (JSON)."""
        event = self._programme().event.title.get(language)
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
        if self._programme().feedback is None:
            return False
        async with self._database.transaction() as repositories:
            return await repositories.checkin.was_checked_in(self.event_key, user_id)

    async def rate(self, user_id: int, stars: int) -> bool:
        """Only partners who were there can rate; False for anyone else (a forged button)."""
        if stars not in STARS:
            return False
        async with self._database.transaction() as repositories:
            if not await repositories.checkin.was_checked_in(self.event_key, user_id):
                return False
            await repositories.feedback.rate(self.event_key, user_id, stars, self._clock.now())
        return True

    async def comment(self, user_id: int, text: str) -> bool:
        async with self._database.transaction() as repositories:
            return await repositories.feedback.comment(
                self.event_key, user_id, text, self._clock.now()
            )

    async def summary(self) -> FeedbackSummary:
        async with self._database.transaction() as repositories:
            rows = await repositories.feedback.all(self.event_key)
            return summarise((row.stars, row.comment) for row in rows)

    async def by_partner(self) -> dict[int, PartnerFeedback]:
        """Ratings by user id, for the export."""
        async with self._database.transaction() as repositories:
            rows = await repositories.feedback.all(self.event_key)
            return {row.user_id: PartnerFeedback(row.stars, row.comment) for row in rows}
