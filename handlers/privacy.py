"""Privacy: /privacy explains, /mydata hands the data over, /deletemydata erases it; retention.

/deletemydata asks first. Its buttons carry the id of the user they were sent to, and only that
user's press counts: anyone else's (or a forged one) gets a note and changes nothing. Erasing
forgets what python-telegram-bot holds about the user first (user_data, the private chat's
chat_data, any conversation in progress and its timeout), so no step of an old conversation can
continue or come back, and then the privacy desk cancels an active registration (freeing seats,
promoting the waitlist) and deletes the rows.

The retention job runs once at start, before the first update, and then daily.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import Application, ContextTypes

from bot.core.context import SERVICES_KEY, BotContext
from bot.core.services import Services
from bot.core.texts import Html, Texts
from bot.core.timefmt import format_date, format_datetime
from bot.privacy.callbacks import EraseAction, erase_choice, parse_erase_choice
from bot.privacy.personal_data import export_filename
from bot.privacy.rules import CHECK_INTERVAL
from bot.privacy.service import Erasure
from bot.programme.model import Language
from handlers.registration.mine import notify_promoted
from storage.persistence import DatabasePersistence
from storage.privacy import BOT_STATE, USERS

log = logging.getLogger(__name__)

RETENTION_JOB = "retention"
# The order of the lines in the confirmation; tables added later are counted as "other".
_ERASED_LABELS = ("registrations", "question_relays", "outbox", BOT_STATE)

PartnerApplication = Application[Any, Any, Any, Any, Any, Any]


async def privacy(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None
    services, language = context.services, context.language
    text = context.text(
        "privacy",
        host=services.content.programme.event.host.get(language),
        days=services.privacy.retention_days,
        date=format_date(services.privacy.deletion_date(), language, year=True),
    )
    await message.reply_html(text, do_quote=False)


async def my_data(update: Update, context: BotContext) -> None:
    """/mydata: everything stored about the user, as a JSON file."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    services = context.services
    await context.application.update_persistence()  # the step in progress, written at once
    data = await services.privacy.export(user.id)
    now = services.clock.now()
    caption = services.texts.get(
        context.language, "privacy.export_caption", time=format_datetime(now, context.language)
    )
    await chat.send_document(InputFile(data, filename=export_filename(now)), caption=caption)


async def ask_erase(update: Update, context: BotContext) -> None:
    """/deletemydata: ask before erasing; the buttons name the user they are for."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None

    def button(key: str, action: EraseAction) -> InlineKeyboardButton:
        label = context.plain(key)
        return InlineKeyboardButton(label, callback_data=erase_choice(action, user.id))

    markup = InlineKeyboardMarkup(
        [[button("privacy.erase_yes", "erase"), button("privacy.erase_no", "keep")]]
    )
    await chat.send_message(context.text("privacy.erase_question"), reply_markup=markup)


async def erase_chosen(update: Update, context: BotContext) -> None:
    """A press on "yes" or "no"; only the user the question was for is listened to."""
    query = update.callback_query
    assert query is not None and query.message is not None
    texts, language = context.services.texts, context.language
    choice = parse_erase_choice(query.data)
    if choice is None or choice.owner != query.from_user.id:
        await query.answer(context.plain("privacy.not_yours"))
        return
    await query.answer()
    if choice.action == "keep":
        await query.edit_message_text(context.text("privacy.kept"))
        return
    await query.edit_message_reply_markup(None)
    erasure, states = await erase_user(context, query.from_user.id)
    await query.message.chat.send_message(render_erasure(texts, language, erasure, states))


async def erase_user(context: BotContext, user_id: int) -> tuple[Erasure, int]:
    """Forget the user in memory, then in the database; tell partners who moved up."""
    services = context.services
    states = await _forget_bot_state(context.application, [user_id])
    erasure = await services.privacy.erase(user_id)
    services.visitors.erased(user_id)  # the next update records the user afresh
    await services.faq.refresh()  # FAQ wordings taken from the user's questions went too
    await notify_promoted(context.bot, services, erasure.promoted)
    return erasure, states


def render_erasure(texts: Texts, language: Language, erasure: Erasure, states: int) -> Html:
    """What went, in counts: never the data itself."""
    counts = {**erasure.deleted, BOT_STATE: states}
    lines = [texts.get(language, "privacy.erased.cancelled")] if erasure.cancelled else []
    rows = [(USERS, counts.pop(USERS, 0))]
    rows += [(table, counts.pop(table, 0)) for table in _ERASED_LABELS]
    rows.append(("other", sum(counts.values())))
    lines += [
        texts.get(
            language,
            "privacy.erased.line",
            label=texts.get(language, f"privacy.erased.{label}"),
            count=count,
        )
        for label, count in rows
        if count or label != "other"
    ]
    return texts.get(language, "privacy.erased", lines=Html("\n".join(lines)))


async def _forget_bot_state(application: PartnerApplication, user_ids: list[int]) -> int:
    """python-telegram-bot's state of the users, in memory and in the database; how much."""
    persistence = application.persistence
    if not isinstance(persistence, DatabasePersistence):
        return 0
    return await persistence.forget_users(user_ids, application=application)


# ---------------------------------------------------------------- retention


async def apply_retention(application: PartnerApplication) -> None:
    """Delete the event's personal data once its retention is over; log the counts only."""
    services: Services = application.bot_data[SERVICES_KEY]
    run = await services.privacy.apply_retention()
    if run is None:
        return
    for user_id in run.erased_users:
        services.visitors.erased(user_id)
    await services.faq.refresh()  # FAQ wordings taken from the deleted questions went too
    states = await _forget_bot_state(application, run.erased_users)
    deleted = {**run.deleted, BOT_STATE: states}
    if not any(deleted.values()):
        log.debug("Retention: nothing left to delete for event %s", run.event_key)
        return
    log.info(
        "Retention: deleted the personal data of event %s, %d days after its end: %s",
        run.event_key,
        services.privacy.retention_days,
        ", ".join(f"{table} {count}" for table, count in sorted(deleted.items())),
    )


async def _retention_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await apply_retention(context.application)


async def start_jobs(application: PartnerApplication) -> None:
    """Apply retention now, before the first update is answered, and then once a day."""
    try:
        await apply_retention(application)
    except Exception:  # the bot must answer even if this fails; the daily job tries again
        log.exception("Retention at start failed; trying again in a day")
    job_queue = application.job_queue
    assert job_queue is not None
    job_queue.run_repeating(
        _retention_job, interval=CHECK_INTERVAL, first=CHECK_INTERVAL, name=RETENTION_JOB
    )
