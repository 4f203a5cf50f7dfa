"""Every text exists in German and English, and nothing from outside can inject markup."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.language import resolve_language
from bot.core.telegram_text import shorten_escaped, split_html
from bot.core.texts import Html, Texts
from bot.feedback.rules import STARS, star_label
from bot.programme.model import LANGUAGES
from bot.registration.service import RsvpAnswers
from bot.registration.views import render_summary
from handlers.language import LANGUAGE_NAMES

ROOT = Path(__file__).resolve().parents[2]
UNFILLED = re.compile(r"\{[^{}\s]*\}")


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


def _sample_parameters(template: str) -> dict[str, str]:
    """A distinct value for each placeholder, so the rendered text shows where each one went."""
    return {name: f"«{name}»" for name in _placeholders(template)}


def test_every_text_renders_with_its_parameters_in_both_forms(texts: Texts) -> None:
    """Messages (escaped) and button labels (as written) both come out whole."""
    for language in LANGUAGES:
        for key in sorted(texts.keys(language)):
            params = _sample_parameters(texts.template(language, key))
            for rendered in (
                texts.get(language, key, **params),
                texts.plain(language, key, **params),
            ):
                assert rendered.strip(), (language, key)
                assert not UNFILLED.search(rendered), (language, key, rendered)
                assert all(value in rendered for value in params.values()), (language, key)


def test_a_missing_parameter_is_an_error_not_a_blank(texts: Texts) -> None:
    with pytest.raises(KeyError, match="date"):
        texts.get("en", "rsvp.ask_attending", event="Climate Conference")


def _text_calls() -> Iterator[tuple[str, ast.Call, str]]:
    """Every call in the bot's code that names a text literally: (where, call, key).

    Keys put together at run time (`f"rsvp.status.{status}"`) are left to the test above.
    """
    keys = Texts.load().keys("de")
    for path in sorted([*(ROOT / "bot").rglob("*.py"), *(ROOT / "handlers").rglob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            named = [
                arg.value
                for arg in node.args
                if isinstance(arg, ast.Constant)
                and isinstance(arg.value, str)
                and arg.value in keys
            ]
            if named:  # a command's name may be a text key too: the text comes last
                yield f"{path.relative_to(ROOT)}:{node.lineno}", node, named[-1]


# Calls that name a text without rendering it there.
_NOT_RENDERED = {
    "template": "the raw template, e.g. to measure its length",
    "_send_csv": "adds the count itself",
}


def test_the_code_passes_every_parameter_its_texts_need(texts: Texts) -> None:
    """A placeholder the code forgets would reach the partner as an error, not a text."""
    checked = 0
    for where, call, key in _text_calls():
        callee = ast.unparse(call.func).rsplit(".", 1)[-1]
        if callee in _NOT_RENDERED or any(keyword.arg is None for keyword in call.keywords):
            continue  # with `**params` the parameters come from elsewhere, e.g. a refusal
        given = {keyword.arg for keyword in call.keywords if keyword.arg is not None}
        for arg in call.args:  # refusals carry theirs as a dict: Refusal("key", {"limit": 4096})
            if isinstance(arg, ast.Dict):
                given |= {item.value for item in arg.keys if isinstance(item, ast.Constant)}
        for language in LANGUAGES:
            try:
                texts.get(language, key, **{name: f"«{name}»" for name in given})
            except KeyError as missing:
                pytest.fail(f"{where}: {key} ({language}) needs {missing}")
            checked += 1
    assert checked > 300  # the scan found the bot's texts, not nothing


def test_every_button_label_reads_as_written(texts: Texts) -> None:
    """Labels that are not in the catalogues: languages, stars, numbers of persons."""
    labels = [*LANGUAGE_NAMES.values(), *(star_label(stars) for stars in STARS)]
    assert all(label.strip() and not UNFILLED.search(label) for label in labels)
    assert set(LANGUAGE_NAMES.values()) == {"🇩🇪 Deutsch", "🇬🇧 English"}


@pytest.mark.parametrize(
    ("language", "buttons", "attending"),
    [
        ("en", ["Yes, I'll come", "No, sorry", "Yes, I agree", "No"], "Attending: yes"),
        (
            "de",
            ["Ja, ich komme", "Nein, leider nicht", "Ja, einverstanden", "Nein"],
            "Teilnahme: ja",
        ),
    ],
)
def test_consent_and_attending_read_as_words(
    texts: Texts, language: str, buttons: list[str], attending: str
) -> None:
    keys = ["rsvp.yes", "rsvp.no", "rsvp.consent.yes", "rsvp.consent.no"]
    assert [texts.plain(language, key) for key in keys] == buttons
    summary = render_summary(
        texts, language, RsvpAnswers(attending=True, name="Kim", language=language)
    )
    assert attending in summary


def _catalogues(tmp_path: Path, english: str) -> Path:
    for language, text in (("de", 'rsvp.consent.no: "Nein"\n'), ("en", english)):
        (tmp_path / language).mkdir()
        (tmp_path / language / "core.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_catalogue_values_yaml_reads_as_yes_or_no_stop_the_start(tmp_path: Path) -> None:
    folder = _catalogues(tmp_path, "rsvp.consent.no: No\n")
    with pytest.raises(ValueError) as refused:
        Texts.load(folder)
    message = str(refused.value)
    assert str(folder / "en" / "core.yaml") in message
    assert "rsvp.consent.no" in message
    assert "quotes" in message


@pytest.mark.parametrize("entry", ["persons.max: 3", "rsvp.nothing:", "off: aus"])
def test_numbers_empty_values_and_yes_no_keys_are_refused_too(tmp_path: Path, entry: str) -> None:
    with pytest.raises(ValueError, match="quotes"):
        Texts.load(_catalogues(tmp_path, entry + "\n"))


def test_quoted_no_is_a_word(tmp_path: Path) -> None:
    texts = Texts.load(_catalogues(tmp_path, 'rsvp.consent.no: "No"\n'))
    assert texts.plain("en", "rsvp.consent.no") == "No"


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
