"""Every text exists in German and English, and nothing from outside can inject markup."""

from __future__ import annotations

import string

import pytest

from bot.language import resolve_language
from bot.telegram_text import shorten_escaped, split_html
from bot.texts import Html, Texts


@pytest.fixture(scope="module")
def texts() -> Texts:
    return Texts.load()


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_catalogues_have_the_same_texts(texts: Texts) -> None:
    assert texts.keys("de") == texts.keys("en")


def test_translations_use_the_same_placeholders(texts: Texts) -> None:
    for key in texts.keys("de"):
        assert _placeholders(texts.template("de", key)) == _placeholders(
            texts.template("en", key)
        ), key


def test_parameters_are_escaped_but_html_is_kept(texts: Texts) -> None:
    text = texts.get("en", "relay.answer", question="<b>hi</b> & bye", answer=Html("<i>ok</i>"))
    assert "&lt;b&gt;hi&lt;/b&gt; &amp; bye" in text
    assert "<i>ok</i>" in text


@pytest.mark.parametrize(
    ("chosen", "telegram", "default", "expected"),
    [
        ("en", "de", "de", "en"),
        (None, "de-AT", "en", "de"),
        (None, "en-GB", "de", "en"),
        (None, "fr", "de", "de"),
        (None, None, "en", "en"),
        ("xx", "en", "de", "en"),
    ],
)
def test_language_choice_order(chosen, telegram, default, expected) -> None:
    assert resolve_language(chosen, telegram, default) == expected


def test_long_text_is_split_at_line_boundaries_within_the_limit() -> None:
    lines = [f"<b>Punkt {index}</b> " + "ä" * 90 for index in range(100)]
    parts = split_html("\n".join(lines), limit=1000)
    assert all(len(part) <= 1000 for part in parts)
    assert "\n".join(parts) == "\n".join(lines)


def test_overlong_line_is_cut_outside_entities() -> None:
    text = "&lt;" * 2000
    parts = split_html(text, limit=4096)
    assert all(len(part) <= 4096 for part in parts)
    assert all(part.endswith("&lt;") for part in parts)
    assert "".join(parts) == text


def test_shortened_user_text_fits_after_escaping() -> None:
    shortened = shorten_escaped("<>" * 3000, 100)
    assert len(shortened) <= 100
    assert shortened.endswith("…")
    assert "<" not in shortened
