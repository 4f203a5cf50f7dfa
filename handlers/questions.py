"""Free-text questions from partners, and organisers' replies to relayed ones."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType, MessageEntityType

from bot.core.context import BotContext
from bot.questions.relay import deliver_organiser_answer, relay_question
from handlers.reply import reply_html


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
    content = services.content
    if not any(char.isalpha() for char in question):  # "???" or a stray "1" is no question
        await reply_html(message, context.text("question.too_short"))
        return
    match = content.answerer.match(question)
    if match is not None:
        await reply_html(message, content.views.answer(match, language, services.clock.now()))
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
    await message.reply_html(
        services.texts.get(language, result.delivery.value, name=result.partner_name)
    )
