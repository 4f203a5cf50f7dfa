"""Learned FAQ entries: saving an organiser's answer, editing, carrying over, using them.

Every change is one transaction and then reloads what the answerer is built from (`refresh`),
so it takes effect at once; the bot loads the same at start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from bot.core.event_context import EventContext
from bot.programme.model import LANGUAGES, Language
from bot.questions.answering import learned_id
from bot.questions.faq import (
    ExportedWording,
    ExtraWording,
    LearnedEntry,
    Taught,
    clean_wording,
    export_yaml,
)
from storage.models import FaqWording, LearnedFaq


@dataclass(frozen=True)
class Draft:
    """A relayed question and the organiser's text answer, about to become an entry."""

    relay_id: int
    question: str
    answer_html: str
    language: Language


@dataclass(frozen=True)
class Wording:
    """A wording of a learned entry, as organisers edit it on the dashboard."""

    id: int
    text: str
    language: str


@dataclass(frozen=True)
class EntryReport:
    """An entry with how it fared, for /faq."""

    entry: LearnedEntry
    used: int
    unhelpful: int
    created_at: datetime
    changed_at: datetime | None


def _language(code: str | None, default: Language) -> Language:
    return cast(Language, code) if code in LANGUAGES else default


def _entry(row: LearnedFaq, wordings: list[FaqWording]) -> LearnedEntry:
    answers = {
        language: text for language, text in (("de", row.answer_de), ("en", row.answer_en)) if text
    }
    return LearnedEntry(
        id=row.id,
        event_key=row.event_key,
        language=_language(row.language, "de"),
        answers=answers,
        wordings=tuple(w.text for w in wordings),
    )


