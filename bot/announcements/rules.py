"""Turning an organiser's message into an announcement payload, or saying why it cannot be one.

The payload keeps the message's entities exactly (bold, italic, links), so partners see what the
organiser wrote, with nothing re-parsed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram import Message

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
        if not message.text.strip():
            return Refusal("broadcast.refused_empty")
        if len(message.text) > MESSAGE_LIMIT:
            return Refusal(
                "broadcast.refused_text", {"length": len(message.text), "limit": MESSAGE_LIMIT}
            )
        return {"kind": "text", "text": message.text, "entities": _entities(message.entities)}
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
