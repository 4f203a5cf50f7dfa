"""The Bot API methods that send a file: sendPhoto and sendDocument.

Why: files arrive as multipart uploads, as ``attach://`` references, as file_ids of files
sent before or as URLs; each becomes an ``UploadedFile`` that tests can read back and the
bot can download again with getFile.
"""

from __future__ import annotations

from functools import partial
from typing import Literal

from bot.emulator.html import check_markup
from bot.emulator.methods.sending import caption_of, record, reply_to
from bot.emulator.model import (
    FilePart,
    JSONDict,
    MethodTable,
    UploadedFile,
    bad_request,
    without_none,
)
from bot.emulator.state import EmulatorState


def register(table: MethodTable, state: EmulatorState) -> None:
    """Add the file-sending methods to the method table."""
    table.update(
        sendPhoto=partial(send_media, state, method="sendPhoto", kind="photo"),
        sendDocument=partial(send_media, state, method="sendDocument", kind="document"),
    )


def input_file(state: EmulatorState, p: JSONDict, name: str) -> UploadedFile:
    value = p.get(name)
    if isinstance(value, str) and value.startswith("attach://"):
        value = p.get(value.removeprefix("attach://"))
    if isinstance(value, FilePart):
        return state.new_file(name, value.filename, value.content, value.content_type)
    if isinstance(value, str) and value:
        known = state.files.get(value)
        if known is not None:
            return known
        if value.lower().startswith(("http://", "https://")):
            file = state.new_file(name, value.rsplit("/", 1)[-1] or None, None, None)
            file.url = value
            return file
        # An unknown file_id: Telegram would check it; we accept it as opaque.
        file = UploadedFile(file_id=value, file_unique_id=f"ext-{value[:16]}")
        state.files[value] = file
        return file
    raise bad_request(f"there is no {name} in the request")


def document_json(file: UploadedFile) -> JSONDict:
    return without_none(
        {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "file_name": file.filename,
            "mime_type": file.mime_type,
            "file_size": file.size,
        }
    )


def photo_json(file: UploadedFile) -> list[JSONDict]:
    return [
        without_none(
            {
                "file_id": file.file_id,
                "file_unique_id": file.file_unique_id,
                "width": 1280,
                "height": 960,
                "file_size": file.size,
            }
        )
    ]


def send_media(
    state: EmulatorState, p: JSONDict, method: str, kind: Literal["photo", "document"]
) -> JSONDict:
    chat = state.target_chat(p)
    caption, plain, entities = caption_of(state, p)
    markup = check_markup(p.get("reply_markup"))
    reply = reply_to(state, chat, p)
    file = input_file(state, p, kind)
    content: JSONDict = {kind: photo_json(file) if kind == "photo" else document_json(file)}
    if caption is not None:
        content["caption"] = plain
        if entities:
            content["caption_entities"] = entities
    message = record(
        state,
        method,
        chat,
        p,
        text=caption,
        plain_text=plain,
        entities=entities,
        content=content,
        reply_markup=markup,
        reply=reply,
        **{kind: file},
    )
    return message.payload
