"""Recognises a question's topic from example questions partners asked, where the answerer's
vocabulary runs out: formal, indirect and chatty wordings, and questions that only sound like
a topic. A linear model (scikit-learn) over character and word n-grams, so typos and
inflections still share most of their features with the examples."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import yaml

from bot.programme.model import RELAY, SAFE_LOADER, ExampleQuestion, Programme

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

BUILTIN_EXAMPLES = Path(__file__).with_name("builtin_questions.yaml")
# The topic the question's words name starts with a lead over the model's other topics, a smaller
# one over relaying, and a topic needs SURE_SCORE to be answered (bench/answer_quality.py).
WORDS_LEAD = 1.0
WORDS_LEAD_OVER_RELAY = 0.7
SURE_SCORE = -0.2
# A relay this sure is no close call: a taught entry may answer it though programme topics rival.
CLEARLY_BEYOND = 0.25


def fitted(
    examples: Sequence[tuple[str, str]],
) -> tuple[list[TfidfVectorizer], LinearSVC]:
    """The vectorisers and the model, fitted on (question, topic) pairs."""
    # Imported here, by the thread that trains: a start does not wait the second it takes.
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vectorisers = [
        TfidfVectorizer(
            strip_accents="unicode", analyzer=analyzer, ngram_range=sizes, sublinear_tf=True
        )
        for analyzer, sizes in (("char_wb", (2, 5)), ("word", (1, 2)))
    ]
    texts = [text for text, _ in examples]
    features = hstack([v.fit_transform(texts) for v in vectorisers]).tocsr()
    return vectorisers, LinearSVC(C=0.5, random_state=0).fit(features, [t for _, t in examples])


class TopicClassifier:
    """Trained once per set of examples, then shared by every answerer built for them."""

    def __init__(self, examples: Sequence[tuple[str, str]], known: frozenset[str]) -> None:
        # The topics it learned from examples written for it; others it knows by a few wordings.
        self.known = known
        vectorisers, model = fitted(examples)
        self.topics: tuple[str, ...] = tuple(map(str, model.classes_))
        # Scoring one question through scikit-learn's checks costs ten times the arithmetic;
        # the fitted vocabulary, weights and intercepts are all it needs.
        self._weights = np.ascontiguousarray(model.coef_.T)
        self._intercepts = model.intercept_
        offsets = np.cumsum([0] + [len(v.vocabulary_) for v in vectorisers])
        self._parts = [
            (v.build_analyzer(), v.vocabulary_, v.idf_, int(offset))
            for v, offset in zip(vectorisers, offsets, strict=False)
        ]

    def scores(self, question: str) -> np.ndarray:
        """One score per topic, as the model's `decision_function` gives it."""
        scores = self._intercepts.copy()
        for analyse, vocabulary, idf, offset in self._parts:
            counts = Counter(
                i for gram in analyse(question) if (i := vocabulary.get(gram)) is not None
            )
            if not counts:
                continue
            index = np.fromiter(counts, dtype=np.intp, count=len(counts))
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))
            weights = tf * idf[index]
            scores += (weights / np.linalg.norm(weights)) @ self._weights[index + offset]
        return scores

    def decide(self, scores: np.ndarray, named: str | None) -> tuple[str, float]:
        """The topic to answer with (RELAY if none is sure enough), and its score, given the
        topic the question's words name: the model and the words each catch what the other
        misses (formal wordings; short questions unlike the examples)."""
        scores = scores.copy()
        if named is not None:
            scores[self.topics.index(named)] += WORDS_LEAD
            if named != RELAY:
                scores[self.topics.index(RELAY)] += WORDS_LEAD - WORDS_LEAD_OVER_RELAY
        best = int(scores.argmax())
        topic = self.topics[best] if scores[best] >= SURE_SCORE else RELAY
        return topic, float(scores[best])

    def settled(self, scores: np.ndarray) -> bool:
        """Whether one topic leads the rest by more than the words' lead: then no topic the
        words name changes the decision, and they need not be asked (half the questions)."""
        first, second = np.partition(scores, -2)[::-1][:2]
        return self.topics[int(scores.argmax())] != RELAY and first - second > WORDS_LEAD


def classifier_for(programme: Programme, *, train: bool = True) -> TopicClassifier | None:
    """The model for a programme's examples and the bot's own, or None without relay examples:
    only they teach it where the programme's knowledge ends. With `train=False`, only a model
    trained before: a start does not wait for it (`Services.start_training`)."""
    examples = _examples_to_learn(programme)
    if examples is None:
        return None
    model = _trained.get(examples)
    if model is None and train:
        known = {programme.answer_id(e.topic) for e in programme.examples}
        known |= {e.topic for e in builtin_examples()}
        model = TopicClassifier(examples, frozenset(t for t in known if t))
        # Learned entries change often and rebuild the answerer; the examples with the programme.
        _trained[examples] = model
        while len(_trained) > 2:
            del _trained[next(iter(_trained))]
    return model


def untrained(programme: Programme) -> bool:
    """Whether the programme has examples to learn from and no model was trained on them yet."""
    examples = _examples_to_learn(programme)
    return examples is not None and examples not in _trained


def _examples_to_learn(programme: Programme) -> tuple[tuple[str, str], ...] | None:
    if not any(e.topic == RELAY for e in programme.examples):
        return None
    return tuple(training_examples(programme))


_trained: dict[tuple[tuple[str, str], ...], TopicClassifier] = {}


def training_examples(programme: Programme) -> list[tuple[str, str]]:
    """(question, answerer topic id) pairs: the programme's examples, the bot's own and each
    FAQ entry's example questions."""
    # Each topic resolved once; the programme checked that every one exists.
    ids = {t: str(programme.answer_id(t)) for t in {e.topic for e in programme.examples}}
    examples = [(e.question, ids[e.topic]) for e in programme.examples]
    examples += [(e.question, e.topic) for e in builtin_examples()]
    examples += [(q, e.topic) for e in programme.faq for q in (*e.questions.de, *e.questions.en)]
    return examples


@cache
def builtin_examples() -> tuple[ExampleQuestion, ...]:
    """How partners ask about using the bot: the same for every event."""
    data = yaml.load(BUILTIN_EXAMPLES.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    return tuple(ExampleQuestion.model_validate(row) for row in data["questions"])
