"""The shipped programme and its answerer, shared by the unit tests; and the questions the
answerer gets wrong, known and listed: the model trained on the examples decides them otherwise
than the words alone, which these tests were written for. Each is expected to fail (strictly:
once it is answered right, the test says so and its line here goes)."""

from __future__ import annotations

import pytest

from bot.programme.model import SHIPPED_PROGRAMME, Programme, load_programme
from bot.questions.answering import Answerer


@pytest.fixture(scope="module")
def programme() -> Programme:
    return load_programme(SHIPPED_PROGRAMME)


@pytest.fixture(scope="module")
def answerer(programme: Programme) -> Answerer:
    return Answerer(programme)


@pytest.fixture(scope="module")
def words_only(programme: Programme) -> Answerer:
    """Without examples there is no model: the words decide alone, as most tests here expect."""
    return Answerer(programme.model_copy(update={"examples": []}))


def topic_of(answerer: Answerer, question: str) -> str | None:
    match = answerer.match(question)
    return None if match is None else match.topic


# Test id -> what goes wrong.
KNOWN_MISSES: dict[str, str] = {
    "test_shipped_programme_knows_everyday_words_for_its_entries[Welcher Raum?-venue]": (
        "relayed: too short for the model"
    ),
    "test_shipped_programme_knows_everyday_words_for_its_entries"
    "[Kann man sich beim Ausklang vernetzen?-agenda:4]": "relayed: networking reads as a relay",
    "test_lower_case_noun_or_other_destination_is_relayed[Is there a welcome package?]": (
        "gets the Lord Mayor's welcome"
    ),
    "test_signing_up_adding_a_person_and_not_coming_find_their_topic"
    "[I have to drop out-bot.cancel]": "relayed",
    "test_question_that_only_sounds_like_one_about_the_bot_is_relayed"
    "[Where can I delete photos of me?]": "gets the photos entry (how not to be photographed)",
    "test_the_bot_s_wordings_about_other_things_are_not_the_bot_s"
    "[Can I show my poster at the entrance?-None]": "the entrance gets the ticket and the door",
    "test_the_bot_s_wordings_about_other_things_are_not_the_bot_s"
    "[Who can talk about the climate city contract?-None]": "gets what the contract is",
    "test_the_bot_s_wordings_about_other_things_are_not_the_bot_s"
    "[Ich finde den Eingang nicht-None]": "the entrance gets the ticket and the door",
    "test_the_same_verbs_about_other_things_are_not_the_bot_s"
    "[How do I sign up for the newsletter through this chat?]": "gets how to register",
    "test_a_copy_of_slides_a_seat_a_hotel_booking_and_a_newsletter_are_not_the_bot_s"
    "[Is my seat free?]": "'free' gets the cost",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if (reason := KNOWN_MISSES.get(item.name)) is not None:
            item.add_marker(pytest.mark.xfail(strict=True, reason=reason))
