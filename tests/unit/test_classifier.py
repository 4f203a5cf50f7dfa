"""The model trained on example questions: it answers wordings the words alone relay, relays what
only sounds like a topic, leaves taught entries and topics without examples to the words, and
scores exactly as scikit-learn's fitted model does."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import hstack

from bot.programme.model import (
    RELAY,
    SHIPPED_PROGRAMME,
    Programme,
    ProgrammeError,
    load_programme,
    parse_programme,
    programme_data,
)
from bot.questions.answering import Answerer, LearnedTopic
from bot.questions.builtin import BUILTIN_TOPICS
from bot.questions.classifier import TopicClassifier, builtin_examples, classifier_for, fitted
from tests.unit.conftest import topic_of

# Formal and indirect wordings that share few words with the FAQ entries.
FORMAL = [
    (
        "Dürfte ich mich erkundigen, ab welcher Uhrzeit der Einlass in die Alte Handelsbörse "
        "vorgesehen ist?",
        "agenda:0",
    ),
    (
        "We would be grateful for a brief note on whether attendance incurs any fee for our "
        "association.",
        "cost",
    ),
]


@pytest.mark.parametrize(("question", "topic"), FORMAL, ids=[q[:40] for q, _ in FORMAL])
def test_formal_wordings_the_words_alone_relay_are_answered(
    words_only: Answerer, answerer: Answerer, question: str, topic: str
) -> None:
    assert words_only.match(question) is None
    assert topic_of(answerer, question) == topic


@pytest.fixture(scope="module")
def small_model() -> TopicClassifier:
    examples = [("Was kostet es?", "cost"), ("Wo ist es?", "venue"), ("Wetter?", RELAY)]
    return TopicClassifier(examples, frozenset({"cost", "venue", RELAY}))


@pytest.mark.parametrize(
    ("cost", "relay", "named", "decided"),
    [
        (-0.5, 0.3, "cost", RELAY),  # the words' topic needs more than 0.7 over a relay
        (-0.5, 0.1, "cost", "cost"),
        (-0.5, 0.1, None, RELAY),  # words that name nothing leave the model's relay
        (-0.1, -0.6, "venue", "venue"),  # over another topic, the words lead by 1.0
        (0.1, -0.6, "venue", "cost"),
        (-0.3, -0.4, None, RELAY),  # no topic sure enough
    ],
)
def test_the_words_topic_leads_over_the_model_s_others(
    small_model: TopicClassifier, cost: float, relay: float, named: str | None, decided: str
) -> None:
    scores = np.full(len(small_model.topics), -1.0)
    scores[small_model.topics.index("cost")] = cost
    scores[small_model.topics.index(RELAY)] = relay
    assert small_model.decide(scores, named)[0] == decided


def test_a_taught_entry_answers_what_the_model_relays(programme: Programme) -> None:
    dog = LearnedTopic.of(7, ["Darf ich meinen Hund mitbringen?"])
    taught = Answerer(programme, learned=[dog])
    assert topic_of(Answerer(programme), "Sind Hunde erlaubt?") is None
    assert topic_of(taught, "Sind Hunde erlaubt?") == dog.topic
    assert topic_of(taught, "Wann beginnt die Keynote?") == "keynote"


def test_a_new_entry_without_examples_is_decided_by_its_words() -> None:
    data = programme_data(SHIPPED_PROGRAMME)
    data["faq"].append(
        {
            "topic": "wifi",
            "questions": {"de": ["Gibt es WLAN?"], "en": ["Is there wifi?"]},
            "keywords": ["wlan", "wifi", "passwort", "password"],
            "answer": {"de": "Netz: Klima", "en": "Network: Klima"},
        }
    )
    # The examples still call wifi questions "relay"; the new entry's words win over them.
    assert topic_of(Answerer(parse_programme(data)), "Wie lautet das WLAN-Passwort?") == "wifi"


def test_without_relay_examples_there_is_no_model(programme: Programme) -> None:
    only_topics = [e for e in programme.examples if e.topic != RELAY]
    assert classifier_for(programme.model_copy(update={"examples": only_topics})) is None
    assert classifier_for(programme) is not None


def test_scores_are_those_of_the_fitted_model() -> None:
    examples = [(e.question, e.topic) for e in builtin_examples()]
    examples += [("Wie wird das Wetter?", RELAY), ("Gibt es WLAN?", RELAY)]
    model = TopicClassifier(examples, frozenset())
    vectorisers, fitted_model = fitted(examples)
    for question in ["Wie melde ich mich ab?", "where is my ticket", "Wetter morgen?", "xyz"]:
        features = hstack([v.transform([question]) for v in vectorisers]).tocsr()
        expected = fitted_model.decision_function(features)[0]
        assert np.allclose(model.scores(question), expected)


def test_the_bot_s_examples_name_its_topics() -> None:
    topics = {topic.topic for topic in BUILTIN_TOPICS}
    assert {e.topic for e in builtin_examples()} == topics


def test_examples_naming_a_missing_topic_stop_the_start() -> None:
    data = programme_data(SHIPPED_PROGRAMME)
    data["examples"] = [
        {"question": "Gibt es WLAN?", "topic": "wifi"},
        {"question": "Wann gibt es Essen?", "topic": "agenda:lunch"},
        {"question": "Wann ist der Einlass?", "topic": "agenda:doors open"},
    ]
    with pytest.raises(
        ProgrammeError, match="examples name topics that do not exist: agenda:lunch, wifi"
    ):
        parse_programme(data)


def test_agenda_examples_name_items_by_title(programme: Programme) -> None:
    index = int(programme.answer_id("agenda:get-together").removeprefix("agenda:"))
    assert programme.agenda_sorted[index].title.en.startswith("Get-together")


def test_a_missing_examples_file_names_itself(tmp_path) -> None:
    copied = tmp_path / "event.yaml"
    copied.write_text(SHIPPED_PROGRAMME.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ProgrammeError, match=r"klimakonferenz-questions\.yaml: cannot be read"):
        load_programme(copied)
