"""The dashboard's reading of Telegram's HTML subset: what it accepts, Telegram accepts too,
with the same text and entities (the emulator's parser follows Telegram's rules)."""

from __future__ import annotations

import pytest

from bot.announcements.rules import Refusal, payload_from_html
from bot.core.telegram_html import HtmlProblem, parse_telegram_html
from bot.emulator.html import parse_html

ACCEPTED = [
    "Hallo",
    "<b>Neu:</b> die Keynote",
    "<b>fett <i>und kursiv</i></b> &amp; mehr",
    '<a href="https://example.org/a?b=1&amp;c=2">Programm</a>',
    "1 &lt; 2 &gt; 0 &quot;zitiert&quot;",
    "Emoji 🎉 <u>danach</u>",
    "<s>alt</s> <code>x = 1</code>\n<pre>block</pre>",
    "<blockquote>Zitat</blockquote>",
    '<span class="tg-spoiler">geheim</span> und <tg-spoiler>noch</tg-spoiler>',
    "Zeile 1\nZeile 2",
]


@pytest.mark.parametrize("source", ACCEPTED)
def test_what_the_dashboard_accepts_telegram_reads_the_same(source: str) -> None:
    parsed = parse_telegram_html(source)
    text, entities = parse_html(source)
    assert parsed.text == text
    key = lambda entity: (entity["offset"], -entity["length"], entity["type"])  # noqa: E731
    assert sorted(parsed.entities, key=key) == sorted(entities, key=key)


@pytest.mark.parametrize(
    "source",
    [
        "<b>offen",
        "zu</b>",
        "<b><i>gekreuzt</b></i>",
        "1 < 2",
        "a > b",
        "Tom & Jerry",
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        "<a>ohne Adresse</a>",
        "&nbsp;",
        "<span>ohne Klasse</span>",
    ],
)
def test_what_telegram_would_refuse_is_refused(source: str) -> None:
    with pytest.raises(HtmlProblem):
        parse_telegram_html(source)


def test_an_announcement_from_html_is_the_payload_a_message_would_give() -> None:
    payload = payload_from_html("<b>Neu:</b> 10 Uhr")
    assert payload == {
        "kind": "text",
        "text": "Neu: 10 Uhr",
        "entities": [{"type": "bold", "offset": 0, "length": 4}],
    }
    assert payload_from_html("<b> </b>") == Refusal("broadcast.refused_empty")
    too_long = payload_from_html("<i>" + "x" * 4097 + "</i>")
    assert too_long == Refusal("broadcast.refused_text", {"length": 4097, "limit": 4096})
    assert payload_from_html("<b>") == Refusal("broadcast.refused_html")
