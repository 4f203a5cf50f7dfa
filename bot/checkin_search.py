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


def score(query: str, candidate: Candidate) -> float:
    """How well the query matches the name, the organisation, or both ("stadtwerke anna")."""
    wanted = _normalised(query)
    fields = [candidate.name, candidate.organisation or ""]
    single = max(fuzz.WRatio(wanted, _normalised(field)) for field in fields if field)
    # Every word found in name and organisation together; a typo is left to the single fields.
    both = fuzz.token_set_ratio(wanted, _normalised(" ".join(fields)))
    return max(single, both)


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
