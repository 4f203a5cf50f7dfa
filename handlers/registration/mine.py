"""A partner's own registration: /myrsvp, /cancelrsvp, /calendar, and the messages
that follow a registration change (outcome, calendar file, ticket, promotions from the waitlist)."""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import Forbidden, TelegramError

from bot.core.context import BotContext
from bot.core.services import Services
from bot.core.timefmt import format_datetime
from bot.feedback.callbacks import star_buttons
from bot.programme.model import Language
from bot.registration import callbacks
from bot.registration.calendar import CalendarEntry, build_calendar, calendar_filename
from bot.registration.rules import Status
from bot.registration.service import Outcome, RegistrationView, Result
from bot.registration.views import render_registration
from handlers.checkin import send_current_ticket

log = logging.getLogger(__name__)

_OUTCOME_TEXTS = {
    Outcome.CONFIRMED: "rsvp.confirmed",
    Outcome.WAITLISTED: "rsvp.waitlisted",
    Outcome.DECLINED: "rsvp.declined",
    Outcome.CANCELLED: "rsvp.cancelled",
    Outcome.QUOTA: "invite.quota_taken",
}


async def send_calendar(
    bot: Bot, services: Services, chat_id: int, registration: RegistrationView
) -> None:
    """The .ics file; the same UID each time, so calendars update the entry, not add one."""
    programme, language = services.content.programme, registration.language
    entry = CalendarEntry(
        uid_seed=registration.calendar_uid,
        attendee_name=registration.name,
        persons=registration.persons,
        sequence=registration.calendar_sequence,
    )
    data = build_calendar(programme, entry, language, services.clock.now())
    caption = services.texts.get(
        language, "rsvp.calendar_caption", event=programme.event.title.get(language)
    )
    await bot.send_document(
        chat_id, InputFile(data, filename=calendar_filename(programme, language)), caption=caption
    )


async def notify_promoted(bot: Bot, services: Services, promoted: list[RegistrationView]) -> None:
    """Tell each partner who moved up from the waitlist, at once, in their language."""
    for registration in promoted:
        language: Language = registration.language
        event = services.content.programme.event.title.get(language)
        text = services.texts.get(
            language, "rsvp.promoted", event=event, persons=registration.persons
        )
        try:
            await bot.send_message(registration.user_id, text)
            await send_calendar(bot, services, registration.user_id, registration)
            await send_current_ticket(bot, services, registration.user_id, language)
        except Forbidden:
            await services.users.mark_unreachable(registration.user_id)
        except TelegramError as error:
            log.warning("Could not tell a promoted partner: %s", error)


async def say_registration_over(update: Update, context: BotContext) -> None:
    """Nothing changes once the event has begun; once it has ended, say so, and ask those
    who came how they liked it, when the programme asks for feedback."""
    chat, user = update.effective_chat, update.effective_user
    assert chat is not None and user is not None
    services, language = context.services, context.language
    if not services.content.programme.has_ended(services.clock.now()):
        await chat.send_message(context.text("rsvp.over"))
    elif await services.feedback.may_rate(user.id):
        question = services.feedback.question(language)
        stars = [InlineKeyboardButton(label, callback_data=data) for label, data in star_buttons()]
        await chat.send_message(
            context.text("rsvp.ended_feedback", question=question),
            reply_markup=InlineKeyboardMarkup([stars]),
        )
    else:
        await chat.send_message(context.text("rsvp.ended"))


async def announce_result(update: Update, context: BotContext, result: Result) -> None:
    """Tell the partner what their answer led to, send the calendar file, tell who moved up."""
    chat = update.effective_chat
    assert chat is not None
    services, language = context.services, context.language
    if result.outcome is Outcome.CLOSED:
        deadline = format_datetime(services.content.programme.event.rsvp_deadline, language)
        await chat.send_message(context.text("rsvp.closed", date=deadline))
    elif result.outcome is Outcome.OVER:
        await say_registration_over(update, context)
    elif result.outcome in _OUTCOME_TEXTS:
        await chat.send_message(context.text(_OUTCOME_TEXTS[result.outcome]))
    if result.outcome is Outcome.CONFIRMED and result.registration is not None:
        await send_calendar(context.bot, services, chat.id, result.registration)
        await send_current_ticket(context.bot, services, result.registration.user_id, language)
    await notify_promoted(context.bot, services, result.promoted)


def _button(context: BotContext, key: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        context.services.texts.template(context.language, key), callback_data=data
    )


async def my_rsvp(update: Update, context: BotContext) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    services, language = context.services, context.language
    registration = await services.registrations.current(user.id)
    if registration is None or registration.status is Status.CANCELLED:
        await message.reply_html(context.text("rsvp.none"), do_quote=False)
        return
    markup = InlineKeyboardMarkup(
        [
            [
                _button(context, "rsvp.change", callbacks.CHANGE),
                _button(context, "rsvp.cancel_button", callbacks.CANCEL),
            ]
        ]
    )
    await message.reply_html(
        render_registration(services.texts, language, registration),
        reply_markup=markup,
        do_quote=False,
    )


async def ask_cancel(update: Update, context: BotContext) -> None:
    """/cancelrsvp or the cancel button of /myrsvp: ask before cancelling."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    if update.callback_query is not None:
        await update.callback_query.answer()
    services = context.services
    registration = await services.registrations.current(user.id)
    if registration is None or registration.status not in (Status.CONFIRMED, Status.WAITLISTED):
        await chat.send_message(context.text("rsvp.none"))
        return
    markup = InlineKeyboardMarkup(
        [
            [
                _button(context, "rsvp.cancel_yes", callbacks.CANCEL_YES),
                _button(context, "rsvp.cancel_no", callbacks.KEEP),
            ]
        ]
    )
    await chat.send_message(context.text("rsvp.cancel_question"), reply_markup=markup)


async def confirm_cancel(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    result = await context.services.registrations.cancel(query.from_user.id)
    if result.outcome is Outcome.NOTHING:
        await query.message.chat.send_message(  # type: ignore[union-attr]
            context.text("rsvp.none")
        )
        return
    await announce_result(update, context, result)


async def keep(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(context.text("rsvp.kept"))


async def calendar(update: Update, context: BotContext) -> None:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    services = context.services
    registration = await services.registrations.current(user.id)
    if registration is None or registration.status is not Status.CONFIRMED:
        await message.reply_html(context.text("rsvp.calendar_none"), do_quote=False)
        return
    await send_calendar(context.bot, services, message.chat_id, registration)
