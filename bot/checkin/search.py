"""Finding a partner at the door by name or organisation, forgiving typos (`/checkin Mueller`).

Pure: candidates in, matches out. A single good match, or one far ahead of the rest, is clear;
several similar ones are offered as buttons; weak similarities are no match at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, utils

MATCH_SCORE = 75.0  # below this a candidate is not offered
CLEAR_LEAD = 10.0  # the best match is clear when the next one scores this much less
MAX_CHOICES = 8  # buttons offered for an ambiguous search


@dataclass(frozen=True)
class Candidate:
    registration_id: int
    name: str
    organisation: str | None
    persons: int = 1


@dataclass(frozen=True)
class SearchResult:
    matches: list[Candidate]  # best first, at most MAX_CHOICES

    @property
    def clear(self) -> Candidate | None:
        return self.matches[0] if len(self.matches) == 1 else None


def _normalised(text: str) -> str:
    """Case, accents' common spellings and punctuation do not matter at the door."""
    text = text.casefold()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelled)
    return utils.default_process(text)


def _word_score(word: str, words: Sequence[str]) -> float:
    """How well one typed word matches the best of the candidate's words."""
    if len(word) >= 3 and any(other.startswith(word) for other in words):
        return 100.0  # "stadtw" for "Stadtwerke"
    return max((fuzz.ratio(word, other) for other in words), default=0.0)


def score(query: str, candidate: Candidate) -> float:
    """Every typed word must match a word of the name or organisation: "Clara Wlf" finds
    Clara Wolf, not every Clara. A typo costs a little; an unmatched word costs a lot."""
    wanted = _normalised(query).split()
    words = _normalised(f"{candidate.name} {candidate.organisation or ''}").split()
    return sum(_word_score(word, words) for word in wanted) / len(wanted)


def search(query: str, candidates: Sequence[Candidate]) -> SearchResult:
    if not _normalised(query):
        return SearchResult([])
    scored = sorted(
        ((score(query, candidate), candidate) for candidate in candidates),
        key=lambda pair: (-pair[0], pair[1].name.casefold(), pair[1].registration_id),
    )
    good = [(points, candidate) for points, candidate in scored if points >= MATCH_SCORE]
    if len(good) >= 2 and good[0][0] - good[1][0] >= CLEAR_LEAD:
        good = good[:1]
    return SearchResult([candidate for _, candidate in good[:MAX_CHOICES]])
