"""Learned FAQ entries without I/O: which wordings reach the answerer, close topics, and the
export that must load as the programme file's faq section."""

from __future__ import annotations

import yaml

from bot.programme.model import SHIPPED_PROGRAMME, load_programme, parse_programme, programme_data
from bot.questions.answering import Answerer
from bot.questions.faq import (
    ExportedWording,
    ExtraWording,
    LearnedEntry,
    Taught,
    clean_wording,
    export_yaml,
    plain_text,
    similar_topic,
)

PROGRAMME = load_programme(SHIPPED_PROGRAMME)
EVENT = PROGRAMME.event_key


def entry(entry_id: int, *wordings: str, event: str = EVENT, **answers: str) -> LearnedEntry:
    return LearnedEntry(entry_id, event, "de", answers or {"de": "Nein."}, wordings)


def test_only_the_current_events_entries_answer() -> None:
    taught = Taught(
        (entry(1, "Gibt es eine Kinderbetreuung?"), entry(2, "Hund?", event="other-event")),
        (
            ExtraWording(EVENT, "parking", "Wo stelle ich das Lastenrad ab?"),
            ExtraWording(EVENT, "no_such_topic", "Was ist mit X?"),
        ),
    )
    topics = {topic.topic: topic.wordings for topic in taught.topics(PROGRAMME)}
    assert topics == {
        "learned:1": ("Gibt es eine Kinderbetreuung?",),
        "parking": ("Wo stelle ich das Lastenrad ab?",),
    }
    assert list(taught.entries_of(EVENT)) == [1]


def test_a_close_question_finds_the_learned_entry_but_not_an_unrelated_one() -> None:
    taught = Taught((entry(1, "Gibt es eine Kinderbetreuung?"),))
    answerer = Answerer(PROGRAMME, learned=taught.topics(PROGRAMME))
    assert similar_topic(answerer, PROGRAMME, [1], "Gibt es Kinderbetreuung vor Ort?") == (
        "learned:1"
    )
    assert similar_topic(answerer, PROGRAMME, [1], "Wer gewinnt das Fußballspiel?") is None


def test_wordings_are_one_line() -> None:
    assert clean_wording("  Gibt es\n eine   Kinderbetreuung? ") == "Gibt es eine Kinderbetreuung?"
    assert len(clean_wording("x" * 5000)) == 400


def test_formatting_becomes_plain_text_with_link_addresses() -> None:
    html = '<b>Nein</b> &amp; <a href="https://leipzig.de/kita">hier</a> mehr'
    assert plain_text(html) == "Nein & hier (https://leipzig.de/kita) mehr"


def test_export_round_trips_through_the_programme_loader() -> None:
    both = entry(1, "Gibt es eine Kinderbetreuung?", de="<b>Nein</b>.", en="No: sorry.")
    german_only = entry(2, "Darf ich meinen Hund mitbringen?", de="Ja, an der Leine.")
    snippet = export_yaml(
        [
            (
                both,
                [
                    ExportedWording("Gibt es eine Kinderbetreuung?", "de"),
                    ExportedWording("Is there childcare?", "en"),
                ],
            ),
            (german_only, [ExportedWording("Darf ich meinen Hund mitbringen?", "de")]),
        ],
        header="Learned FAQ entries",
    )
    assert snippet.startswith("# Learned FAQ entries\nfaq:\n")
    assert "please translate: questions.en, answer.en" in snippet
    data = programme_data(SHIPPED_PROGRAMME)
    data["faq"] += yaml.safe_load(snippet)["faq"]
    faq = {e.topic: e for e in parse_programme(data).faq}
    first, second = faq["learned_1"], faq["learned_2"]
    assert first.answer is not None and (first.answer.de, first.answer.en) == (
        "Nein.",
        "No: sorry.",
    )
    assert (first.questions.de, first.questions.en) == (
        ["Gibt es eine Kinderbetreuung?"],
        ["Is there childcare?"],
    )
    assert second.answer is not None and second.answer.en == "Ja, an der Leine."
    assert second.questions.en == ["Darf ich meinen Hund mitbringen?"]
