"""The Bot API methods that change or delete a message the bot sent.

Why: the bot edits its questions into answers and removes buttons after a press; Telegram
refuses an edit that changes nothing ("message is not modified") and edits of messages that
are gone, which are bugs the tests must see. Every edit is kept in ``SentMessage.edits``.
"""

from __future__ import annotations

from functools import partial
from typing import Literal

from bot.emulator.html import check_markup
from bot.emulator.methods.sending import caption_of, message_text
from bot.emulator.model import Edit, JSONDict, MethodTable, SentMessage, as_int, bad_request
from bot.emulator.state import EmulatorState

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)


def register(table: MethodTable, state: EmulatorState) -> None:
    """Add the editing and deleting methods to the method table."""
    table.update(
        editMessageText=partial(edit_message_text, state),
        editMessageCaption=partial(edit_message_caption, state),
        editMessageReplyMarkup=partial(edit_message_reply_markup, state),
        deleteMessage=partial(delete_message, state),
    )


def message_to_edit(state: EmulatorState, p: JSONDict) -> SentMessage:
    if p.get("inline_message_id"):
        raise bad_request("inline messages are not supported by the emulator")
    chat = state.target_chat(p)
    message_id = as_int(p.get("message_id"), "message_id")
    message = state.messages.get((chat.id, message_id))
    if message is None and (chat.id, message_id) in state.user_messages:
        raise bad_request("message can't be edited")
    if message is None or message.deleted:
        raise bad_request("message to edit not found")
    return message


def apply_edit(
    state: EmulatorState,
    message: SentMessage,
    method: str,
    p: JSONDict,
    *,
    text: str | None,
    plain_text: str,
    entities: list[JSONDict],
    reply_markup: JSONDict | None,
    text_key: Literal["text", "caption"] | None,
) -> JSONDict:
    old_markup = (message.reply_markup or {}).get("inline_keyboard")
    new_markup = (reply_markup or {}).get("inline_keyboard")
    if (
        plain_text == message.plain_text
        and entities == message.entities
        and old_markup == new_markup
    ):
        raise bad_request(_NOT_MODIFIED)
    date = state.now()
    message.text = text
    message.plain_text = plain_text
    message.entities = entities
    message.reply_markup = reply_markup
    if method != "editMessageReplyMarkup":
        message.parse_mode = p.get("parse_mode")
    payload = message.payload
    payload["edit_date"] = date
    if text_key is not None:
        entity_key = "entities" if text_key == "text" else "caption_entities"
        payload.pop(entity_key, None)
        if text is None:
            payload.pop(text_key, None)
        else:
            payload[text_key] = plain_text
            if entities:
                payload[entity_key] = entities
    if new_markup:
        payload["reply_markup"] = reply_markup
    else:
        payload.pop("reply_markup", None)
    message.edits.append(
        Edit(
            method=method,
            text=text,
            plain_text=plain_text,
            parse_mode=message.parse_mode,
            entities=entities,
            reply_markup=reply_markup,
            date=date,
            params=p,
        )
    )
    state.stats.edited += 1
    state.notify(message.chat_id)
    state.emit("edited", message)
    return payload


def edit_message_text(state: EmulatorState, p: JSONDict) -> JSONDict:
    message = message_to_edit(state, p)
    if message.is_media or message.text is None:
        raise bad_request("there is no text in the message to edit")
    text, plain, entities = message_text(state, p)
    markup = check_markup(p.get("reply_markup"))
    return apply_edit(
        state,
        message,
        "editMessageText",
        p,
        text=text,
        plain_text=plain,
        entities=entities,
        reply_markup=markup,
        text_key="text",
    )


def edit_message_caption(state: EmulatorState, p: JSONDict) -> JSONDict:
    message = message_to_edit(state, p)
    if not message.is_media:
        raise bad_request("there is no caption in the message to edit")
    caption, plain, entities = caption_of(state, p)
    markup = check_markup(p.get("reply_markup"))
    return apply_edit(
        state,
        message,
        "editMessageCaption",
        p,
        text=caption,
        plain_text=plain,
        entities=entities,
        reply_markup=markup,
        text_key="caption",
    )


def edit_message_reply_markup(state: EmulatorState, p: JSONDict) -> JSONDict:
    message = message_to_edit(state, p)
    markup = check_markup(p.get("reply_markup"))
    return apply_edit(
        state,
        message,
        "editMessageReplyMarkup",
        p,
        text=message.text,
        plain_text=message.plain_text,
        entities=message.entities,
        reply_markup=markup,
        text_key=None,
    )


def delete_message(state: EmulatorState, p: JSONDict) -> bool:
    chat = state.resolve_chat(p.get("chat_id"))
    message_id = as_int(p.get("message_id"), "message_id")
    key = (chat.id, message_id)
    message = state.messages.get(key)
    if message is not None and not message.deleted:
        message.deleted = True
        state.stats.deleted += 1
        state.notify(chat.id)
        state.emit("deleted", message)
        return True
    if key in state.user_messages and key not in state.deleted_user_messages:
        state.deleted_user_messages.add(key)
        state.stats.deleted += 1
        return True
    raise bad_request("message to delete not found")


# ---------------------------------------------------------------- callbacks, chats, files
