"""What every way of sending a message shares: storing it, its text, reply and caption.

Why: sendMessage, the media methods, sendVenue, copyMessage and forwardMessage all end in
one message in a chat that counts against the flood limits and wakes the tests waiting
for it; the rules for that live once, here.
"""

from __future__ import annotations

from typing import Any

from bot.emulator.html import format_text
from bot.emulator.limits import MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH
from bot.emulator.model import Chat, JSONDict, SentMessage, as_int, bad_request
from bot.emulator.state import EmulatorState


def record(
    state: EmulatorState,
    method: str,
    chat: Chat,
    p: JSONDict,
    *,
    text: str | None,
    plain_text: str,
    entities: list[JSONDict],
    content: JSONDict,
    reply_markup: JSONDict | None = None,
    reply: tuple[int | None, JSONDict | None] = (None, None),
    **fields: Any,
) -> SentMessage:
    """Store a message the bot sent, once the flood limits let it through, and tell the
    tests waiting for it."""
    state.flood.take(chat)
    message_id = state.next_message_id(chat.id)
    date = state.now()
    payload: JSONDict = {
        "message_id": message_id,
        "from": state.bot_user_json(),
        "chat": chat.to_dict(),
        "date": date,
        **content,
    }
    if reply[1] is not None:
        payload["reply_to_message"] = reply[1]
    if reply_markup is not None and "inline_keyboard" in reply_markup:
        payload["reply_markup"] = reply_markup
    if p.get("link_preview_options") is not None:
        payload["link_preview_options"] = p["link_preview_options"]
    message = SentMessage(
        message_id=message_id,
        chat_id=chat.id,
        method=method,
        text=text,
        plain_text=plain_text,
        parse_mode=p.get("parse_mode"),
        entities=entities,
        reply_markup=reply_markup,
        reply_to_message_id=reply[0],
        date=date,
        initial_text=text,
        initial_plain_text=plain_text,
        seq=len(state.sent),
        params=p,
        payload=payload,
        **fields,
    )
    state.sent.append(message)
    state.flood.answered(chat)
    state.by_chat[chat.id].append(message)
    state.messages[(chat.id, message_id)] = message
    state.stats.sent += 1
    state.notify(chat.id)
    state.emit("sent", message)
    return message


def reply_to(state: EmulatorState, chat: Chat, p: JSONDict) -> tuple[int | None, JSONDict | None]:
    """The id and Message JSON of the message a send replies to, if it still exists."""
    parameters = p.get("reply_parameters")
    if isinstance(parameters, dict):
        message_id = parameters.get("message_id")
        allow_missing = bool(parameters.get("allow_sending_without_reply"))
        if parameters.get("chat_id") is not None:
            chat = state.resolve_chat(parameters["chat_id"])
    else:
        message_id = p.get("reply_to_message_id")
        allow_missing = bool(p.get("allow_sending_without_reply"))
    if message_id is None:
        return None, None
    message_id = as_int(message_id, "message_id")
    target = state.messages.get((chat.id, message_id))
    payload = target.payload if target is not None and not target.deleted else None
    if payload is None and (chat.id, message_id) not in state.deleted_user_messages:
        payload = state.user_messages.get((chat.id, message_id))
    if payload is None:
        if allow_missing:
            return None, None
        raise bad_request("message to be replied not found")
    reply = {k: v for k, v in payload.items() if k != "reply_to_message"}
    return message_id, reply


def caption_of(state: EmulatorState, p: JSONDict) -> tuple[str | None, str, list[JSONDict]]:
    """The caption as sent, as read and its entities; None if the request has none."""
    caption = p.get("caption")
    if caption is None or caption == "":
        return None, "", []
    caption = str(caption)
    plain, entities = format_text(
        caption,
        p.get("parse_mode"),
        p.get("caption_entities"),
        strict=state.strict_html,
        limit=MAX_CAPTION_LENGTH,
        too_long="message caption is too long",
    )
    return caption, plain, entities


def message_text(state: EmulatorState, p: JSONDict) -> tuple[str, str, list[JSONDict]]:
    """The text of sendMessage or editMessageText as sent, as read and its entities."""
    text = p.get("text")
    if text is None or text == "":
        raise bad_request("message text is empty")
    text = str(text)
    plain, entities = format_text(
        text,
        p.get("parse_mode"),
        p.get("entities"),
        strict=state.strict_html,
        limit=MAX_TEXT_LENGTH,
        too_long="message is too long",
    )
    if not plain:
        raise bad_request("message text is empty")
    return text, plain, entities
