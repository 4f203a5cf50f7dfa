"""Finding a partner at the door by name or organisation, forgiving typos (`/checkin Mueller`).

Pure: candidates in, matches out. A single good match, or one far ahead of the rest, is clear;
several similar ones are offered as buttons; weak similarities are no match at all.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import Prefix

MATCH_SCORE = 75.0  # below this a candidate is not offered
CLEAR_LEAD = 10.0  # the best match is clear when the next one scores this much less
MAX_CHOICES = 8  # buttons offered for an ambiguous search


class Candidate(NamedTuple):
    """A registration the door may find; a tuple, since a search builds thousands of them."""

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


@functools.lru_cache(maxsize=8192)
def _words_of(text: str) -> tuple[str, ...]:
    """Remembered: the same few thousand names are searched again at every keystroke."""
    # One empty word for a candidate without any, so that every candidate has a column.
    return tuple(_normalised(text).split()) or ("",)


def _words(candidate: Candidate) -> tuple[str, ...]:
    return _words_of(f"{candidate.name} {candidate.organisation or ''}")


def scores(query: str, candidates: Sequence[Candidate]) -> np.ndarray:
    """Every typed word must match a word of the name or organisation: "Clara Wlf" finds
    Clara Wolf, not every Clara. A typo costs a little; an unmatched word costs a lot.

    All candidates at once: rapidfuzz compares every typed word with every word in one call
    (and a typed word with the start of every word in another), which keeps a search over
    thousands of registrations at a few milliseconds (the dashboard searches as the organiser
    types, in the process that answers the partners)."""
    wanted = _normalised(query).split()
    if not wanted or not candidates:
        return np.zeros(len(candidates))
    words = [_words(candidate) for candidate in candidates]
    flat = [word for own in words for word in own]
    starts = np.cumsum([0, *(len(own) for own in words[:-1])])
    similarity = process.cdist(wanted, flat, scorer=fuzz.ratio, dtype=np.float64)
    prefix = process.cdist(wanted, flat, scorer=Prefix.similarity, dtype=np.int32)
    for row, shared, word in zip(similarity, prefix, wanted, strict=True):
        if len(word) >= 3:  # "stadtw" for "Stadtwerke"
            row[shared == len(word)] = 100.0
    best = np.maximum.reduceat(similarity, starts, axis=1)  # per typed word and candidate
    return np.asarray(best.mean(axis=0))


def search(query: str, candidates: Sequence[Candidate]) -> SearchResult:
    if not _normalised(query):
        return SearchResult([])
    points = scores(query, candidates)
    # Only the good ones are sorted: of thousands, a search keeps a handful.
    good = sorted(
        (
            (float(points[index]), candidates[index])
            for index in np.flatnonzero(points >= MATCH_SCORE)
        ),
        key=lambda pair: (-pair[0], pair[1].name.casefold(), pair[1].registration_id),
    )
    if len(good) >= 2 and good[0][0] - good[1][0] >= CLEAR_LEAD:
        good = good[:1]
    return SearchResult([candidate for _, candidate in good[:MAX_CHOICES]])
