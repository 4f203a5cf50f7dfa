"""QR tickets and the door: /ticket for partners; scanning a ticket, /checkin and the check-in
buttons for organisers.

A scanned ticket arrives as `/start ci_<token>`. Organisers see the registration with a button
per number of persons, and after the check-in a button that undoes it (a wrong count, the wrong
party); the partner who owns it sees their ticket; anyone else, and any old or
unknown token, gets one neutral sentence that tells nothing. Every button is checked again when
tapped (organiser? still this ticket? not yet checked in?), so a forged or outdated one is inert.
"""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update

from bot.checkin import callbacks
from bot.checkin.service import CheckinOutcome
from bot.checkin.tickets import Ticket, ticket_png, ticket_url, token_from_start
from bot.checkin.views import (
    already_checked_in,
    checked_in,
    checkin_card,
    choice_label,
    ticket_caption,
)
from bot.core.context import BotContext
from bot.core.services import Services
from bot.programme.model import Language
from handlers.guards import organisers_only, refuse_unless_organiser

log = logging.getLogger(__name__)

BUTTONS_PER_ROW = 4
QUERY_SHOWN = 100  # characters of a search query repeated in the answer


async def send_ticket(
    bot: Bot, services: Services, chat_id: int, ticket: Ticket, language: Language
) -> None:
    png = ticket_png(ticket_url(bot.username, ticket.token))
    caption = ticket_caption(services.texts, language, services.content.programme, ticket)
    await bot.send_photo(chat_id, InputFile(png, filename="ticket.png"), caption=caption)


async def send_current_ticket(
    bot: Bot, services: Services, user_id: int, language: Language
) -> None:
    """After a confirmation: the ticket as it is now (a newer change would send its own)."""
    ticket = await services.checkin.ticket_of(user_id)
    if ticket is not None:
        await send_ticket(bot, services, user_id, ticket, language)


async def ticket(update: Update, context: BotContext) -> None:
    """/ticket: the partner's current ticket again."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    services, language = context.services, context.language
    current = await services.checkin.ticket_of(user.id)
    if current is None:
        await chat.send_message(context.text("ticket.none"))
        return
    await send_ticket(context.bot, services, chat.id, current, language)


async def scanned(update: Update, context: BotContext) -> None:
    """`/start ci_<token>`: someone opened a ticket's link."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    services, language = context.services, context.language
    token = token_from_start(context.args[0]) if context.args else None
    found = await services.checkin.scan(token) if token is not None else None
    if found is not None and await services.organisers.is_organiser(user.id):
        await _show_card(update, context, found)
    elif found is not None and found.user_id == user.id:
        await send_ticket(context.bot, services, chat.id, found, language)
    else:
        await chat.send_message(context.text("ticket.unknown"))


def _check_in_buttons(context: BotContext, found: Ticket) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            context.plain("checkin.button", count=count),
            callback_data=callbacks.check_in(found.registration_id, count, found.token),
        )
        for count in range(1, found.persons + 1)
    ]
    rows = [buttons[i : i + BUTTONS_PER_ROW] for i in range(0, len(buttons), BUTTONS_PER_ROW)]
    return InlineKeyboardMarkup(rows)


def _undo_button(context: BotContext, found: Ticket) -> InlineKeyboardMarkup:
    data = callbacks.undo(found.registration_id, found.token)
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(context.plain("checkin.undo_button"), callback_data=data)]]
    )


async def _show_card(update: Update, context: BotContext, found: Ticket) -> None:
    """The registration with a check-in button per number of persons, or who checked it in."""
    chat = update.effective_chat
    assert chat is not None
    texts, language, now = context.services.texts, context.language, context.services.clock.now()
    if found.checked_in:
        await chat.send_message(
            already_checked_in(texts, language, found, now),
            reply_markup=_undo_button(context, found),
        )
        return
    await chat.send_message(
        checkin_card(texts, language, found), reply_markup=_check_in_buttons(context, found)
    )


async def check_in_tapped(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    if not await refuse_unless_organiser(update, context):
        return
    await query.answer()
    services, language = context.services, context.language
    tap = callbacks.parse_check_in(query.data)
    if tap is None:
        return
    registration_id = tap.registration_id
    result = await services.checkin.check_in(
        registration_id, tap.token, tap.persons, query.from_user.id
    )
    texts, now = services.texts, services.clock.now()
    if result.outcome is CheckinOutcome.CHECKED_IN and result.ticket is not None:
        log.info("Registration %s checked in by %s", registration_id, query.from_user.id)
        text = checked_in(texts, language, result.ticket, now)
        await query.edit_message_text(text, reply_markup=_undo_button(context, result.ticket))
    elif result.outcome is CheckinOutcome.ALREADY and result.ticket is not None:
        text = already_checked_in(texts, language, result.ticket, now)
        await query.edit_message_text(text, reply_markup=_undo_button(context, result.ticket))
    else:
        await query.edit_message_text(context.text("checkin.stale"))


async def undo_tapped(update: Update, context: BotContext) -> None:
    """Undo a check-in: the card comes back with its buttons, to check in the right count."""
    query = update.callback_query
    assert query is not None
    if not await refuse_unless_organiser(update, context):
        return
    await query.answer()
    tap = callbacks.parse_undo(query.data)
    if tap is None:
        return
    result = await context.services.checkin.undo(tap.registration_id, tap.token)
    if result.ticket is None or result.outcome is CheckinOutcome.INVALID:
        await query.edit_message_text(context.text("checkin.stale"))
        return
    if result.outcome is CheckinOutcome.UNDONE:
        log.info("Check-in of %s undone by %s", tap.registration_id, query.from_user.id)
    texts, language = context.services.texts, context.language
    text = context.text("checkin.undone") + "\n\n" + checkin_card(texts, language, result.ticket)
    await query.edit_message_text(text, reply_markup=_check_in_buttons(context, result.ticket))


@organisers_only
async def checkin_command(update: Update, context: BotContext) -> None:
    """/checkin <name or organisation>: the door without a code."""
    chat = update.effective_chat
    assert chat is not None
    services, language = context.services, context.language
    wanted = " ".join(context.args or []).strip()
    if not wanted:
        await chat.send_message(context.text("checkin.usage"))
        return
    result = await services.checkin.find(wanted)
    shown = wanted[:QUERY_SHOWN]
    if not result.matches:
        await chat.send_message(context.text("checkin.nobody", query=shown))
        return
    if result.clear is not None:
        found = await services.checkin.ticket(result.clear.registration_id)
        if found is not None:
            await _show_card(update, context, found)
            return
    buttons = [
        [
            InlineKeyboardButton(
                choice_label(services.texts, language, candidate),
                callback_data=callbacks.pick(candidate.registration_id),
            )
        ]
        for candidate in result.matches
    ]
    await chat.send_message(
        context.text("checkin.choose", query=shown),
        reply_markup=InlineKeyboardMarkup(buttons),
    )


async def picked(update: Update, context: BotContext) -> None:
    """A search result chosen: its card, if it is still a valid registration."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    if not await refuse_unless_organiser(update, context):
        return
    await query.answer()
    registration_id = callbacks.parse_pick(query.data)
    if registration_id is None:
        return
    found = await context.services.checkin.ticket(registration_id)
    if found is None:
        await update.effective_chat.send_message(context.text("checkin.stale"))
        return
    await _show_card(update, context, found)
