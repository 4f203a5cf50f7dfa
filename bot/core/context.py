"""The callback context handlers receive: python-telegram-bot's, plus our services and language."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.core.services import Services
from bot.core.texts import Html
from bot.programme.model import Language

SERVICES_KEY = "services"


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """One per update, shared by all handler groups, so the language found first travels along."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id=chat_id, user_id=user_id)
        self._language: Language | None = None

    @property
    def services(self) -> Services:
        return self.application.bot_data[SERVICES_KEY]  # type: ignore[no-any-return]

    @property
    def language(self) -> Language:
        return self._language or self.services.settings.event.default_language

    @language.setter
    def language(self, value: Language) -> None:
        self._language = value

    def text(self, key: str, /, **params: object) -> Html:
        """The catalogue text `key` in the language of this update."""
        return self.services.texts.get(self.language, key, **params)

    def plain(self, key: str, /, **params: object) -> str:
        """The catalogue text `key` without markup (button labels, alerts), in this update's
        language."""
        return self.services.texts.plain(self.language, key, **params)
