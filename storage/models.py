"""Tables. Times are stored in UTC and come back timezone-aware."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend: SQLite has no time zones, so it keeps naive UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware one")
        value = value.astimezone(UTC)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime}  # noqa: RUF012 - SQLAlchemy's declared API


class User(Base):
    """A person who wrote to the bot; the primary key is their Telegram user id."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    first_name: Mapped[str] = mapped_column(String(255))
    last_name: Mapped[str | None] = mapped_column(String(255))
    username: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(2))
    telegram_language: Mapped[str | None] = mapped_column(String(35))
    organisation: Mapped[str | None] = mapped_column(String(200))
    # The partner organisation an invite linked this user to (None: not invited, or open access).
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    reachable: Mapped[bool] = mapped_column(default=True)
    reminders_enabled: Mapped[bool] = mapped_column(default=True)


class Organisation(Base):
    """A partner organisation of the Klimastadtvertrag (or of whichever event the bot runs)."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The name case-folded: "Ökolöwe" and "ökolöwe" are one organisation (SQLite's lower()
    # only folds ASCII, so the database cannot do this itself).
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str | None] = mapped_column(String(40))  # company, research, utility, initiative…
    contacts: Mapped[str | None] = mapped_column(Text)  # contact people, as written
    persons_allowed: Mapped[int | None]  # None: as many as the event allows per registration
    created_at: Mapped[datetime]


class Invite(Base):
    """A personal deep link for one organisation; the code is the whole secret (128 bits)."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    max_uses: Mapped[int | None]  # None: unlimited
    uses: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime | None]
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    # Revoked by an organiser: the link is refused like an expired one (None: still valid).
    revoked_at: Mapped[datetime | None]


class Organiser(Base):
    """An organiser added in the bot by an admin; admins themselves come from ADMIN_IDS."""

    __tablename__ = "organisers"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    added_by: Mapped[int] = mapped_column(BigInteger)
    added_at: Mapped[datetime]


class QuestionRelay(Base):
    """A question the bot could not answer, forwarded to the organisers' chat."""

    __tablename__ = "question_relays"
    __table_args__ = (UniqueConstraint("organiser_chat_id", "organiser_message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    organiser_chat_id: Mapped[int] = mapped_column(BigInteger)
    organiser_message_id: Mapped[int] = mapped_column(BigInteger)
    question: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    language: Mapped[str | None] = mapped_column(String(2))  # the partner's, when relayed
    # The organiser's answer as Telegram HTML, kept so it can be saved as an FAQ entry (None for
    # a photo or document, or when not answered yet).
    answer_html: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[int | None] = mapped_column(BigInteger)  # the first organiser's user id
    # The partner had blocked the bot (403) when the answer was passed on.
    undelivered_at: Mapped[datetime | None]


class BotState(Base):
    """python-telegram-bot's conversation states and user_data, so a restart resumes a flow.

    `user_id` duplicates what the key says, indexed so a user's state can be erased on request.
    """

    __tablename__ = "bot_state"

    kind: Mapped[str] = mapped_column(String(100), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    data: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    updated_at: Mapped[datetime]


class EventRecord(Base):
    """One event (one programme) with its seat counter.

    The counter is what makes "two partners, one last seat" safe: seats are taken with one
    conditional UPDATE of this row, which the database serialises.
    """

    __tablename__ = "events"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    capacity: Mapped[int]
    confirmed_persons: Mapped[int] = mapped_column(default=0)


class Registration(Base):
    """A partner's answer to the invitation: confirmed, waitlisted, declined or cancelled."""

    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("event_key", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_key: Mapped[str] = mapped_column(String(100), ForeignKey("events.key"))
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    # As typed or as it was when registering; read `organisation_name` (the current name).
    organisation: Mapped[str | None] = mapped_column(String(200))
    # The invited organisation the partner registered for; its current name wins.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    linked_organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    persons: Mapped[int]
    dietary: Mapped[str | None] = mapped_column(String(16))
    dietary_note: Mapped[str | None] = mapped_column(String(200))
    accessibility: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2))
    calendar_uid: Mapped[str] = mapped_column(String(32))
    calendar_sequence: Mapped[int] = mapped_column(default=0)
    consent_at: Mapped[datetime | None]
    registered_at: Mapped[datetime]
    changed_at: Mapped[datetime]
    waitlisted_at: Mapped[datetime | None]
    # The QR ticket's secret: new on every change of a confirmed registration, None otherwise.
    ticket_token: Mapped[str | None] = mapped_column(String(32), unique=True)
    checked_in_at: Mapped[datetime | None]
    checked_in_by: Mapped[int | None] = mapped_column(BigInteger)  # the organiser's user id
    checked_in_persons: Mapped[int | None]

    @property
    def organisation_name(self) -> str | None:
        """The organisation's current name if the partner came by invite, else as written."""
        linked = self.linked_organisation
        return linked.name if linked is not None else self.organisation


class SeatChange(Base):
    """Confirmed persons after each change, for the organisers' chart over time."""

    __tablename__ = "seat_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_key: Mapped[str] = mapped_column(String(100), ForeignKey("events.key"), index=True)
    at: Mapped[datetime]
    confirmed_persons: Mapped[int]


class BroadcastStatus(StrEnum):
    """The values of `broadcasts.status`."""

    DRAFT = "draft"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


class Broadcast(Base):
    """An organisers' announcement; its recipients are rows of the outbox.

    Status moves draft -> sending (one conditional UPDATE, so a double tap starts it once)
    -> done, or to cancelled. `content` is JSON, one payload per language.
    """

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16))
    audience: Mapped[str] = mapped_column(String(32))
    # Only linked partners of these organisations (ids, comma-separated); None: no such limit.
    audience_organisations: Mapped[str | None] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    report_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    report_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # Sent from the dashboard: the page's key for this one send, so a double click sends once.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)


