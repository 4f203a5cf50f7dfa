"""What simulated people do: write, send files, edit their messages, press buttons.

Why: each action becomes the update Telegram would send the bot, with the entities
Telegram adds (a leading /command, @mentions), and marks the person as having written to
the bot, so that the bot may answer them.
"""

from __future__ import annotations

import re

from bot.emulator.html import utf16_len
from bot.emulator.methods.media import document_json
from bot.emulator.model import Chat, JSONDict, SentMessage, User, as_int, without_none
from bot.emulator.state import EmulatorState

_MENTION_RE = re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{4,31}\b")
_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=\s|$)")
_MESSAGE_UPDATE_KEYS = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_message",
    "edited_business_message",
)


class SimulatedPeople:
    """The people's side of ``TelegramEmulator``: every method turns into an update."""

    _state: EmulatorState

    def send_text(
        self,
        user: User,
        text: str,
        *,
        chat: Chat | None = None,
        reply_to: SentMessage | JSONDict | None = None,
        entities: list[JSONDict] | None = None,
    ) -> JSONDict:
        """The user sends ``text``; like Telegram, a leading /command and @mentions get entities."""
        content: JSONDict = {"text": text}
        if entities is None:
            entities = []
            match = _COMMAND_RE.match(text)
            if match:
                entities.append(
                    {"type": "bot_command", "offset": 0, "length": utf16_len(match.group())}
                )
            entities.extend(
                {
                    "type": "mention",
                    "offset": utf16_len(text[: mention.start()]),
                    "length": utf16_len(mention.group()),
                }
                for mention in _MENTION_RE.finditer(text)
            )
        if entities:
            content["entities"] = entities
        if reply_to is not None:
            content["reply_to_message"] = self._reply_payload(reply_to)
        return self._push_user_message(user, chat, content)

    def send_sticker(self, user: User, emoji: str = "👍", *, chat: Chat | None = None) -> JSONDict:
        file = self._state.new_file("sticker", None, None, "image/webp")
        sticker = {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._push_user_message(user, chat, {"sticker": sticker})

    def send_photo(
        self,
        user: User,
        content: bytes = b"\x89PNG fake",
        *,
        caption: str | None = None,
        chat: Chat | None = None,
        reply_to: SentMessage | JSONDict | None = None,
    ) -> JSONDict:
        file = self._state.new_file("photo", "photo.jpg", content, "image/jpeg")
        photo = [
            {
                "file_id": file.file_id,
                "file_unique_id": file.file_unique_id,
                "width": 1280,
                "height": 960,
                "file_size": len(content),
            }
        ]
        content_json: JSONDict = without_none({"photo": photo, "caption": caption})
        if reply_to is not None:
            content_json["reply_to_message"] = self._reply_payload(reply_to)
        return self._push_user_message(user, chat, content_json)

    def send_voice(
        self,
        user: User,
        duration: int = 3,
        *,
        content: bytes = b"OggS fake",
        chat: Chat | None = None,
    ) -> JSONDict:
        file = self._state.new_file("voice", "voice.ogg", content, "audio/ogg")
        voice = {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(content),
        }
        return self._push_user_message(user, chat, {"voice": voice})

    def send_document(
        self,
        user: User,
        filename: str,
        content: bytes = b"",
        *,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
        chat: Chat | None = None,
    ) -> JSONDict:
        file = self._state.new_file("document", filename, content, mime_type)
        return self._push_user_message(
            user, chat, without_none({"document": document_json(file), "caption": caption})
        )

    def send_location(
        self, user: User, latitude: float, longitude: float, *, chat: Chat | None = None
    ) -> JSONDict:
        return self._push_user_message(
            user, chat, {"location": {"latitude": latitude, "longitude": longitude}}
        )

    def send_contact(
        self,
        user: User,
        phone_number: str,
        *,
        first_name: str | None = None,
        user_id: int | None = None,
        chat: Chat | None = None,
    ) -> JSONDict:
        contact = without_none(
            {
                "phone_number": phone_number,
                "first_name": first_name or user.first_name,
                "user_id": user_id,
            }
        )
        return self._push_user_message(user, chat, {"contact": contact})

    def edit_text(self, user: User, original: JSONDict, new_text: str) -> JSONDict:
        """The user edits one of their messages; sends an ``edited_message`` update."""
        message = {
            **original,
            "text": new_text,
            "edit_date": self._state.now(),
            "from": user.to_dict(),
        }
        message.pop("entities", None)
        match = _COMMAND_RE.match(new_text)
        if match:
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(match.group())}
            ]
        key = (message["chat"]["id"], message["message_id"])
        self._state.user_messages[key] = message
        self._state.enqueue({"update_id": self._state.next_update_id(), "edited_message": message})
        return message

    def click(
        self, user: User, message: SentMessage, button: str, *, chat: Chat | None = None
    ) -> JSONDict:
        """The user presses an inline button (by text or substring); returns the callback_query."""
        if message.deleted:
            raise AssertionError(f"Cannot click {button!r}: message was deleted: {message!r}")
        if not (message.reply_markup or {}).get("inline_keyboard"):
            raise AssertionError(
                f"Cannot click {button!r}: message has no inline keyboard "
                f"(text: {message.plain_text!r}, buttons: {message.button_texts})"
            )
        found = message.button(button)
        if found.callback_data is None:
            raise AssertionError(f"Button {found.text!r} has no callback_data (url={found.url!r})")
        query_id = f"{next(self._state.callback_ids)}{user.id}"
        query = {
            "id": query_id,
            "from": user.to_dict(),
            "message": dict(message.payload),  # a snapshot, later edits must not change it
            "chat_instance": str(chat.id if chat else message.chat_id),
            "data": found.callback_data,
        }
        self._state.pending_callbacks[query_id] = query
        self._state.flood.read_answers(message.chat_id)
        self._state.enqueue({"update_id": self._state.next_update_id(), "callback_query": query})
        return query

    def send_update(self, payload: JSONDict) -> JSONDict:
        """Inject a raw update. Missing update_id, message_id, date and chat are filled in."""
        update = dict(payload)
        if "update_id" in update:
            self._state.last_update_id = max(self._state.last_update_id, int(update["update_id"]))
        else:
            update["update_id"] = self._state.next_update_id()
        for key in _MESSAGE_UPDATE_KEYS:
            message = update.get(key)
            if isinstance(message, dict):
                self._complete_user_message(message, edited=key.startswith("edited"))
        query = update.get("callback_query")
        if isinstance(query, dict):
            query.setdefault("id", f"{next(self._state.callback_ids)}raw")
            query.setdefault("chat_instance", "0")
            self._state.pending_callbacks[str(query["id"])] = query
            message = query.get("message")
            if isinstance(message, dict) and isinstance(message.get("chat"), dict):
                chat_id = as_int(message["chat"].get("id"), "chat_id")
                if chat_id == (query.get("from") or {}).get("id"):  # a button in their own chat
                    self._state.started.add(chat_id)
                self._state.flood.read_answers(chat_id)
        self._state.enqueue(update)
        return update

    # ---------------------------------------------------------------- building updates

    def _reply_payload(self, reply_to: SentMessage | JSONDict) -> JSONDict:
        payload = reply_to.payload if isinstance(reply_to, SentMessage) else reply_to
        return {k: v for k, v in payload.items() if k != "reply_to_message"}

    def _push_user_message(self, user: User, chat: Chat | None, content: JSONDict) -> JSONDict:
        if user.id not in self._state.users:
            self._state.users[user.id] = user
            self._state.chats.setdefault(user.id, Chat.private(user))
        if chat is None:
            chat = self._state.chats[user.id]
        else:
            self._state.chats.setdefault(chat.id, chat)
        if chat.type == "private":
            self._state.started.add(chat.id)
            self._state.flood.read_answers(chat.id)
        message_id = self._state.next_message_id(chat.id)
        message: JSONDict = {
            "message_id": message_id,
            "from": user.to_dict(),
            "chat": chat.to_dict(),
            "date": self._state.now(),
            **content,
        }
        self._state.user_messages[(chat.id, message_id)] = message
        kind = "channel_post" if chat.type == "channel" else "message"
        if kind == "channel_post":
            message.pop("from", None)
            message["sender_chat"] = chat.to_dict()
        self._state.enqueue({"update_id": self._state.next_update_id(), kind: message})
        return message

    def _complete_user_message(self, message: JSONDict, *, edited: bool) -> None:
        sender = message.get("from")
        if "chat" not in message:
            if not isinstance(sender, dict) or "id" not in sender:
                raise ValueError("a message update needs 'chat' or 'from'")
            chat = self._state.chats.get(sender["id"]) or Chat(
                id=sender["id"],
                first_name=sender.get("first_name"),
                last_name=sender.get("last_name"),
                username=sender.get("username"),
            )
            message["chat"] = chat.to_dict()
        chat_json = message["chat"]
        chat_id = int(chat_json["id"])
        if chat_json.get("type", "private") == "private":
            self._state.started.add(chat_id)
            self._state.flood.read_answers(chat_id)
        if chat_id not in self._state.chats:
            self._state.chats[chat_id] = Chat(
                **{
                    k: chat_json[k]
                    for k in ("id", "type", "title", "username", "first_name", "last_name")
                    if k in chat_json
                }
            )
        if isinstance(sender, dict) and "id" in sender and sender["id"] not in self._state.users:
            self._state.users[sender["id"]] = User(
                id=sender["id"],
                first_name=sender.get("first_name", ""),
                last_name=sender.get("last_name"),
                username=sender.get("username"),
                language_code=sender.get("language_code"),
                is_bot=bool(sender.get("is_bot")),
            )
        if "message_id" not in message:
            message["message_id"] = self._state.next_message_ids[chat_id]
        self._state.next_message_ids[chat_id] = max(
            self._state.next_message_ids[chat_id], message["message_id"] + 1
        )
        message.setdefault("date", self._state.now())
        if edited:
            message.setdefault("edit_date", self._state.now())
        self._state.user_messages[(chat_id, message["message_id"])] = message
