"""The organiser's progress message, kept up to date while an announcement goes out.

The question "send now?" becomes this message. The outbox sender calls `show` (through a
callback wired in bot/app.py) at most every 3 s and once when the announcement is done; the
outbox knows nothing of what the message says.
"""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import BadRequest, TelegramError

from bot.announcements.service import AnnouncementService
from bot.announcements.views import progress_buttons, progress_text
from bot.core.send_budget import SendBudget
from bot.core.texts import Texts
from bot.programme.model import Language

log = logging.getLogger(__name__)


class AnnouncementProgress:
    """Edits the progress message of a broadcast with its latest figures."""

    def __init__(
        self,
        announcements: AnnouncementService,
        texts: Texts,
        budget: SendBudget,
        language: Language,
    ) -> None:
        self._announcements = announcements
        self._texts = texts
        self._budget = budget
        self._language = language

    async def show(self, bot: Bot, broadcast_id: int) -> None:
        """Edit the organiser's progress message. Telegram's refusals (a deleted message) are
        logged, not raised; an edit that changes nothing is no news."""
        report = await self._announcements.report(broadcast_id)
        if report is None or report.report_chat_id is None or report.report_message_id is None:
            return
        text = progress_text(self._texts, report, self._language, self._budget.bulk_per_second())
        markup = progress_buttons(self._texts, report, self._language)
        try:
            await bot.edit_message_text(
                text, report.report_chat_id, report.report_message_id, reply_markup=markup
            )
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                log.warning(
                    "Could not update the progress of broadcast %s: %s", broadcast_id, error
                )
        except TelegramError as error:
            log.warning("Could not update the progress of broadcast %s: %s", broadcast_id, error)
