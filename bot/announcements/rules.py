"""Turning an organiser's message into an announcement payload, or saying why it cannot be one.

The payload keeps the message's entities exactly (bold, italic, links), so partners see what the
organiser wrote, with nothing re-parsed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram import Message

from bot.core.telegram_html import HtmlProblem, parse_telegram_html
from bot.core.telegram_text import CAPTION_LIMIT, MESSAGE_LIMIT


@dataclass(frozen=True)
class Refusal:
    """Why a message cannot be announced: a text key and its parameters."""

    key: str
    params: dict[str, object] = field(default_factory=dict)


def _entities(entities: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [entity.to_dict() for entity in entities]


def payload_from_message(message: Message) -> dict[str, Any] | Refusal:
    """Text, or one photo or document with caption; the limits checked before any preview."""
    if message.text is not None:
        return text_payload(message.text, _entities(message.entities))
    if message.photo or message.document:
        caption = message.caption or ""
        if len(caption) > CAPTION_LIMIT:
            return Refusal(
                "broadcast.refused_caption", {"length": len(caption), "limit": CAPTION_LIMIT}
            )
        payload: dict[str, Any] = (
            {"kind": "photo", "file_id": message.photo[-1].file_id}
            if message.photo
            else {"kind": "document", "file_id": message.document.file_id}  # type: ignore[union-attr]
        )
        if caption:
            payload["caption"] = caption
            payload["caption_entities"] = _entities(message.caption_entities)
        return payload
    return Refusal("broadcast.refused_kind")


def text_payload(text: str, entities: list[dict[str, Any]]) -> dict[str, Any] | Refusal:
    """A text announcement, from a chat message or the dashboard: not empty, within the limit."""
    if not text.strip():
        return Refusal("broadcast.refused_empty")
    if len(text) > MESSAGE_LIMIT:
        return Refusal("broadcast.refused_text", {"length": len(text), "limit": MESSAGE_LIMIT})
    return {"kind": "text", "text": text, "entities": entities}


def payload_from_html(source: str) -> dict[str, Any] | Refusal:
    """The dashboard's composed text (Telegram's HTML subset) as the payload a message with
    the same formatting would give, or why Telegram would refuse it."""
    try:
        parsed = parse_telegram_html(source)
    except HtmlProblem:
        return Refusal("broadcast.refused_html")
    return text_payload(parsed.text, parsed.entities)
