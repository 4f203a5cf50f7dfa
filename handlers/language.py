"""/language: the user picks German or English with a button."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.context import BotContext
from bot.core.language import language_choice, parse_language_choice
from bot.programme.model import Language

LANGUAGE_NAMES: dict[Language, str] = {"de": "🇩🇪 Deutsch", "en": "🇬🇧 English"}


async def choose_language(update: Update, context: BotContext) -> None:
    assert update.effective_message is not None
    buttons = [
        InlineKeyboardButton(name, callback_data=language_choice(code))
        for code, name in LANGUAGE_NAMES.items()
    ]
    await update.effective_message.reply_html(
        context.text("language.choose"),
        reply_markup=InlineKeyboardMarkup([buttons]),
        do_quote=False,
    )


async def language_chosen(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None
    language = parse_language_choice(query.data)
    if language is None:
        await query.answer(context.plain("fallback.stale_button"))
        return
    await context.services.users.set_language(query.from_user.id, language)
    context.language = language
    await query.answer()
    await query.edit_message_text(context.services.texts.get(language, "language.set"))