class FaqService:
    def __init__(self, event: EventContext, swap: Callable[[Taught], None]) -> None:
        self._event = event
        self._database, self._clock = event.database, event.clock
        self._swap = swap

    async def refresh(self) -> Taught:
        """Load every entry and wording and rebuild what answers partners from them."""
        async with self._database.transaction() as repositories:
            rows = await repositories.faq.entries()
            wordings = await repositories.faq.wordings()
        by_entry: dict[int, list[FaqWording]] = {}
        extra = []
        for wording in wordings:
            if wording.entry_id is not None:
                by_entry.setdefault(wording.entry_id, []).append(wording)
            elif wording.topic is not None:
                extra.append(ExtraWording(wording.event_key, wording.topic, wording.text))
        taught = Taught(tuple(_entry(row, by_entry.get(row.id, [])) for row in rows), tuple(extra))
        self._swap(taught)
        return taught

    async def draft(self, relay_id: int) -> Draft | None:
        """The relayed question with its text answer; None without one or when saved already."""
        async with self._database.transaction() as repositories:
            relay = await repositories.questions.get(relay_id)
            if relay is None or relay.answer_html is None:
                return None
            if await repositories.faq.is_saved(relay_id):
                return None
        language = _language(relay.language, self._event.default_language)
        return Draft(relay.id, relay.question, relay.answer_html, language)

    async def save(self, draft: Draft, wording: str, *, by: int) -> int | None:
        """A new entry for the current event; the wording stays linked to the partner's
        question unless the organiser corrected it. None if saved meanwhile (another tap)."""
        now, wording = self._clock.now(), clean_wording(wording)
        linked = draft.relay_id if wording == clean_wording(draft.question) else None
        async with self._database.transaction() as repositories:
            # Two organisers saving the same answer at once: the second waits here, then finds
            # it saved (PostgreSQL; SQLite runs one writing transaction at a time anyway).
            await repositories.questions.get(draft.relay_id, lock=True)
            if await repositories.faq.is_saved(draft.relay_id):
                return None
            entry = await repositories.faq.add_entry(
                event_key=self._event.event_key,
                language=draft.language,
                answer_html=draft.answer_html,
                by=by,
                now=now,
            )
            await repositories.faq.add_wording(
                event_key=entry.event_key,
                text=wording,
                language=draft.language,
                by=by,
                now=now,
                entry_id=entry.id,
                relay_id=linked or None,
            )
        await self.refresh()
        return entry.id

    async def add_wording(
        self,
        topic: str,
        text: str,
        language: Language,
        *,
        by: int,
        relay_id: int | None = None,
    ) -> bool:
        """Add a wording to a learned entry (`learned:<id>`) or a programme topic; False if
        the entry is gone."""
        entry_id = learned_id(topic)
        async with self._database.transaction() as repositories:
            if entry_id is not None and await repositories.faq.get(entry_id) is None:
                return False
            await repositories.faq.add_wording(
                event_key=self._event.event_key,
                text=clean_wording(text),
                language=language,
                by=by,
                now=self._clock.now(),
                entry_id=entry_id,
                topic=None if entry_id is not None else topic,
                relay_id=relay_id,
            )
        await self.refresh()
        return True

    async def remove_wording(self, entry_id: int, wording_id: int) -> bool:
        """Partners asking in this wording no longer find the entry; False if it was gone."""
        async with self._database.transaction() as repositories:
            removed = await repositories.faq.delete_wording(entry_id, wording_id)
        await self.refresh()
        return removed

    async def wordings_by_entry(self) -> dict[int, list[Wording]]:
        async with self._database.transaction() as repositories:
            rows = await repositories.faq.wordings()
        found: dict[int, list[Wording]] = {}
        for row in rows:
            if row.entry_id is not None:
                found.setdefault(row.entry_id, []).append(Wording(row.id, row.text, row.language))
        return found

    async def set_answer(
        self, entry_id: int, language: Language, answer_html: str, *, by: int
    ) -> bool:
        async with self._database.transaction() as repositories:
            changed = await repositories.faq.set_answer(
                entry_id, language, answer_html, by=by, now=self._clock.now()
            )
        await self.refresh()
        return changed

    async def delete(self, entry_id: int) -> bool:
        async with self._database.transaction() as repositories:
            deleted = await repositories.faq.delete(entry_id)
        await self.refresh()
        return deleted

    async def carry_over(self, entry_id: int) -> bool:
        """An entry of an earlier event answers for the current one from now on."""
        async with self._database.transaction() as repositories:
            moved = await repositories.faq.move_to_event(entry_id, self._event.event_key)
        await self.refresh()
        return moved

    async def reports(self) -> list[EntryReport]:
        """Every entry of every event with its figures, oldest first."""
        taught = await self.refresh()
        by_id = {entry.id: entry for entry in taught.entries}
        async with self._database.transaction() as repositories:
            rows = await repositories.faq.entries()
        return [
            EntryReport(by_id[row.id], row.used, row.unhelpful, row.created_at, row.changed_at)
            for row in rows
            if row.id in by_id
        ]

    async def report(self, entry_id: int) -> EntryReport | None:
        return next((r for r in await self.reports() if r.entry.id == entry_id), None)

    async def answered(self, user_id: int, entry_id: int, question: str) -> int:
        """A partner got the entry's answer: counted; the id goes into "Doesn't help"."""
        async with self._database.transaction() as repositories:
            return await repositories.faq.record_answer(
                user_id=user_id, entry_id=entry_id, question=question, now=self._clock.now()
            )

    async def unhelpful(self, answer_id: int, user_id: int) -> str | None:
        """The question to relay after all, if the answer was the user's and not marked yet."""
        async with self._database.transaction() as repositories:
            return await repositories.faq.mark_unhelpful(answer_id, user_id, self._clock.now())

    async def export(self) -> bytes:
        """The current event's entries as a YAML snippet for the programme file."""
        event_key = self._event.event_key
        async with self._database.transaction() as repositories:
            rows = [row for row in await repositories.faq.entries() if row.event_key == event_key]
            items = []
            for row in rows:
                wordings = await repositories.faq.wordings_of(row.id)
                exported = [
                    ExportedWording(w.text, _language(w.language, _language(row.language, "de")))
                    for w in wordings
                ]
                items.append((_entry(row, list(wordings)), exported))
        now = self._clock.now()
        header = (
            f"Learned FAQ entries of {event_key}, exported {now:%Y-%m-%d %H:%M} UTC.\n"
            "Paste under the programme file's faq: list; formatting becomes plain text."
        )
        return export_yaml(items, header=header).encode("utf-8")
