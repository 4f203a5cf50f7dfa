"""Finding a partner at the door by name or organisation, forgiving typos (`/checkin Mueller`).

Pure: candidates in, matches out. A single good match, or one far ahead of the rest, is clear;
several similar ones are offered as buttons; weak similarities are no match at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process, utils

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


def _words(candidate: Candidate) -> list[str]:
    # One empty word for a candidate without any, so that every candidate has a column.
    return _normalised(f"{candidate.name} {candidate.organisation or ''}").split() or [""]


def scores(query: str, candidates: Sequence[Candidate]) -> list[float]:
    """Every typed word must match a word of the name or organisation: "Clara Wlf" finds
    Clara Wolf, not every Clara. A typo costs a little; an unmatched word costs a lot.

    All candidates at once: rapidfuzz compares every typed word with every word in one call,
    which keeps a search over thousands of registrations at a few milliseconds (the dashboard
    searches as the organiser types, in the process that answers the partners).
    """
    wanted = _normalised(query).split()
    if not wanted or not candidates:
        return [0.0] * len(candidates)
    words = [_words(candidate) for candidate in candidates]
    flat = [word for own in words for word in own]
    starts = np.cumsum([0, *(len(own) for own in words[:-1])])
    similarity = process.cdist(wanted, flat, scorer=fuzz.ratio, dtype=np.float64)
    for row, word in zip(similarity, wanted, strict=True):
        if len(word) >= 3:  # "stadtw" for "Stadtwerke"
            row[[other.startswith(word) for other in flat]] = 100.0
    best = np.maximum.reduceat(similarity, starts, axis=1)  # per typed word and candidate
    return [float(value) for value in best.mean(axis=0)]


def search(query: str, candidates: Sequence[Candidate]) -> SearchResult:
    if not _normalised(query):
        return SearchResult([])
    scored = sorted(
        zip(scores(query, candidates), candidates, strict=True),
        key=lambda pair: (-pair[0], pair[1].name.casefold(), pair[1].registration_id),
    )
    good = [(points, candidate) for points, candidate in scored if points >= MATCH_SCORE]
    if len(good) >= 2 and good[0][0] - good[1][0] >= CLEAR_LEAD:
        good = good[:1]
    return SearchResult([candidate for _, candidate in good[:MAX_CHOICES]])
