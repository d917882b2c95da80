"""Candidate retrieval: the plain-Python ranking of short postings is the numpy ranking."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cloudkyc.lists.model import Party
from cloudkyc.screening.index import EXACT_BONUS, SMALL_POSTINGS, ScreeningIndex

NAMES = [
    "Orient Trading Company",
    "Oriental Trade Co",
    "Orion Trading LLC",
    "Huawei Technologies",
    "Harbin Institute of Technology",
    "Sichuan University",
    "Beijing Aeronautics",
    "Shenzhen Electronics",
    "Nanjing Telecommunication",
    "Hongdu Aviation",
]
INDEX = ScreeningIndex(
    [Party(id=f"t:{i}", source="test", list_name="Test", name=n) for i, n in enumerate(NAMES)]
)
ENTRIES = len(INDEX.entries)
# a token's posting: distinct entries, one weight each (a float for the whole-name bonus)
postings = st.lists(st.integers(0, ENTRIES - 1), min_size=1, max_size=ENTRIES, unique=True).flatmap(
    lambda ids: st.tuples(
        st.just(np.array(ids, dtype=np.int64)),
        st.one_of(
            st.just(EXACT_BONUS),
            st.lists(
                st.sampled_from([0.4, 0.8, 1.3, 2.0, 2.7]), min_size=len(ids), max_size=len(ids)
            ).map(np.array),
        ),
    )
)


@settings(max_examples=300, deadline=None)
@given(st.lists(postings, min_size=1, max_size=5), st.sampled_from(["oriental", "huaweitech"]))
def test_short_postings_rank_as_numpy_ranks_them(chosen: list, joined: str) -> None:
    assert ENTRIES <= SMALL_POSTINGS  # so _rank sets none aside either
    for limit in (3, 16):
        few = INDEX._rank_few(chosen, joined, limit)
        numpy = INDEX._rank(chosen, joined, limit)
        assert few.tolist() == numpy.tolist()
