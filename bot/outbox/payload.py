"""What the outbox sends: message items, and their JSON form in `outbox.payload` and
`broadcasts.content`.

The JSON is stored, so its kinds ("text", "photo", "document") and keys never change: rows
queued by an older version must still decode.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from storage.outbox import ClaimedMessage

JSONDict = dict[str, Any]


@dataclass(frozen=True)
class Button:
    """An inline button: a callback button or a link."""

    text: str
    callback_data: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if (self.callback_data is None) == (self.url is None):
            raise ValueError("a button needs exactly one of callback_data and url")


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class TextItem:
    """A text message. Entities are sent exactly as given (offsets in UTF-16), never re-parsed."""

    text: str
    entities: tuple[JSONDict, ...] = ()
    parse_mode: Literal["HTML"] | None = None
    buttons: Keyboard = ()
    kind: ClassVar[str] = "text"

    def __post_init__(self) -> None:
        if self.parse_mode is not None and self.entities:
            raise ValueError("a text has either entities or a parse_mode, not both")


@dataclass(frozen=True)
class PhotoItem:
    """A photo Telegram already knows, by file_id."""

    file_id: str
    caption: str | None = None
    caption_entities: tuple[JSONDict, ...] = ()
    parse_mode: Literal["HTML"] | None = None
    buttons: Keyboard = ()
    kind: ClassVar[str] = "photo"

    def __post_init__(self) -> None:
        if self.parse_mode is not None and self.caption_entities:
            raise ValueError("a caption has either entities or a parse_mode, not both")


@dataclass(frozen=True)
class DocumentItem:
    """A document by file_id, or uploaded from its content (e.g. a personal .ics file)."""

    file_id: str | None = None
    content_b64: str | None = None
    filename: str | None = None
    caption: str | None = None
    caption_entities: tuple[JSONDict, ...] = ()
    parse_mode: Literal["HTML"] | None = None
    buttons: Keyboard = ()
    kind: ClassVar[str] = "document"

    def __post_init__(self) -> None:
        if (self.file_id is None) == (self.content_b64 is None):
            raise ValueError("a document needs exactly one of file_id and content_b64")
        if self.content_b64 is not None and not self.filename:
            raise ValueError("an uploaded document needs a filename")
        if self.parse_mode is not None and self.caption_entities:
            raise ValueError("a caption has either entities or a parse_mode, not both")

    @classmethod
    def upload(cls, content: bytes, filename: str, **options: Any) -> DocumentItem:
        return cls(
            content_b64=base64.b64encode(content).decode("ascii"), filename=filename, **options
        )


MessageItem = TextItem | PhotoItem | DocumentItem
Payload = MessageItem | Sequence[MessageItem]


def _keyboard_from_json(rows: Any) -> Keyboard:
    return tuple(tuple(Button(**button) for button in row) for row in rows or ())


def _keyboard_to_json(keyboard: Keyboard) -> list[list[JSONDict]]:
    return [
        [{k: v for k, v in vars(button).items() if v is not None} for button in row]
        for row in keyboard
    ]


def item_from_json(data: Mapping[str, Any]) -> MessageItem:
    """One payload item from its JSON form; raises ValueError/KeyError/TypeError if invalid."""
    kind = data.get("kind")
    common: dict[str, Any] = {
        "parse_mode": data.get("parse_mode"),
        "buttons": _keyboard_from_json(data.get("buttons")),
    }
    if kind == "text":
        return TextItem(text=data["text"], entities=tuple(data.get("entities") or ()), **common)
    media: dict[str, Any] = {
        "caption": data.get("caption"),
        "caption_entities": tuple(data.get("caption_entities") or ()),
        **common,
    }
    if kind == "photo":
        return PhotoItem(file_id=data["file_id"], **media)
    if kind == "document":
        return DocumentItem(
            file_id=data.get("file_id"),
            content_b64=data.get("content_b64"),
            filename=data.get("filename"),
            **media,
        )
    raise ValueError(f"unknown payload kind {kind!r}")


def item_to_json(item: MessageItem) -> JSONDict:
    data: JSONDict = {"kind": item.kind}
    for name, value in vars(item).items():
        if name == "buttons":
            if value:
                data[name] = _keyboard_to_json(value)
        elif isinstance(value, tuple):
            if value:
                data[name] = list(value)
        elif value is not None:
            data[name] = value
    return data


def _as_items(payload: Payload) -> list[MessageItem]:
    items = [payload] if isinstance(payload, TextItem | PhotoItem | DocumentItem) else list(payload)
    if not items:
        raise ValueError("a payload needs at least one item")
    return items


def _payload_json(payload: Payload) -> JSONDict | list[JSONDict]:
    items = _as_items(payload)
    return item_to_json(items[0]) if len(items) == 1 else [item_to_json(i) for i in items]


def encode_payload(payload: Payload) -> str:
    """The JSON stored in `outbox.payload`: one item as an object, several as a list."""
    return json.dumps(_payload_json(payload), ensure_ascii=False)


def decode_payload(text: str) -> list[MessageItem]:
    return _items_from_json(json.loads(text))


def encode_content(by_language: Mapping[str, Payload]) -> str:
    """The JSON stored in `broadcasts.content`: one payload per language, e.g. "de" and "en"."""
    if not by_language:
        raise ValueError("a broadcast needs content in at least one language")
    return json.dumps(
        {language: _payload_json(payload) for language, payload in by_language.items()},
        ensure_ascii=False,
    )


def content_for(content: str, language: str) -> list[MessageItem]:
    """The broadcast's payload in `language`, else in the first language it was written in."""
    by_language = json.loads(content)
    data = by_language.get(language)
    if data is None:
        data = next(iter(by_language.values()))
    return _items_from_json(data)


def _items_from_json(data: Any) -> list[MessageItem]:
    items = [item_from_json(d) for d in data] if isinstance(data, list) else [item_from_json(data)]
    if not items:
        raise ValueError("a payload needs at least one item")
    return items


def items_of(message: ClaimedMessage) -> list[MessageItem]:
    """What a claimed row sends: its own payload, or its broadcast's in the row's language."""
    if message.payload is not None:
        return decode_payload(message.payload)
    if message.content is None:
        raise ValueError("the row has neither a payload nor a broadcast")
    return content_for(message.content, message.language)
