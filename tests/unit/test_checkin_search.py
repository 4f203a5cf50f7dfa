"""Finding a partner at the door by name or organisation."""

from __future__ import annotations

import pytest

from bot.checkin.search import MAX_CHOICES, Candidate, search

PARTNERS = [
    Candidate(1, "Anna Müller", "Leipziger Stadtwerke", 2),
    Candidate(2, "Jonas Müller", "Leipziger Stadtwerke", 1),
    Candidate(3, "Bernd Schmidt", "Universität Leipzig", 3),
    Candidate(4, "Clara Weiß", None, 1),
    Candidate(5, "Hanna Schulz", "BUND Leipzig", 1),
]


def found(query: str) -> list[int]:
    return [candidate.registration_id for candidate in search(query, PARTNERS).matches]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Anna Müller", 1),
        ("anna mueller", 1),  # umlauts typed as ae/oe/ue
        ("Ana Müler", 1),  # typos
        ("Schmitt", 3),
        ("Weiss", 4),
        ("stadtwerke anna", 1),  # name and organisation together
        ("Jonas Stadtwerke", 2),
    ],
)
def test_a_clear_match_is_one_result(query: str, expected: int) -> None:
    result = search(query, PARTNERS)
    assert result.clear is not None and result.clear.registration_id == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [("Müller", {1, 2}), ("Stadtwerke", {1, 2}), ("Leipzig", {1, 2, 3, 5})],
)
def test_several_similar_matches_are_all_offered(query: str, expected: set[int]) -> None:
    result = search(query, PARTNERS)
    assert result.clear is None and set(found(query)) == expected


@pytest.mark.parametrize("query", ["Xaver", "zzz", "", "   ", "!!!"])
def test_nothing_similar_finds_nobody(query: str) -> None:
    assert found(query) == []


def test_at_most_a_keyboard_full_is_offered() -> None:
    crowd = [Candidate(n, f"Partner {n}", "Stadtwerke Leipzig") for n in range(30)]
    assert len(search("Stadtwerke", crowd).matches) == MAX_CHOICES


def test_every_typed_word_counts_so_a_common_first_name_does_not_crowd_out_the_surname() -> None:
    claras = [Candidate(n, f"Clara {surname}", None) for n, surname in enumerate(
        ["Becker", "Braun", "Bauer", "Berger", "Böhm", "Brandt", "Busch", "Beck", "Wolf"]
    )]  # fmt: skip
    result = search("Clara Wlf", claras)
    assert result.clear is not None and result.clear.name == "Clara Wolf"
