"""The Bot API methods that send a message without a file: text, venue, location, copies.

Why: these are most of what the bot sends; each checks what Telegram checks (empty or
too long text, HTML, buttons, the message replied to) before the message is stored.
"""

from __future__ import annotations

from functools import partial

from bot.emulator.html import check_markup
from bot.emulator.methods.sending import caption_of, message_text, record, reply_to
from bot.emulator.model import JSONDict, MethodTable, as_int, bad_request, without_none
from bot.emulator.state import EmulatorState


def register(table: MethodTable, state: EmulatorState) -> None:
    """Add the message methods to the method table."""
    table.update(
        sendMessage=partial(send_message, state),
        sendVenue=partial(send_venue, state),
        sendLocation=partial(send_location, state),
        copyMessage=partial(copy_or_forward, state, method="copyMessage"),
        forwardMessage=partial(copy_or_forward, state, method="forwardMessage"),
        sendChatAction=partial(send_chat_action, state),
    )


def send_message(state: EmulatorState, p: JSONDict) -> JSONDict:
    chat = state.target_chat(p)
    text, plain, entities = message_text(state, p)
    markup = check_markup(p.get("reply_markup"), chat.type)
    reply = reply_to(state, chat, p)
    content: JSONDict = {"text": plain}
    if entities:
        content["entities"] = entities
    message = record(
        state,
        "sendMessage",
        chat,
        p,
        text=text,
        plain_text=plain,
        entities=entities,
        content=content,
        reply_markup=markup,
        reply=reply,
    )
    return message.payload


def location_of(p: JSONDict) -> JSONDict:
    try:
        latitude, longitude = float(p["latitude"]), float(p["longitude"])
    except (KeyError, TypeError, ValueError):
        raise bad_request("wrong latitude or longitude specified") from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise bad_request("wrong latitude or longitude specified")
    return {"latitude": latitude, "longitude": longitude}


def send_venue(state: EmulatorState, p: JSONDict) -> JSONDict:
    chat = state.target_chat(p)
    location = location_of(p)
    title, address = p.get("title"), p.get("address")
    if not title or not address:
        raise bad_request("venue title and address must be non-empty")
    venue = without_none(
        {
            "location": location,
            "title": str(title),
            "address": str(address),
            "foursquare_id": p.get("foursquare_id"),
            "foursquare_type": p.get("foursquare_type"),
            "google_place_id": p.get("google_place_id"),
            "google_place_type": p.get("google_place_type"),
        }
    )
    markup = check_markup(p.get("reply_markup"))
    reply = reply_to(state, chat, p)
    message = record(
        state,
        "sendVenue",
        chat,
        p,
        text=None,
        plain_text=f"{title}\n{address}",
        entities=[],
        content={"venue": venue, "location": location},
        reply_markup=markup,
        reply=reply,
        venue=venue,
        location=location,
    )
    return message.payload


def send_location(state: EmulatorState, p: JSONDict) -> JSONDict:
    chat = state.target_chat(p)
    location = location_of(p)
    markup = check_markup(p.get("reply_markup"))
    reply = reply_to(state, chat, p)
    message = record(
        state,
        "sendLocation",
        chat,
        p,
        text=None,
        plain_text="",
        entities=[],
        content={"location": location},
        reply_markup=markup,
        reply=reply,
        location=location,
    )
    return message.payload


def copy_or_forward(state: EmulatorState, p: JSONDict, method: str) -> JSONDict:
    chat = state.target_chat(p)
    source_chat = state.resolve_chat(p.get("from_chat_id"))
    message_id = as_int(p.get("message_id"), "message_id")
    key = (source_chat.id, message_id)
    source = state.messages.get(key)
    if source is not None and not source.deleted:
        original = source.payload
        fields: JSONDict = {
            "document": source.document,
            "photo": source.photo,
            "venue": source.venue,
            "location": source.location,
        }
        text, plain, entities = source.text, source.plain_text, list(source.entities)
    elif key in state.user_messages and key not in state.deleted_user_messages:
        original = state.user_messages[key]
        fields = {
            "document": state.files.get((original.get("document") or {}).get("file_id", "")),
            "photo": state.files.get(((original.get("photo") or [{}])[-1]).get("file_id", "")),
            "venue": original.get("venue"),
            "location": original.get("location"),
        }
        text = original.get("text", original.get("caption"))
        plain = text or ""
        entities = list(original.get("entities") or original.get("caption_entities") or [])
    else:
        raise bad_request(
            "message to copy not found"
            if method == "copyMessage"
            else "message to forward not found"
        )
    content = {
        k: v
        for k, v in original.items()
        if k
        not in (
            "message_id",
            "from",
            "chat",
            "date",
            "edit_date",
            "reply_to_message",
            "reply_markup",
        )
    }
    if method == "copyMessage" and "caption" in p and "text" not in original:
        text, plain, entities = caption_of(state, p)
        content.pop("caption", None)
        content.pop("caption_entities", None)
        if text is not None:
            content["caption"] = plain
            if entities:
                content["caption_entities"] = entities
    if method == "forwardMessage":
        sender = original.get("from") or state.bot_user_json()
        content["forward_origin"] = {
            "type": "user",
            "sender_user": sender,
            "date": original.get("date", 0),
        }
    markup = check_markup(p.get("reply_markup")) if method == "copyMessage" else None
    reply = reply_to(state, chat, p) if method == "copyMessage" else (None, None)
    message = record(
        state,
        method,
        chat,
        p,
        text=text,
        plain_text=plain,
        entities=entities,
        content=content,
        reply_markup=markup,
        reply=reply,
        **fields,
    )
    if method == "copyMessage":
        return {"message_id": message.message_id}
    return message.payload


def send_chat_action(state: EmulatorState, p: JSONDict) -> bool:
    state.target_chat(p)
    if not p.get("action"):
        raise bad_request("action is empty")
    return True
