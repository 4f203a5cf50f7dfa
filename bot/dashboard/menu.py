"""The chat's menu button: the dashboard for organisers' private chats, the default for others.

Set per chat (`setChatMenuButton` with `chat_id`), never as the bot's default, so partners never
see it; set at start for every organiser, when one is added or opens /dashboard, and reset when
one is removed.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import Bot, MenuButtonDefault, MenuButtonWebApp, WebAppInfo
from telegram.error import TelegramError

if TYPE_CHECKING:
    from bot.core.services import Services

log = logging.getLogger(__name__)


async def show_menu_button(bot: Bot, services: Services, user_id: int) -> None:
    url = services.settings.dashboard.url
    if url is None:
        return
    language = await services.users.language_of(user_id)
    button = MenuButtonWebApp(
        services.texts.plain(language, "dashboard.menu_button"), WebAppInfo(url)
    )
    try:
        await bot.set_chat_menu_button(chat_id=user_id, menu_button=button)
    except TelegramError as error:  # e.g. an organiser who never wrote to the bot
        log.info("No dashboard menu button for %s: %s", user_id, type(error).__name__)


async def reset_menu_button(bot: Bot, user_id: int) -> None:
    try:
        await bot.set_chat_menu_button(chat_id=user_id, menu_button=MenuButtonDefault())
    except TelegramError as error:
        log.info("Menu button of %s not reset: %s", user_id, type(error).__name__)


async def show_menu_buttons(bot: Bot, services: Services) -> None:
    """At start: every organiser's private chat gets the dashboard in its menu."""
    if services.settings.dashboard.url is None:
        return
    for entry in await services.organisers.all():
        await show_menu_button(bot, services, entry.user_id)
