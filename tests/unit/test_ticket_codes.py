"""Ticket tokens, deep links, the QR image and what the ticket and the door show."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import PIL.Image
import pytest
import zxingcpp

from bot.checkin.tickets import (
    Ticket,
    new_ticket_token,
    start_parameter,
    ticket_png,
    ticket_url,
    token_from_start,
)
from bot.checkin.views import already_checked_in, moment, ticket_caption
from bot.core.texts import Texts
from bot.programme.model import SHIPPED_PROGRAMME, load_programme

TEXTS = Texts.load()
PROGRAMME = load_programme(SHIPPED_PROGRAMME)
ALLOWED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def ticket(**changes: object) -> Ticket:
    values: dict[str, object] = {
        "registration_id": 7,
        "user_id": 1,
        "token": new_ticket_token(),
        "name": "Anna Müller",
        "organisation": "Leipziger Stadtwerke",
        "persons": 2,
        "language": "de",
    }
    values.update(changes)
    return Ticket(**values)  # type: ignore[arg-type]


def test_tokens_are_unguessable_and_fit_a_telegram_start_parameter() -> None:
    tokens = {new_ticket_token() for _ in range(1000)}
    assert len(tokens) == 1000
    for token in tokens:
        parameter = start_parameter(token)
        assert len(parameter) <= 64 and set(parameter) <= ALLOWED
        assert len(token) == 22  # 16 random bytes
        assert token_from_start(parameter) == token


@pytest.mark.parametrize(
    "argument", ["", "ci_", "ci_short", "inv_" + "a" * 22, "ci_" + "a" * 21 + "!", "ci_" + "a" * 40]
)
def test_anything_else_is_not_a_ticket(argument: str) -> None:
    assert token_from_start(argument) is None


def test_the_png_decodes_to_the_deep_link() -> None:
    url = ticket_url("partnerbot_test_bot", "QhcF3R_kimKSfO-HF1GUww")
    assert url == "https://t.me/partnerbot_test_bot?start=ci_QhcF3R_kimKSfO-HF1GUww"
    image = PIL.Image.open(io.BytesIO(ticket_png(url)))
    assert image.format == "PNG" and image.size[0] >= 290  # a phone reads it at arm's length
    codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [code.text for code in codes] == [url]


@pytest.mark.parametrize("language", ["de", "en"])
def test_caption_names_event_time_place_and_party_escaped(language: str) -> None:
    caption = ticket_caption(TEXTS, language, PROGRAMME, ticket(name="<Anna & Co>"))  # type: ignore[arg-type]
    assert "&lt;Anna &amp; Co&gt;" in caption
    assert "Alte Handelsbörse" in caption and "2" in caption
    assert ("17:00 Uhr" if language == "de" else "5:00 pm") in caption


def test_caption_stays_within_telegrams_limit_with_absurd_names() -> None:
    caption = ticket_caption(TEXTS, "de", PROGRAMME, ticket(name="&" * 200, organisation="<" * 200))
    assert len(caption) <= 1024


def test_check_in_time_is_a_clock_time_on_the_day_and_a_date_otherwise() -> None:
    at = datetime(2025, 6, 10, 15, 42, tzinfo=UTC)
    assert moment(TEXTS, "de", at, at) == "um 17:42 Uhr"
    assert moment(TEXTS, "en", at, at) == "at 5:42 pm"
    later = datetime(2025, 6, 11, 9, 0, tzinfo=UTC)
    assert moment(TEXTS, "de", at, later) == "am Dienstag, 10. Juni, 17:42 Uhr"


def test_unknown_organiser_is_named_neutrally() -> None:
    at = datetime(2025, 6, 10, 15, 42, tzinfo=UTC)
    done = ticket(checked_in_at=at, checked_in_persons=1, checked_in_by=None)
    text = already_checked_in(TEXTS, "en", done, at)
    assert text.endswith("at 5:42 pm by an organiser (1 of 2 persons).")
