"""Buttons that belong to one run of a conversation.

Each run gets a short random id that its buttons carry in their callback data
(`<prefix>:<run>:<choice>`, well under Telegram's 64 bytes). A button of an earlier run, of a
finished one, or pressed by someone else (whose own draft has another id) only gets a note.

A conversation that must survive a crash writes each step through with `checkpoint` before its
question goes out (see `storage.persistence`).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.context import BotContext
from storage.persistence import DatabasePersistence

ChoiceHandler = Callable[[Update, BotContext, str], Awaitable[Any]]


def keyboard(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([row for row in rows if row])


async def stale(update: Update, context: BotContext) -> None:
    """A button of an earlier run or step: a note, and nothing changes."""
    query = update.callback_query
    assert query is not None
    await query.answer(context.plain("fallback.stale_button"))


class ConversationRun:
    """The draft of one conversation in `user_data`, and the buttons bound to it.

    `draft_key` is also the name of the persistent conversation the run belongs to.
    """

    def __init__(self, prefix: str, draft_key: str) -> None:
        self.prefix = prefix
        self.draft_key = draft_key
        self.pattern = rf"^{prefix}:"

    def begin(self, context: BotContext) -> dict[str, Any]:
        assert context.user_data is not None
        draft: dict[str, Any] = {"run": secrets.token_hex(3)}
        context.user_data[self.draft_key] = draft
        return draft

    def draft(self, context: BotContext) -> dict[str, Any]:
        assert context.user_data is not None
        return context.user_data.setdefault(self.draft_key, {})  # type: ignore[no-any-return]

    def end(self, context: BotContext) -> None:
        assert context.user_data is not None
        context.user_data.pop(self.draft_key, None)

    def interrupt(self, context: BotContext) -> None:
        """End the run without the partner's doing (a timeout): the answers go, the id stays,
        so a tap on its last question can be told apart from an old button (`was_interrupted`).
        """
        assert context.user_data is not None
        run = context.user_data.pop(self.draft_key, {}).get("run")
        if run:
            context.user_data[self.draft_key] = {"run": run}

    def was_interrupted(self, update: Update, context: BotContext) -> bool:
        """The button belongs to the clicker's latest run, which is no longer running.

        Only meaningful where the conversation did not take the button, so none is running.
        """
        query = update.callback_query
        assert query is not None
        parts = (query.data or "").split(":", 2)
        run = context.user_data.get(self.draft_key, {}).get("run") if context.user_data else None
        return len(parts) == 3 and parts[0] == self.prefix and run is not None and parts[1] == run

    def checkpoint(
        self, update: Update, context: BotContext, state: str | None
    ) -> AbstractAsyncContextManager[None]:
        """Write the step `state` (None: the end) and the draft through before the block sends
        its question; undone if sending fails.

        Use it around the last await of the callback: PTB records the state the callback
        returns only after it returns (see `DatabasePersistence.checkpoint`).
        """
        persistence = context.application.persistence
        chat, user = update.effective_chat, update.effective_user
        if not isinstance(persistence, DatabasePersistence) or chat is None or user is None:
            return nullcontext()
        assert context.user_data is not None
        # PTB's key of a conversation per chat and user (its defaults, which ours keep).
        key = (chat.id, user.id)
        return persistence.checkpoint(self.draft_key, key, state, user.id, context.user_data)

    def button(
        self, context: BotContext, label_key: str, choice: str, **params: object
    ) -> InlineKeyboardButton:
        label = context.plain(label_key, **params)
        return self.raw_button(context, label, choice)

    def raw_button(self, context: BotContext, label: str, choice: str) -> InlineKeyboardButton:
        data = f"{self.prefix}:{self.draft(context).get('run')}:{choice}"
        return InlineKeyboardButton(label, callback_data=data)

    def choice(self, update: Update, context: BotContext) -> str | None:
        """The button's choice if it belongs to the running conversation, else None."""
        query = update.callback_query
        assert query is not None
        parts = (query.data or "").split(":", 2)
        if len(parts) != 3 or parts[1] != self.draft(context).get("run"):
            return None
        return parts[2]

    def on_buttons(self, choices: dict[str, ChoiceHandler]) -> Callable[..., Awaitable[Any]]:
        """One callback for a step's buttons; a choice is dispatched by its part before `:`."""

        async def on_button(update: Update, context: BotContext) -> Any:
            query = update.callback_query
            assert query is not None
            choice = self.choice(update, context)
            handler = choices.get(choice.split(":")[0]) if choice else None
            if choice is None or handler is None:
                await stale(update, context)
                return None
            await query.answer()
            await query.edit_message_reply_markup(None)  # answered: the buttons go
            return await handler(update, context, choice)

        return on_button
