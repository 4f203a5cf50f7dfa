"""The reply to a question the answerer matched: text and, for a topic about the bot, a button."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot.core.texts import Html
from bot.programme.model import Language
from bot.programme.views import ProgrammeViews
from bot.questions.answering import Match
from bot.questions.builtin import BY_TOPIC, builtin_text, command_button


def matched_answer(
    match: Match, views: ProgrammeViews, language: Language, now: datetime, *, needs_invite: bool
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """A programme entry's text (it replaces a built-in one of the same id) or the catalogue's;
    a built-in topic's answer carries the button that starts its command. `needs_invite`: the
    partner may only register after opening an invite link, and has not opened one yet."""
    own = BY_TOPIC.get(match.topic)
    if own is None:
        return views.answer(match, language, now), None
    entry = next((entry for entry in views.programme.faq if entry.topic == match.topic), None)
    if entry is not None:
        text = views.faq_answer(entry, language, now)
    else:
        text = builtin_text(own, views.texts, views.programme, language, needs_invite)
    return text, command_button(own, views.texts, language)
