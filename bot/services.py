"""The pieces every handler needs, built once in the composition root (`bot.app`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from bot.answers import Answerer
from bot.clock import Clock
from bot.config import Settings
from bot.programme import Programme
from bot.registrations import Registrations
from bot.texts import Texts
from bot.views import ProgrammeViews
from storage.database import Database


@dataclass(frozen=True)
class EventContent:
    """A programme with what is derived from it, swapped as one piece when the programme changes."""

    programme: Programme
    answerer: Answerer
    views: ProgrammeViews

    @classmethod
    def build(cls, programme: Programme, texts: Texts) -> EventContent:
        return cls(programme, Answerer(programme), ProgrammeViews(programme, texts))


@dataclass
class Services:
    settings: Settings
    database: Database
    clock: Clock
    texts: Texts
    content: EventContent
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    conversation_timeout: float = 30 * 60  # seconds of silence that end a conversation

    @cached_property
    def registrations(self) -> Registrations:
        return Registrations(self.database, self.clock, lambda: self.content.programme)

    def is_admin(self, user_id: int) -> bool:
        return user_id in self.admin_ids
