"""Sending one item of a claimed row, and recording what Telegram answered for it.

Without pacing: the sender (bot/outbox/sender.py) decides when an item may go.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity
from telegram.error import BadRequest, NetworkError, TelegramError

from bot.outbox.payload import (
    DocumentItem,
    JSONDict,
    Keyboard,
    MessageItem,
    Payload,
    PhotoItem,
    TextItem,
    item_from_json,
)
from storage.outbox import ClaimedMessage, OutboxRepository

log = logging.getLogger(__name__)


@dataclass
class Job:
    """A claimed row held in memory until its outcome is recorded."""

    message: ClaimedMessage
    items: list[MessageItem]
    next_item: int
    attempts: int
    ready_at: float = 0.0  # monotonic; later than now while backing off
    in_flight: bool = False
    sent_at: float = 0.0  # monotonic, of the send in flight or last answered
    chat_limited: bool = False  # the last 429 was the chat's own limit, not the overall one

    @property
    def user_id(self) -> int:
        return self.message.user_id

    def position(self) -> str:
        return f"item {self.next_item + 1}/{len(self.items)}"


def describe(error: BaseException) -> str:
    """The reason stored in `last_error`: Telegram's description, named by the error type."""
    text = str(error)
    name = type(error).__name__
    return text if text.startswith(name) else f"{name}: {text}" if text else name


def is_transient(error: BaseException) -> bool:
    """Worth another attempt: network trouble, timeouts, 5xx, and errors we did not expect."""
    if isinstance(error, BadRequest):  # a subclass of NetworkError, but final
        return False
    return isinstance(error, NetworkError) or not isinstance(error, TelegramError)


def _entities(entities: tuple[JSONDict, ...]) -> list[MessageEntity] | None:
    return [MessageEntity.de_json(dict(entity)) for entity in entities] or None


def _markup(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.text, callback_data=b.callback_data, url=b.url) for b in row]
            for row in keyboard
        ]
    )


async def send_item(bot: Bot, chat_id: int, item: MessageItem, **timeouts: float) -> None:
    """Send one payload item now, without pacing; raises Telegram's errors."""
    markup = _markup(item.buttons)
    # parse_mode is always passed, None included, so a bot with Defaults(parse_mode=HTML)
    # does not re-parse texts that carry entities.
    if isinstance(item, TextItem):
        await bot.send_message(
            chat_id,
            item.text,
            entities=_entities(item.entities),
            parse_mode=item.parse_mode,
            reply_markup=markup,
            **timeouts,
        )
    elif isinstance(item, PhotoItem):
        await bot.send_photo(
            chat_id,
            item.file_id,
            caption=item.caption,
            caption_entities=_entities(item.caption_entities),
            parse_mode=item.parse_mode,
            reply_markup=markup,
            **timeouts,
        )
    else:
        document: str | bytes
        if item.file_id is not None:
            document = item.file_id
        else:
            try:
                document = base64.b64decode(item.content_b64 or "", validate=True)
            except binascii.Error as error:
                raise BadRequest(f"document content is not base64: {error}") from None
        await bot.send_document(
            chat_id,
            document,
            filename=item.filename,
            caption=item.caption,
            caption_entities=_entities(item.caption_entities),
            parse_mode=item.parse_mode,
            reply_markup=markup,
            **timeouts,
        )


async def send_payload(
    bot: Bot,
    chat_id: int,
    payload: Payload | Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *,
    interval: float = 1.0,
) -> None:
    """Send a payload right away, as partners will get it: the organiser's preview.

    Takes items or their JSON form. Items of a list go `interval` seconds apart (Telegram's
    one message per second per chat); not for bulk sending, which needs the global pacing.
    """
    if isinstance(payload, Mapping):
        items = [item_from_json(payload)]
    elif isinstance(payload, TextItem | PhotoItem | DocumentItem):
        items = [payload]
    else:
        items = [
            element
            if isinstance(element, TextItem | PhotoItem | DocumentItem)
            else item_from_json(element)
            for element in payload
        ]
    for number, item in enumerate(items):
        if number:
            await asyncio.sleep(interval)
        await send_item(bot, chat_id, item)


async def record_unreachable(outbox: OutboxRepository, job: Job, now: datetime, reason: str) -> int:
    """A 403: the row and the partner become unreachable, and the partner's other pending rows
    are skipped; returns how many. A row whose first items arrived still counts as sent."""
    if job.next_item == 0:
        return await outbox.mark_unreachable(job.message.id, reason)
    await _mark_partly_sent(outbox, job, now, reason)
    return await outbox.mark_user_unreachable(job.message.user_id, reason)


async def record_failed(outbox: OutboxRepository, job: Job, now: datetime, reason: str) -> None:
    """The item failed for good: the row fails, unless its first items already arrived."""
    if job.next_item == 0:
        await outbox.mark_failed(job.message.id, reason)
    else:
        await _mark_partly_sent(outbox, job, now, reason)


async def _mark_partly_sent(outbox: OutboxRepository, job: Job, now: datetime, reason: str) -> None:
    """An earlier item reached the partner, so the row is sent; the failure is noted."""
    log.warning(
        "Outbox row %s: %s failed after earlier items were delivered",
        job.message.id,
        job.position(),
    )
    await outbox.mark_sent(
        job.message.id, now, items_sent=job.next_item, note=f"{job.position()}: {reason}"
    )