class OutboxState(StrEnum):
    """The values of `outbox.state`."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"
    CANCELLED = "cancelled"


class OutboxMessage(Base):
    """One message (or list of messages) for one partner, sent by the outbox sender.

    A row is marked sent only after Telegram accepted it, so a restart resumes where the
    last one stopped. (reminder_key, user_id) is unique, so a reminder can never be queued
    twice for one partner; NULL keys (broadcast rows) do not collide on either backend.
    `claimed_until` is a sender's lease: rows it holds are invisible to other senders.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("broadcast_id", "user_id"),
        UniqueConstraint("reminder_key", "user_id"),
        Index("ix_outbox_state_next_attempt_at", "state", "next_attempt_at"),
        Index("ix_outbox_broadcast_id_state", "broadcast_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast_id: Mapped[int | None] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="CASCADE")
    )
    reminder_key: Mapped[str | None] = mapped_column(String(100))
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(String(2))
    payload: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(default=0)
    items_sent: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class Feedback(Base):
    """A partner's rating of an event after it (1 to 5 stars), with an optional comment."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("event_key", "user_id"),
        CheckConstraint("stars BETWEEN 1 AND 5", name="ck_feedback_stars"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_key: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    stars: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    changed_at: Mapped[datetime]


class LearnedFaq(Base):
    """An answer the organisers taught the bot (`/faq`); it belongs to one event.

    No `user_id` column: the entry is the organisers' text and outlives a partner's erasure.
    The wordings it is found by are in `faq_wordings`.
    """

    __tablename__ = "faq_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_key: Mapped[str] = mapped_column(String(100), index=True)
    language: Mapped[str] = mapped_column(String(2))  # the language it was first answered in
    answer_de: Mapped[str | None] = mapped_column(Text)  # Telegram HTML
    answer_en: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    changed_by: Mapped[int | None] = mapped_column(BigInteger)
    changed_at: Mapped[datetime | None]
    used: Mapped[int] = mapped_column(default=0)  # partners answered from it
    unhelpful: Mapped[int] = mapped_column(default=0)  # "Doesn't help" taps


class FaqWording(Base):
    """A wording a learned entry, or a programme topic (`topic`), is found by.

    A wording taken from a partner's question keeps `relay_id`, so it goes with that question
    when the partner's data is deleted; an organiser's correction clears the link.
    """

    __tablename__ = "faq_wordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_key: Mapped[str] = mapped_column(String(100), index=True)
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("faq_entries.id", ondelete="CASCADE"), index=True
    )
    topic: Mapped[str | None] = mapped_column(String(100))  # a programme or built-in topic
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2))
    relay_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_relays.id", ondelete="CASCADE"), index=True
    )
    added_by: Mapped[int] = mapped_column(BigInteger)
    added_at: Mapped[datetime]


class FaqAnswer(Base):
    """A learned answer sent to a partner, so "Doesn't help" can relay their question."""

    __tablename__ = "faq_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("faq_entries.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    unhelpful_at: Mapped[datetime | None]
