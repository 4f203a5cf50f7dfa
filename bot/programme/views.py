"""What the bot shows about the programme, rendered apart from the handlers that decide."""

from __future__ import annotations

from datetime import datetime

from bot.core.texts import Html, Texts, escape
from bot.core.timefmt import format_date, format_datetime, format_duration, format_time_range
from bot.programme.model import AgendaItem, FaqEntry, Language, Programme, ShownPart
from bot.questions.answering import Match


class ProgrammeViews:
    """Renders parts of the current programme in one language."""

    def __init__(self, programme: Programme, texts: Texts) -> None:
        self.programme = programme
        self.texts = texts

    def _when(self, language: Language) -> str:
        event = self.programme.event
        return f"{format_date(event.starts_at, language, year=True)}, " + format_time_range(
            event.starts_at, event.ends_at, language
        )

    def status_note(self, language: Language, now: datetime) -> Html | None:
        """A line saying the event is running or over, or None before it."""
        event = self.programme.event
        if self.programme.has_ended(now):
            return self.texts.get(
                language, "event.past", date=format_date(event.starts_at, language, year=True)
            )
        if self.programme.is_running(now):
            return self.texts.get(language, "event.running")
        return None

    def greeting(self, language: Language, name: str, now: datetime) -> Html:
        event = self.programme.event
        text = self.texts.get(
            language,
            "start.greeting",
            name=name,
            event=event.title.get(language),
            when=self._when(language),
            venue=event.venue.name,
        )
        if self.programme.has_ended(now):
            date = format_date(event.starts_at, language, year=True)
            text = Html(f"{text}\n\n{self.texts.get(language, 'start.past', date=date)}")
        return text

    def event(self, language: Language, now: datetime) -> Html:
        event = self.programme.event
        text = self.texts.get(
            language,
            "event.summary",
            title=event.title.get(language),
            when=self._when(language),
            venue=event.venue.name,
            address=event.venue.address,
        )
        return _join(text, self.status_note(language, now))

    def programme_overview(self, language: Language, now: datetime) -> Html:
        event = self.programme.event
        lines = [
            self.texts.get(
                language,
                "programme.header",
                date=format_date(event.starts_at, language, year=True),
            ),
            escape(event.venue.name + ", " + event.venue.address),
            "",
        ]
        for item in self.programme.agenda_sorted:
            lines.append(
                self.texts.get(
                    language,
                    "programme.item",
                    time=format_time_range(item.starts_at, item.ends_at, language),
                    title=item.title.get(language),
                )
            )
            if item.speaker and item.speaker not in item.title.get(language):
                lines.append(self.texts.get(language, "programme.speaker", speaker=item.speaker))
        return _join(Html("\n".join(lines)), self.status_note(language, now))

    def keynote(self, language: Language, now: datetime) -> Html:
        keynote = self.programme.keynote
        role = f"{keynote.role.get(language)}, " if keynote.role else ""
        text = self.texts.get(
            language,
            "keynote.card",
            title=keynote.title.get(language),
            speaker=keynote.speaker,
            role=role,
            affiliation=keynote.affiliation.get(language),
            when=format_datetime(keynote.starts_at, language, year=True),
            abstract=keynote.abstract.get(language),
        )
        ends_at = keynote.ends_at or keynote.starts_at
        if self.programme.is_running(now) and now < keynote.starts_at:
            note = self.texts.get(
                language,
                "keynote.starts_in",
                duration=format_duration(keynote.starts_at - now, language),
            )
        elif keynote.starts_at <= now < ends_at:
            note = self.texts.get(language, "keynote.running")
        else:
            note = self.status_note(language, now)
        return _join(text, note)

    def venue(self, language: Language) -> Html:
        venue = self.programme.event.venue
        return _join(
            self.texts.get(language, "venue.card", name=venue.name, address=venue.address),
            self.directions(language),
            self.accessibility(language),
        )

    def directions(self, language: Language) -> Html:
        return Html(
            self.texts.get(language, "venue.directions")
            + "\n"
            + escape(self.programme.event.venue.directions.get(language))
        )

    def accessibility(self, language: Language) -> Html:
        return Html(
            self.texts.get(language, "venue.accessibility")
            + "\n"
            + escape(self.programme.event.venue.accessibility.get(language))
        )

    def agenda_item(self, item: AgendaItem, language: Language) -> Html:
        text = self.texts.get(
            language,
            "agenda.card",
            title=item.title.get(language),
            date=format_date(item.starts_at, language, year=True),
            time=format_time_range(item.starts_at, item.ends_at, language),
        )
        speaker = (
            self.texts.get(language, "agenda.speaker", speaker=item.speaker)
            if item.speaker
            else None
        )
        description = escape(item.description.get(language)) if item.description else None
        return _join(Html(f"{text}\n{speaker}") if speaker else text, description)

    def shown_part(self, part: ShownPart, language: Language, now: datetime) -> Html:
        match part:
            case "event":
                return self.event(language, now)
            case "venue":
                return self.venue(language)
            case "directions":
                return self.directions(language)
            case "accessibility":
                return self.accessibility(language)
            case "keynote":
                return self.keynote(language, now)
            case "programme":
                return self.programme_overview(language, now)

    def faq_answer(self, entry: FaqEntry, language: Language, now: datetime) -> Html:
        if entry.show is not None:
            return self.shown_part(entry.show, language, now)
        assert entry.answer is not None  # the programme model guarantees answer or show
        return escape(entry.answer.get(language))

    def answer(self, match: Match, language: Language, now: datetime) -> Html:
        """The reply to a question the answerer matched confidently."""
        if match.topic.startswith("agenda:"):
            item = self.programme.agenda_sorted[int(match.topic.removeprefix("agenda:"))]
            return self.agenda_item(item, language)
        entry = next(entry for entry in self.programme.faq if entry.topic == match.topic)
        return self.faq_answer(entry, language, now)


def _join(*parts: Html | None) -> Html:
    """Paragraphs separated by blank lines, skipping missing ones."""
    return Html("\n\n".join(part for part in parts if part))
