"""Learned FAQ entries: answers organisers gave to relayed questions, saved so the bot answers
the next partner who asks the same in other words.

An entry belongs to one event (`event_key`) and is found by its wordings: the partner's question
it was saved from, and any an organiser adds. A wording may also be added to a programme or
built-in topic, which then answers it. An entry answers a partner only in a language it has an
answer in; the others are relayed, as before. This module is pure: what is stored is loaded by
`bot.questions.faq_service` and handed over as one `Taught`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import yaml

from bot.programme.model import LANGUAGES, Language, Programme
from bot.questions.answering import Answerer, LearnedTopic, learned_id
from bot.questions.builtin import BY_TOPIC

# A question counts as close to an existing topic from this confidence on (0..100). Below the
# answerer's own threshold: the question was relayed because no topic was sure enough.
SIMILAR_SCORE = 50.0
# Callback data carries the topic (64 bytes in all): longer programme topics are not offered.
MAX_TOPIC_CHARS = 40
# A wording is a question; longer text is cut, as the answerer reads no more anyway.
MAX_WORDING_CHARS = 400


@dataclass(frozen=True)
class LearnedEntry:
    """One learned entry as the answerer and the replies need it."""

    id: int
    event_key: str
    language: Language  # the language it was first answered in
    answers: dict[str, str]  # Telegram HTML by language; a language may be missing
    wordings: tuple[str, ...] = ()

    def answer(self, language: Language) -> str | None:
        return self.answers.get(language)

    @property
    def title(self) -> str:
        """How organisers recognise it: its first wording."""
        return self.wordings[0] if self.wordings else f"#{self.id}"


@dataclass(frozen=True)
class ExtraWording:
    """A wording an organiser added to a programme or built-in topic."""

    event_key: str
    topic: str
    text: str


@dataclass(frozen=True)
class Taught:
    """Everything organisers taught the bot, of every event."""

    entries: tuple[LearnedEntry, ...] = ()
    extra: tuple[ExtraWording, ...] = field(default_factory=tuple)

    def entries_of(self, event_key: str) -> dict[int, LearnedEntry]:
        return {entry.id: entry for entry in self.entries if entry.event_key == event_key}

    def topics(self, programme: Programme) -> list[LearnedTopic]:
        """The learned topics of the programme's event, for `Answerer(learned=...)`.

        Wordings of a topic the programme no longer has are left out: nothing could answer them.
        """
        event_key = programme.event_key
        known = {entry.topic for entry in programme.faq} | set(BY_TOPIC)
        topics = [
            LearnedTopic.of(entry.id, entry.wordings)
            for entry in self.entries
            if entry.event_key == event_key and entry.wordings
        ]
        by_topic: dict[str, list[str]] = {}
        for wording in self.extra:
            if wording.event_key == event_key and wording.topic in known:
                by_topic.setdefault(wording.topic, []).append(wording.text)
        topics += [LearnedTopic(topic, tuple(texts)) for topic, texts in by_topic.items()]
        return topics


def clean_wording(text: str) -> str:
    """One line, without surrounding space, no longer than a question needs."""
    return " ".join(text.split())[:MAX_WORDING_CHARS]


def similar_topic(
    answerer: Answerer, programme: Programme, learned: Iterable[int], question: str
) -> str | None:
    """The existing topic a question is close to, if any: a learned entry of this event, a
    programme FAQ entry or a built-in topic (an agenda line cannot take wordings)."""
    known = set(learned)
    faq_topics = {entry.topic for entry in programme.faq} | set(BY_TOPIC)
    for topic, score in answerer.rank(question):
        if score < SIMILAR_SCORE:
            break
        entry_id = learned_id(topic)
        if (entry_id in known) if entry_id is not None else topic in faq_topics:
            return topic if len(topic) <= MAX_TOPIC_CHARS else None
    return None


class _PlainText(HTMLParser):
    """Telegram HTML to the plain text a programme file holds; a link keeps its address."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href:
            self.parts.append(f" ({self._href})")
            self._href = None

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(telegram_html: str) -> str:
    """The text of an answer without its formatting (programme answers are plain text)."""
    parser = _PlainText()
    parser.feed(telegram_html)
    parser.close()
    return html.unescape("".join(parser.parts)).strip()


@dataclass(frozen=True)
class ExportedWording:
    text: str
    language: Language


def export_yaml(
    entries: Iterable[tuple[LearnedEntry, list[ExportedWording]]], *, header: str = ""
) -> str:
    """The entries as an `faq:` list in the programme file's format (docs/PROGRAMME.md).

    The programme file needs both languages: a missing answer or wording is filled with the
    other language's and marked with a comment, so the snippet loads and the gap is visible.
    """
    lines = [f"# {line}" for line in header.splitlines()] + ["faq:"]
    for entry, wordings in entries:
        questions: dict[str, list[str]] = {
            language: [w.text for w in wordings if w.language == language] for language in LANGUAGES
        }
        answers = {language: entry.answer(language) for language in LANGUAGES}
        missing: list[str] = []
        for language in LANGUAGES:
            other = "en" if language == "de" else "de"
            if not questions[language]:
                questions[language] = questions[other] or [entry.title]
                missing.append(f"questions.{language}")
            if not answers[language]:
                answers[language] = answers[other]
                missing.append(f"answer.{language}")
        item: dict[str, Any] = {
            "topic": f"learned_{entry.id}",
            "questions": questions,
            "answer": {language: plain_text(answers[language] or "") for language in LANGUAGES},
        }
        if missing:
            gaps = ", ".join(missing)
            lines.append(f"  # copied from the other language, please translate: {gaps}")
        dumped = yaml.safe_dump(
            [item], allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
        )
        lines += [f"  {line}" for line in dumped.rstrip("\n").splitlines()]
    return "\n".join(lines) + "\n"
