"""Steps around QR tickets: getting one, reading it as a phone camera would, scanning it."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import parse_qs, urlparse

import PIL.Image
import zxingcpp

from bot.emulator import SentMessage, TelegramEmulator, User
from tests.e2e.rsvp_steps import register_and_confirm

BOT_USERNAME = "partnerbot_test_bot"  # what the emulator answers to getMe


def is_ticket(message: SentMessage) -> bool:
    return message.method == "sendPhoto" and message.photo is not None


async def next_ticket(emulator: TelegramEmulator, user: User, since: int) -> SentMessage:
    # The ticket is often the third message in a row to one chat, which Telegram's limit of
    # about one message a second per chat spaces out.
    return await emulator.wait_for(user, since=since, predicate=is_ticket, timeout=15)


def read_qr(message: SentMessage) -> str:
    """The text of the ticket's QR code, decoded from the PNG the partner received."""
    assert message.photo is not None and message.photo.content is not None
    image = PIL.Image.open(io.BytesIO(message.photo.content))
    # Only QR codes: a 1-D decoder sometimes reads a short ITF "barcode" out of the QR pattern.
    codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(codes) == 1, f"expected one QR code, found {len(codes)}"
    return codes[0].text


def start_parameter(message: SentMessage) -> str:
    """`ci_<token>` from the ticket's deep link `https://t.me/<bot>?start=ci_<token>`."""
    url = urlparse(read_qr(message))
    assert (url.scheme, url.netloc, url.path) == ("https", "t.me", f"/{BOT_USERNAME}")
    (parameter,) = parse_qs(url.query)["start"]
    return parameter


async def confirmed_with_ticket(
    emulator: TelegramEmulator, user: User, *, persons: int = 2, **answers: str
) -> str:
    """Register and confirm in German; returns the start parameter of the ticket that came."""
    mark = emulator.mark()
    await register_and_confirm(emulator, user, persons=persons, **answers)
    return start_parameter(await next_ticket(emulator, user, mark))


async def scan(emulator: TelegramEmulator, user: User, parameter: str) -> SentMessage:
    """What the phone camera does with the ticket's link: `/start <parameter>` in the bot."""
    return await emulator.ask(user, f"/start {parameter}")


def press_forged_button(emulator: TelegramEmulator, user: User, data: str) -> dict[str, Any]:
    """A callback with data the bot never gave this user, as a modified client could send."""
    update = emulator.send_update(
        {
            "callback_query": {
                "from": user.to_dict(),
                "data": data,
                "message": {
                    "message_id": 1,
                    "date": 1_749_000_000,
                    "chat": {"id": user.id, "type": "private"},
                },
            }
        }
    )
    return update["callback_query"]  # type: ignore[no-any-return]
