"""What every service needs to know about the event it serves, handed over as one piece."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.core.clock import Clock
from bot.core.texts import Texts
from bot.programme.model import Language, Programme
from storage.database import Database


@dataclass(frozen=True)
class EventContext:
    """The database, clock and texts, and the programme as it is now.

    The programme is read through `current_programme` on every use: an organiser's /reload
    swaps it while the bot runs, and no service may keep the old one.
    """

    database: Database
    clock: Clock
    texts: Texts
    default_language: Language
    current_programme: Callable[[], Programme]

    @property
    def programme(self) -> Programme:
        return self.current_programme()

    @property
    def event_key(self) -> str:
        return self.current_programme().event_key
