"""Candidate retrieval: readings ranked one by one and together in one sparse product agree."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Indel

from cloudkyc.lists.model import Party
from cloudkyc.names import analyze
from cloudkyc.screening.index import (
    CANDIDATES_PER_VARIANT,
    EXACT_BONUS,
    POOL_FACTOR,
    PRODUCT_MIN,
    ScreeningIndex,
    tie_breaks,
)

# many entries share "trading", "company" or "khan", so a reading of them has more entries of
# equal weight than it keeps: which ones it keeps must not depend on how it is ranked
WORDS = ["orient", "oriental", "orion", "trading", "trade", "company", "khan", "abdullah"]
NAMES = [f"{a} {b} {c}" for a in WORDS for b in WORDS for c in ("Trading", "Khan", "Company")]
INDEX = ScreeningIndex(
    [Party(id=f"t:{i}", source="test", list_name="Test", name=n) for i, n in enumerate(NAMES)]
)
QUERY_WORDS = [*WORDS, "orientl", "abdulla", "tradng", "kahn", "unseen"]
readings = st.lists(st.sampled_from(QUERY_WORDS), min_size=1, max_size=4).map(
    lambda words: analyze(" ".join(words)).variants[0]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(readings, min_size=PRODUCT_MIN, max_size=PRODUCT_MIN + 8))
def test_a_readings_candidates_do_not_depend_on_the_readings_found_with_it(batch: list) -> None:
    together = INDEX.candidates_many(batch)  # one sparse product
    for variant, found in zip(batch, together, strict=True):
        alone = INDEX.candidates(variant)  # ranked one by one
        assert found.tolist() == alone.tolist()


def test_of_many_entries_of_equal_weight_the_earliest_are_scored() -> None:
    variant = analyze("khan").variants[0]
    # "khan" alone (the whole name) first; then the entries sharing only the word, of equal
    # weight: the earliest fill the pool, and go on in order of spelling, then of position
    whole = sorted(e for e, entry in enumerate(INDEX.entries) if entry.variant.joined == "khan")
    shared = sorted(set(INDEX._token_posting("khan")[0].tolist()) - set(whole))
    size = CANDIDATES_PER_VARIANT * POOL_FACTOR
    assert whole and len(whole) + len(shared) > size  # more of equal weight than the pool holds
    pool = shared[: size - len(whole)]
    alike = {e: Indel.normalized_similarity("khan", INDEX.entries[e].variant.joined) for e in pool}
    want = (whole + sorted(pool, key=lambda e: (-alike[e], e)))[:CANDIDATES_PER_VARIANT]
    assert INDEX.candidates(variant).tolist() == want
    assert INDEX.candidates_many([variant] * PRODUCT_MIN)[0].tolist() == want


def test_no_two_entries_sum_equally_in_an_index_of_ten_million() -> None:
    tie = tie_breaks(10_000_000)
    # a generic word; two names; the whole name and three words; five postings, the most weight
    for weights in ([0.2], [1.1, 7.3], [EXACT_BONUS, 9.7, 3.3], [EXACT_BONUS, *[9.9] * 4]):
        sums = np.zeros(len(tie))
        for weight in weights:
            sums += weight + tie  # as a reading adds its postings
        assert (np.diff(sums) < 0).all()  # strictly: the earlier entry ranks first
