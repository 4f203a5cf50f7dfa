"""One message to many partners, each in their language, queued at most once per partner.

Reminders, the feedback question and programme-change notices all go this way: find the
recipients, work out each one's language, queue one outbox row per partner under a key whose
unique (key, partner) pair makes a second run, a restart or two overlapping jobs harmless.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.language import resolve_language
from bot.programme.model import LANGUAGES, Language
from storage.database import Database
from storage.models import Registration, User
from storage.repositories import Repositories

FindRecipients = Callable[[Repositories], Awaitable[Sequence[tuple[Registration, User]]]]


@dataclass(frozen=True)
class Recipient:
    registration: Registration
    language: Language


RenderPayload = Callable[[Recipient], str]


def same_for_each_language(render: Callable[[Language], str]) -> RenderPayload:
    """A payload that depends only on the language: rendered once per language, before the
    transaction opens, instead of once per partner while it holds the database."""
    rendered = {language: render(language) for language in LANGUAGES}
    return lambda recipient: rendered[recipient.language]


class Fanout:
    def __init__(
        self, database: Database, default_language: Language, wake_outbox: Callable[[], None]
    ) -> None:
        self._database = database
        self._default_language = default_language
        self._wake_outbox = wake_outbox

    async def queue(
        self, key: str, find: FindRecipients, payload: RenderPayload, now: datetime
    ) -> int:
        """Queue `key` for everyone `find` returns; returns how many partners were newly queued.

        The sender is woken only after the transaction has committed, so it finds the rows.
        """
        async with self._database.transaction() as repositories:
            rows = []
            for registration, user in await find(repositories):
                language = resolve_language(
                    user.language or registration.language,
                    user.telegram_language,
                    self._default_language,
                )
                rows.append((user.id, language, payload(Recipient(registration, language))))
            queued = await repositories.outbox.enqueue_once_per_user(key, rows, now)
        if queued:
            self._wake_outbox()
        return queued
