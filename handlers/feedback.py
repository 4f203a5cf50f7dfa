"""Feedback after the event: a star tap stores the rating, the next text message is the comment.

    ★ tapped (fb:<stars>) → rating stored → "add a comment?" [No comment]
    → COMMENT: the next text is the comment (not a question for the bot) → done

Only partners who were checked in can rate; the check is made at every tap.
"""

from __future__ import annotations

import warnings

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.core.context import BotContext
from bot.feedback.callbacks import NO_COMMENT, NO_COMMENT_PATTERN, STARS_PATTERN, parse_stars
from bot.feedback.rules import clean_comment, star_label

COMMENT = "comment"


async def rated(update: Update, context: BotContext) -> str | int:
    query = update.callback_query
    assert query is not None and query.message is not None
    services, language = context.services, context.language
    stars = parse_stars(query.data)
    if stars is None or not await services.feedback.rate(query.from_user.id, stars):
        await query.answer(context.plain("feedback.not_there"), show_alert=True)
        return ConversationHandler.END
    await query.answer()
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    services.texts.template(language, "feedback.no_comment_button"),
                    callback_data=NO_COMMENT,
                )
            ]
        ]
    )
    await query.message.chat.send_message(
        context.text("feedback.rated", stars=star_label(stars)),
        reply_markup=markup,
    )
    return COMMENT


async def commented(update: Update, context: BotContext) -> int:
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None and message.text is not None
    services = context.services
    comment = clean_comment(message.text)
    if comment is not None and await services.feedback.comment(user.id, comment):
        await message.reply_html(context.text("feedback.comment_saved"), do_quote=False)
    return ConversationHandler.END


async def no_comment(update: Update, context: BotContext) -> int:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(context.text("feedback.no_comment"))
    return ConversationHandler.END


def build_conversation(timeout: float) -> ConversationHandler[BotContext]:
    with warnings.catch_warnings():  # the star buttons carry no run id: any tap rates anew
        warnings.filterwarnings("ignore", message="If 'per_message=False'")
        return ConversationHandler(
            entry_points=[CallbackQueryHandler(rated, pattern=STARS_PATTERN)],
            states={
                COMMENT: [
                    MessageHandler(filters.TEXT & ~filters.COMMAND, commented),
                    CallbackQueryHandler(no_comment, pattern=NO_COMMENT_PATTERN),
                ]
            },
            fallbacks=[],
            name="feedback",
            persistent=True,
            allow_reentry=True,
            conversation_timeout=timeout,
        )
