"""Conversation timeouts that survive a restart.

python-telegram-bot keeps a conversation's timeout as a job in memory only. A persistent
conversation comes back after a restart, but without its timeout: it would wait for an answer
forever and never say that it expired. At start, every stored conversation of a handler with a
timeout gets the time it had left, counted from when its state was last written (a conversation
whose time ran out while the bot was down expires at once). The job is PTB's own: an answer
before then cancels it as usual, and when it fires the TIMEOUT handlers run and the
conversation ends.

This reaches into two private names of PTB's ConversationHandler (`_trigger_timeout` and
`_ConversationTimeoutContext`), which PTB uses for the same job; the restored-timeout tests
fail if a PTB upgrade changes them.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from telegram import Chat, Message, Update, User
from telegram.constants import ChatType
from telegram.ext import Application, ConversationHandler
from telegram.ext._handlers.conversationhandler import _ConversationTimeoutContext

from bot.core.context import BotContext
from storage.persistence import ConversationKey, DatabasePersistence

log = logging.getLogger(__name__)

PartnerApplication = Application[Any, BotContext, Any, Any, Any, Any]


async def restore_timeouts(application: PartnerApplication, now: datetime) -> int:
    """Schedule the rest of each stored conversation's timeout; returns how many."""
    persistence = application.persistence
    job_queue = application.job_queue
    if not isinstance(persistence, DatabasePersistence) or job_queue is None:
        return 0
    restored = 0
    for handlers in application.handlers.values():
        for handler in handlers:
            if not isinstance(handler, ConversationHandler) or not handler.persistent:
                continue
            timeout = handler.conversation_timeout
            if not timeout or handler.name is None:
                continue
            seconds = timeout.total_seconds() if isinstance(timeout, timedelta) else timeout
            for key, moved in (await persistence.conversations_since(handler.name)).items():
                update = _stand_in(application, key, now)
                if update is None:
                    log.warning("Conversation %r: no timeout for key %r", handler.name, key)
                    continue
                left = max(0.0, seconds - (now - moved).total_seconds())
                context = BotContext.from_update(update, application)
                # Before any update is processed, so nothing else touches timeout_jobs yet.
                handler.timeout_jobs[key] = job_queue.run_once(
                    _expire(handler),
                    left,
                    data=_ConversationTimeoutContext(key, update, application, context),
                    name=f"restored-timeout:{handler.name}:{key}",
                    # The scheduler starts after this; a late timeout still counts.
                    job_kwargs={"misfire_grace_time": None},
                )
                restored += 1
    if restored:
        log.info("Restored the timeouts of %d conversation(s)", restored)
    return restored


def _expire(handler: ConversationHandler[BotContext]) -> Any:
    async def expire(job_context: BotContext) -> None:
        """PTB's timeout, in the language the partner reads (no update set it this time)."""
        assert job_context.job is not None
        data = job_context.job.data
        assert isinstance(data, _ConversationTimeoutContext)
        user = data.update.effective_user
        if user is not None:
            services = data.callback_context.services
            data.callback_context.language = await services.users.language_of(user.id)
        await handler._trigger_timeout(job_context)

    return expire


def _stand_in(
    application: PartnerApplication, key: ConversationKey, now: datetime
) -> Update | None:
    """An update from the conversation's chat and user, for the TIMEOUT handlers to answer.

    Our conversations are keyed per chat and user (PTB's default); other shapes are skipped.
    """
    if len(key) != 2 or not all(isinstance(part, int) for part in key):
        return None
    chat_id, user_id = int(key[0]), int(key[1])
    kind = ChatType.PRIVATE if chat_id == user_id else ChatType.GROUP
    message = Message(
        message_id=0,
        date=now,
        chat=Chat(id=chat_id, type=kind),
        from_user=User(id=user_id, first_name="", is_bot=False),
    )
    update = Update(update_id=0, message=message)
    update.set_bot(application.bot)
    return update
