"""The programme file: everything about one event, so the next conference needs no code change.

The YAML file is validated with pydantic at load time; any mistake becomes a
`ProgrammeError` that names the file and the field instead of a traceback.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

Language = Literal["de", "en"]
LANGUAGES: tuple[Language, ...] = ("de", "en")

SHIPPED_PROGRAMME = Path(__file__).parent / "klimakonferenz.yaml"
SHIPPED_EXAMPLES = SHIPPED_PROGRAMME.with_name("klimakonferenz-questions.yaml")  # it names them

# libyaml's loader where installed: the examples file takes 0.8 s in pure Python, 0.08 s in C.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_OFFSET_RE = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


class ProgrammeError(Exception):
    """A programme file that cannot be used; the message is meant for organisers."""


def parse_offset(value: str) -> timedelta:
    """Turn `7d`, `2h`, `1h30m` or `30s` into a timedelta."""
    text = str(value).strip().lower()
    match = _OFFSET_RE.match(text)
    if not text or match is None:
        raise ValueError(f"{value!r} is not an offset like 7d, 2h, 1h30m or 30s")
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    offset = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    if offset <= timedelta(0):
        raise ValueError(f"{value!r} must be longer than zero")
    return offset


def format_offset(offset: timedelta) -> str:
    """The inverse of `parse_offset`, for messages and stable reminder keys."""
    seconds = int(offset.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        amount, seconds = divmod(seconds, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return "".join(parts)


def _as_written(value: object) -> object:
    """Text must reach partners as written, so what YAML read as something else is refused.

    Unquoted, `No` is read as false, `112` as a number and `2025-06-10` as a date; turning them
    back into text would show "False" or a changed number (`0341` is octal), so the organiser is
    asked to quote.
    """
    if isinstance(value, bool):
        raise ValueError(
            f"YAML read this as the yes/no value {str(value).lower()}, not as text "
            "(unquoted yes, no, on, off, true and false are read so): put the text in quotes"
        )
    if isinstance(value, int | float | date):
        kind = "the number" if isinstance(value, int | float) else "the date"
        raise ValueError(f"YAML read this as {kind} {value}, not as text: put it in quotes")
    if value is None:
        raise ValueError("is empty: write the text here (in quotes if it is a word like No)")
    return value


def _both_languages(value: object) -> object:
    """A plain string in the file means the same text in German and English (names, places)."""
    if isinstance(value, str):
        return {"de": value, "en": value}
    return _as_written(value)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# Text where YAML might read a bare word as something else (`No`, `112`): refused unquoted.
Words = Annotated[str, BeforeValidator(_as_written)]


class Localized(_Model):
    de: Words = Field(min_length=1)
    en: Words = Field(min_length=1)

    def get(self, language: Language) -> str:
        return self.de if language == "de" else self.en


Text = Annotated[Localized, BeforeValidator(_both_languages)]
Offset = Annotated[timedelta, BeforeValidator(parse_offset)]


class Venue(_Model):
    name: Words = Field(min_length=1)
    address: Words = Field(min_length=1)
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    directions: Text
    accessibility: Text


class Event(_Model):
    id: Words | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]{2,60}$")
    title: Text
    description: Text
    host: Text
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    venue: Venue
    capacity: int = Field(gt=0)
    rsvp_deadline: AwareDatetime
    max_persons_per_rsvp: int = Field(gt=0)
    dress_code: Text | None = None
    bring: Text | None = None  # what to bring, for the reminders

    @model_validator(mode="after")
    def _times_in_order(self) -> Event:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        if self.rsvp_deadline > self.starts_at:
            raise ValueError("rsvp_deadline must not be after starts_at")
        return self


class Keynote(_Model):
    speaker: Words = Field(min_length=1)
    affiliation: Text
    role: Text | None = None
    title: Text
    abstract: Text
    starts_at: AwareDatetime
    ends_at: AwareDatetime | None = None


class AgendaItem(_Model):
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    title: Text
    speaker: Words | None = None
    description: Text | None = None
    keywords: list[Words] = Field(default_factory=list)

    @model_validator(mode="after")
    def _times_in_order(self) -> AgendaItem:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class Questions(_Model):
    de: list[Words] = Field(min_length=1)
    en: list[Words] = Field(min_length=1)


ShownPart = Literal["event", "venue", "directions", "accessibility", "keynote", "programme"]


class FaqEntry(_Model):
    """One topic partners ask about: either a written answer or a part of the programme shown."""

    # "bot.<name>" replaces the text of a built-in topic about using the bot (docs/PROGRAMME.md).
    topic: Words = Field(pattern=r"^(bot\.)?[a-z0-9_]+$")
    questions: Questions
    keywords: list[Words] = Field(default_factory=list)
    answer: Text | None = None
    show: ShownPart | None = None

    @model_validator(mode="after")
    def _answer_or_show(self) -> FaqEntry:
        if (self.answer is None) == (self.show is None):
            raise ValueError("give either answer or show, not both or neither")
        return self


RELAY = "relay"  # an example's topic when the organisers must answer it themselves


class ExampleQuestion(_Model):
    """A question partners asked and what answers it: the bot learns from these how partners
    word each topic, and from "relay" ones where its knowledge ends."""

    question: Words
    # An FAQ topic, "bot.<name>", "agenda:<words of an item's English title>" or "relay".
    topic: Words


class FeedbackRequest(_Model):
    """After the event, checked-in partners are thanked and asked for 1 to 5 stars."""

    after: Offset  # after the event's end
    question: Text | None = None  # None: "How did you like <event title>?"


class Programme(_Model):
    event: Event
    keynote: Keynote
    agenda: list[AgendaItem] = Field(min_length=1)
    reminders: list[Offset] = Field(default_factory=list)
    keynote_reminders: list[Offset] = Field(default_factory=list)
    faq: list[FaqEntry] = Field(default_factory=list)
    feedback: FeedbackRequest | None = None
    # In the file: a list, or the name of a YAML file beside it holding one as `questions`.
    examples: list[ExampleQuestion] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Programme:
        event = self.event
        if not event.starts_at <= self.keynote.starts_at <= event.ends_at:
            raise ValueError("keynote.starts_at must lie between event.starts_at and ends_at")
        topics = [entry.topic for entry in self.faq]
        duplicates = sorted({topic for topic in topics if topics.count(topic) > 1})
        if duplicates:
            raise ValueError(f"faq topics must be unique, repeated: {', '.join(duplicates)}")
        unknown = sorted(t for t in {e.topic for e in self.examples} if self.answer_id(t) is None)
        if unknown:
            raise ValueError(f"examples name topics that do not exist: {', '.join(unknown)}")
        return self

    def answer_id(self, topic: str) -> str | None:
        """The answerer's id of an example's topic ("agenda:get-together" -> "agenda:4"), as the
        files name agenda items by title, not by position; None if nothing has that name."""
        if topic == RELAY or topic.startswith("bot.") or topic in {e.topic for e in self.faq}:
            return topic
        words = topic.removeprefix("agenda:").casefold()
        if words == topic.casefold():
            return None
        for index, item in enumerate(self.agenda_sorted):
            if words in item.title.en.casefold():
                return f"agenda:{index}"
        return None

    @property
    def event_key(self) -> str:
        """Names the event in the database; set `event.id` so a retitled event keeps its data."""
        return self.event.id or f"event-{self.event.starts_at.date().isoformat()}"

    @property
    def agenda_sorted(self) -> list[AgendaItem]:
        return sorted(self.agenda, key=lambda item: item.starts_at)

    def has_ended(self, now: datetime) -> bool:
        return now >= self.event.ends_at

    def is_running(self, now: datetime) -> bool:
        return self.event.starts_at <= now < self.event.ends_at


def _field_path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "(top level)"


def parse_programme(data: object, *, source: str = "programme") -> Programme:
    """Validate already-parsed YAML data; errors name the source and every bad field."""
    try:
        return Programme.model_validate(data)
    except ValidationError as error:
        problems = []
        for issue in error.errors():
            # Drop pydantic's internal validator names from the location.
            location = tuple(
                part for part in issue["loc"] if not str(part).startswith(("function-", "str"))
            )
            message = issue["msg"].removeprefix("Value error, ")
            problems.append(f"{_field_path(location)}: {message}")
        raise ProgrammeError(f"{source}: " + "; ".join(problems)) from None


def load_programme(path: Path) -> Programme:
    """Read and validate a programme file."""
    return parse_programme(programme_data(path), source=str(path))


def programme_data(path: Path) -> dict[str, object]:
    """A programme file's YAML mapping, with the examples file it names read in: thousands of
    example questions would bury the programme, so they may live beside it."""
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ProgrammeError(f"{path}: expected a mapping with event, keynote, agenda, ...")
    if isinstance(examples := data.get("examples"), str):
        found = _read_yaml(path.parent / examples)
        if not isinstance(found, dict) or "questions" not in found:
            raise ProgrammeError(f"{path.parent / examples}: expected a list of questions")
        data["examples"] = found["questions"]
    return data


def _read_yaml(path: Path) -> object:
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ProgrammeError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        return yaml.load(raw, Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise ProgrammeError(f"{path}: not valid YAML{where}: {problem}") from None
