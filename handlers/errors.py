"""The last resort: log what went wrong, tell the organisers without personal data, apologise.

The user and the organisers' report share a short id, so "Fehler 3f9a0c12" in a partner's
message leads to exactly one log line with the traceback.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.core.context import BotContext
from bot.core.error_reports import ErrorReport, SeriesKey, new_error_id

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    if error is None:
        return
    services = context.services
    error_id = new_error_id()
    _log(update, error, error_id)
    now = services.clock.now()
    recorded = services.error_reports.record(error_id, error, now)
    if recorded.report is not None:
        await _report(context, recorded.report)
    elif recorded.look_again_at is not None and context.job_queue is not None:
        context.job_queue.run_once(
            _report_held_back,
            when=max(0.0, (recorded.look_again_at - now).total_seconds()),
            data=recorded.key,
            name="error-report",
        )
    if isinstance(update, Update):
        await _apologise(update, context, error_id)


def _log(update: object, error: BaseException, error_id: str) -> None:
    """The full story for whoever looks up the id: ids of chat and user, and the traceback."""
    if not isinstance(update, Update):
        log.error("Error %s outside an update: %r", error_id, error, exc_info=error)
        return
    chat, user = update.effective_chat, update.effective_user
    log.error(
        "Error %s handling update %s (chat %s, user %s)",
        error_id,
        update.update_id,
        chat.id if chat else None,
        user.id if user else None,
        exc_info=error,
    )


async def _report_held_back(context: BotContext) -> None:
    """A storm's end: the errors held back during the quiet minute, in one report."""
    assert context.job is not None
    key: SeriesKey = context.job.data  # type: ignore[assignment]
    services = context.services
    report = services.error_reports.held_back(key, services.clock.now())
    if report is not None:
        await _report(context, report)


async def _report(context: BotContext, report: ErrorReport) -> None:
    services = context.services
    chat_id = services.settings.organisers.chat_id
    if chat_id is None:
        return  # the log line is the report
    language = services.settings.event.default_language
    text = services.texts.get(
        language,
        "error.report",
        id=report.error_id,
        callback=report.callback,
        exception=report.exception,
    )
    if report.earlier:
        text += "\n" + services.texts.get(language, "error.report_earlier", count=report.earlier)
    try:
        await context.bot.send_message(chat_id, text)
    except TelegramError:
        log.warning("Could not send the report of error %s to the organisers", report.error_id)


async def _apologise(update: Update, context: BotContext, error_id: str) -> None:
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        return
    # The error handler's context is a fresh one: the language found for the update is not in it.
    texts = context.services.texts
    user = update.effective_user
    language = (
        await context.services.users.language_of(user.id, user.language_code)
        if user is not None
        else context.services.settings.event.default_language
    )
    text = (
        texts.get(language, "error.apology")
        + "\n"
        + texts.get(language, "error.quote_id", id=error_id)
    )
    try:
        await context.bot.send_message(chat.id, text)
    except TelegramError:
        log.warning("Could not send the apology for error %s", error_id)
