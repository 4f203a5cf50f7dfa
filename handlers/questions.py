"""Free-text questions from partners, and organisers' replies to relayed ones."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType, MessageEntityType

from bot.core.context import BotContext
from bot.core.texts import Html
from bot.core.timefmt import format_datetime
from bot.questions import callbacks
from bot.questions.answering import Match, learned_id
from bot.questions.builtin import REGISTER
from bot.questions.faq_views import save_button
from bot.questions.relay import (
    Delivery,
    RelayResult,
    deliver_addition,
    deliver_organiser_answer,
    relay_question,
)
from bot.questions.replies import matched_answer
from handlers.fallbacks import stale_button
from handlers.faq import answer_learned
from handlers.reply import reply_html

CommandCallback = Callable[[Update, BotContext], Awaitable[Any]]


def _addressed_text(update: Update, bot_username: str) -> str | None:
    """The question in a private chat, or in a group only when the bot is mentioned."""
    message = update.effective_message
    if message is None or not message.text:
        return None
    if message.chat.type == ChatType.PRIVATE:
        return message.text
    mention = f"@{bot_username}".lower()
    mentions = message.parse_entities([MessageEntityType.MENTION]).values()
    if any(text.lower() == mention for text in mentions):
        return message.text.replace(f"@{bot_username}", "").strip()
    return None


async def answer_question(update: Update, context: BotContext) -> None:
    question = _addressed_text(update, context.bot.username)
    message, user = update.effective_message, update.effective_user
    if question is None or message is None or user is None:
        return
    services, language = context.services, context.language
    if not any(char.isalpha() for char in question):  # "???" or a stray "1" is no question
        await reply_html(message, context.text("question.too_short"))
        return
    if await answer_if_known(message, context, question):
        return
    if services.settings.organisers.chat_id is None:
        await reply_html(message, context.text("question.unknown"))
        return
    await reply_html(message, context.text("question.unknown_relayed"))
    relay = relay_question(context.bot, services, user, question, language)
    if not context.application.running:  # shutting down: background tasks would be dropped
        await relay
        return
    # Relaying waits for Telegram's group limit (20 messages a minute) when many questions
    # arrive at once; in the background it does not hold up the partner's next message.
    context.application.create_task(relay, update=update)


async def answer_if_known(
    message: Message, context: BotContext, question: str, *, buttons: bool = True
) -> bool:
    """Answer a question the answerer matches confidently; False leaves it to the caller.

    A topic about the bot carries a button that starts its command, in private chats only:
    the commands show personal data, and a button in a group could be tapped by anyone.
    """
    services = context.services
    match = services.content.answerer.match(question)
    if match is None:
        return False
    entry_id = learned_id(match.topic)
    if entry_id is not None:
        return await answer_learned(message, context, entry_id, question, buttons=buttons)
    text, markup = matched_answer(
        match,
        services.content.views,
        context.language,
        services.clock.now(),
        needs_invite=await _needs_invite(context, match, message),
    )
    private = message.chat.type == ChatType.PRIVATE
    await reply_html(message, text, markup if private and buttons else None)
    return True


async def _needs_invite(context: BotContext, match: Match, message: Message) -> bool:
    """With invitations, only a partner not linked to an organisation yet is told to open the
    invite link; one who opened it would be sent back to a step already done."""
    services, user = context.services, message.from_user
    if services.settings.event.access != "invite" or match.topic != REGISTER or user is None:
        return False
    return await services.partners.organisation_of(user.id) is None


def command_tapped(commands: Mapping[str, CommandCallback]) -> CommandCallback:
    """The handler of the button under an answer about the bot: it runs the command the answer
    names (the registration button enters its conversation instead, see its entry points)."""

    async def run_command(update: Update, context: BotContext) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        command = commands.get(query.data.removeprefix(callbacks.COMMAND_PREFIX))
        chat = update.effective_chat
        if command is None or chat is None or chat.type != ChatType.PRIVATE:
            await stale_button(update, context)
            return
        await query.answer()
        await command(update, context)

    return run_command


async def organiser_reply(update: Update, context: BotContext) -> None:
    """An organiser replied in the organisers' chat: pass it on if it answers a relayed question."""
    message = update.effective_message
    if message is None:
        return
    services = context.services
    result = await deliver_organiser_answer(context.bot, services, message)
    if result is None:
        return
    language = services.settings.event.default_language
    if result.delivery is Delivery.ANSWERED_BEFORE:
        await _ask_about_addition(message, context, result)
        return
    # A text answer, delivered, may become an FAQ entry; photos and documents may not.
    markup = save_button(services.texts, language, result.relay_id) if result.savable else None
    await message.reply_html(
        services.texts.get(language, result.delivery.value, name=result.partner_name),
        reply_markup=markup,
    )


async def _ask_about_addition(message: Message, context: BotContext, result: RelayResult) -> None:
    """The question was answered before: show that answer and let the organiser decide."""
    texts, language = context.services.texts, context.services.settings.event.default_language
    earlier = result.earlier
    assert earlier is not None
    by = earlier.by_name or (f"id {earlier.by_id}" if earlier.by_id else "–")
    answer = (
        Html(earlier.answer_html)
        if earlier.answer_html is not None
        else texts.get(language, "relay.answer_not_text")
    )
    buttons = [
        InlineKeyboardButton(
            texts.plain(language, f"relay.{choice}_button"),
            callback_data=callbacks.addition(choice, result.relay_id, message.message_id),
        )
        for choice in ("add", "skip")
    ]
    await message.reply_html(
        texts.get(
            language,
            "relay.answered_before",
            name=result.partner_name,
            by=by,
            at=format_datetime(earlier.at, language),
            answer=answer,
        ),
        reply_markup=InlineKeyboardMarkup([buttons]),
    )


async def addition_tapped(update: Update, context: BotContext) -> None:
    """ "Send as addition" or "Don't send" under the earlier answer; organisers only."""
    query, services = update.callback_query, context.services
    assert query is not None and query.message is not None
    user = update.effective_user
    language = services.settings.event.default_language
    if user is None or not await services.organisers.is_organiser(user.id):
        await query.answer(services.texts.plain(language, "organiser.only"), show_alert=True)
        return
    await query.answer()
    choice, relay_id, message_id = callbacks.parse_addition(query.data)
    if choice == "skip":
        await query.edit_message_text(services.texts.get(language, "relay.addition_skipped"))
        return
    await query.edit_message_reply_markup(None)  # a second tap sends nothing twice
    result = await deliver_addition(
        context.bot, services, relay_id, query.message.chat.id, message_id
    )
    if result is None:
        return
    key = "relay.addition_sent" if result.delivery is Delivery.DELIVERED else result.delivery.value
    await query.edit_message_text(services.texts.get(language, key, name=result.partner_name))
