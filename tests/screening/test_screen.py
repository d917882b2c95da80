"""The screener on small hand-written parties: hits, context, identifiers, explanations."""

from __future__ import annotations

import pytest

from cloudkyc.lists.model import Identifier, Party
from cloudkyc.screening import Query, Screener


def party(
    pid: str,
    name: str,
    *aliases: str,
    country: str = "CN",
    type: str = "organization",
    ids: tuple[Identifier, ...] = (),
) -> Party:
    return Party(
        id=pid,
        source="test",
        list_name="Test List",
        name=name,
        aliases=list(aliases),
        type=type,
        countries=[country] if country else [],
        identifiers=list(ids),
    )


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(
        [
            party(
                "t:1",
                "HUAWEI TECHNOLOGIES CO., LTD.",
                ids=(Identifier("uscc", "914403001922038216", "CN"),),
            ),
            party("t:2", "Beijing University of Aeronautics and Astronautics", "BUAA", "Beihang"),
            party("t:3", "Harbin Institute of Technology", "哈尔滨工业大学"),
            party("t:4", "Sichuan University"),
            party(
                "t:5",
                "China Electronics Technology Group Corporation 54th Research Institute",
                "CETC 54",
            ),
            party("t:6", "Orient Trading Company", country="AE"),
            party("t:7", "HANIYA, Ismail Abdul Salah", country="", type="person"),
        ],
        threshold=0.8,
    )


@pytest.mark.parametrize(
    "query,expected",
    [
        ("华为技术有限公司", "t:1"),
        ("華為技術有限公司", "t:1"),
        ("Huawei Tech Co", "t:1"),
        ("北京航空航天大学", "t:2"),
        ("Beijing Univ. of Aeronautics & Astronautics", "t:2"),
        ("哈尔滨工业大学", "t:3"),
        ("Sichuan Daxue", "t:4"),
        ("四川大学", "t:4"),
        ("中国电子科技集团公司第五十四研究所", "t:5"),
        ("Ismail Haniya", "t:7"),
    ],
)
def test_finds_the_listed_party(screener: Screener, query: str, expected: str) -> None:
    hits = screener.screen(Query(query))
    assert hits and hits[0].party.id == expected, [(h.party.id, h.score) for h in hits]


@pytest.mark.parametrize(
    "query",
    [
        "深圳大学",
        "哈尔滨商业大学",
        "四川师范大学",
        "Global Trading Company",
        "China Telecom",
        "中国电子科技集团公司第十三研究所",
        "Trading",
        "大学",
    ],
)
def test_near_misses_raise_no_hit(screener: Screener, query: str) -> None:
    assert screener.screen(Query(query)) == []


def test_identifier_is_a_hit_whatever_the_name(screener: Screener) -> None:
    hits = screener.screen(Query("Shenzhen Example Ltd", registration_id="91440300-1922038216"))
    assert hits[0].party.id == "t:1"
    assert hits[0].score >= 0.99
    assert "uscc 914403001922038216" in hits[0].explanation


def test_country_adjusts_but_never_hides_a_strong_hit(screener: Screener) -> None:
    same = screener.screen(Query("Huawei Technologies", country="CN"))[0]
    other = screener.screen(Query("Huawei Technologies", country="US"))[0]
    assert same.party.id == other.party.id == "t:1"
    assert same.score >= other.score >= 0.8
    weak = screener.screen(Query("Orient Tradng Co", country="CN"), threshold=0.0)
    near = screener.screen(Query("Orient Tradng Co", country="AE"), threshold=0.0)
    assert weak and near and weak[0].score < near[0].score


def test_explanation_names_entry_alias_reading_and_tokens(screener: Screener) -> None:
    hit = screener.screen(Query("哈尔滨工业大学"))[0]
    text = hit.explanation
    assert "t:3" in text and "Test List" in text
    assert hit.matched_name in text
    assert "哈尔滨工业大学" in text  # how the query was read
    assert "tokens" in text and "name score" in text


def test_glossary_reading_is_explained(screener: Screener) -> None:
    hit = screener.screen(Query("四川大学"))[0]
    assert hit.query_reading == "glossary: 四川大学 -> sichuan university"


def test_batch_equals_one_by_one(screener: Screener) -> None:
    names = ["华为技术有限公司", "Sichuan Daxue", "nobody at all", "BUAA", "Orient Trading Co"]
    # distinct names, enough of them for the forked workers
    queries = [Query(f"{n} {i // 5}", str(i)) for i, n in enumerate(names * 500)]
    single = [[h.party.id for h in screener.screen(q)] for q in queries]
    batch = [[h.party.id for h in hits] for _q, hits in screener.screen_many(queries, workers=2)]
    assert batch == single and any(batch)


def test_a_name_asked_again_is_screened_once_and_answered_in_order(
    screener: Screener, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ["Huawei Technologies", "nobody at all", "Sichuan Daxue"]
    queries = [Query(n, f"row-{i}") for i, n in enumerate(names * 1000)]
    queries.append(Query("Huawei Technologies", "row-x", country="US"))  # context differs
    screened: list[int] = []
    batch = Screener.screen_batch

    def counting(self: Screener, chunk: list[Query], *args: object) -> list[list]:
        screened.append(len(chunk))
        return batch(self, chunk, *args)

    monkeypatch.setattr(Screener, "screen_batch", counting)
    told: list[int] = []
    results = list(screener.screen_many(queries, workers=2, progress=told.append))
    assert sum(screened) == 4 and sum(told) == len(queries)
    assert [q for q, _hits in results] == queries
    for query, hits in results:
        assert hits == screener.screen(query)


def test_results_do_not_depend_on_hash_seed(tmp_path) -> None:
    """Compliance results must be reproducible: the same input gives the same hits in every
    process, whatever Python's string-hash seed."""
    import json
    import os
    import subprocess
    import sys

    script = tmp_path / "run.py"
    script.write_text(
        "import json\n"
        "from cloudkyc.lists.model import Party\n"
        "from cloudkyc.screening import Query, Screener\n"
        "names = ['Orient Trading Company', 'Oriental Trading Co', 'Orion Trade Company',\n"
        "         'Orient Tradng LLC', 'Harbin Institute of Technology', 'Huawei Technologies']\n"
        "parties = [Party(f't:{i}', 't', 'T', n) for i, n in enumerate(names * 3)]\n"
        "s = Screener(parties, 0.5)\n"
        "out = [[(h.party.id, h.score) for h in s.screen(Query(q), limit=4)]\n"
        "       for q in ['Orient Tradin Company', 'Harbin Inst of Tech', 'Huawei']]\n"
        "print(json.dumps(out))\n",
        encoding="utf-8",
    )
    runs = []
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run(
            [sys.executable, str(script)], env=env, capture_output=True, text=True, check=True
        )
        runs.append(json.loads(done.stdout))
    assert runs[0] == runs[1] == runs[2]


def test_identifier_matching_folds_full_width_and_ignores_short_or_personal_ids() -> None:
    parties = [
        party(
            "t:1",
            "HUAWEI TECHNOLOGIES CO., LTD.",
            ids=(Identifier("uscc", "914403001922038216", "CN"),),
        ),
        party("t:2", "Some Person", type="person", ids=(Identifier("passport", "A0181988"),)),
        party("t:3", "Short Id Co", ids=(Identifier("registration", "30455"),)),
    ]
    screener = Screener(parties, 0.8)
    full_width = screener.screen(
        Query("Acme", registration_id="９１４４０３００１９２２０３８２１６")
    )
    assert [h.party.id for h in full_width] == ["t:1"]
    assert full_width[0].explanation.startswith('listed party "HUAWEI TECHNOLOGIES CO., LTD."')
    assert "the names do not match" in full_width[0].explanation
    assert screener.screen(Query("Acme", registration_id="A0181988")) == []
    assert screener.screen(Query("Acme", registration_id="30455")) == []


def test_a_pasted_paragraph_costs_like_a_name() -> None:
    from cloudkyc.names import analyze

    form = analyze(" ".join(f"word{i}" for i in range(1500)))
    assert all(len(v.tokens) <= 40 for v in form.variants)


def test_a_branch_finds_its_parent_and_says_so() -> None:
    screener = Screener(
        [
            party("t:1", "HUAWEI TECHNOLOGIES CO., LTD."),
            party("t:2", "BANK SEPAH", country="IR"),
            party("t:3", "BANK SEPAH DUBAI BRANCH", country="AE"),
        ],
        threshold=0.8,
    )
    [hit] = screener.screen(Query("华为技术有限公司北京分公司"))
    assert hit.party.id == "t:1" and hit.score == 0.98
    assert "branch suffix 北京分公司 read off" in hit.explanation
    assert hit.explanation.endswith(
        "name score 0.980; parent read off -0.02 (ranks below the name itself)"
    )
    listed_branch, parent = screener.screen(Query("Bank Sepah Dubai Branch"))
    assert (listed_branch.party.id, listed_branch.score) == ("t:3", 1.0)  # the entry itself first
    assert (parent.party.id, parent.score) == ("t:2", 0.98)
    assert "branch suffix 'dubai branch' read off" in parent.explanation
    [city] = screener.screen(Query("深圳华为"))
    assert city.party.id == "t:1" and "place qualifier 深圳 read off" in city.explanation


def test_a_chinese_reading_never_hits_a_person_by_a_one_word_alias_it_contains() -> None:
    screener = Screener(
        [
            party("t:1", "SHEKAU, Abubakar", "SHEHU", "HUALI", type="person"),
            party("t:2", "HUALI", type="organization"),
        ],
        threshold=0.8,
    )
    assert [h.party.id for h in screener.screen(Query("中国华丽"))] == ["t:2"]
    assert {h.party.id for h in screener.screen(Query("华丽"))} == {"t:1", "t:2"}  # the alias
    assert [h.party.id for h in screener.screen(Query("China Huali"))] == ["t:1", "t:2"]
    assert screener.screen(Query("中国石化")) == []


def test_homophones_and_industry_words_raise_no_hit() -> None:
    screener = Screener(
        [
            party("t:1", "HUAWEI TECHNOLOGIES CO., LTD."),
            party("t:2", "GENERAL PETROLEUM CORPORATION", country="SY"),
            party("t:3", "CHINA COMMUNICATIONS GROUP COMPANY LIMITED"),
        ],
        threshold=0.8,
    )
    for name in (
        "深圳市华维科技有限公司",
        "中国石油",
        "Petroleum Trading Co",
        "中国电信集团有限公司",
    ):
        assert screener.screen(Query(name)) == [], name


def test_a_primed_screener_answers_as_the_screener_does(screener: Screener) -> None:
    """Onboarding primes a screener with many records' names at once and then asks record by
    record: every answer must be the one a direct call gives, known or not."""
    names = ["华为技术有限公司", "Beihang University", "Acme Widgets Ltd", "Huawei Technologies"]
    queries = [Query(n, country="CN") for n in names]
    primed = screener.primed(queries + queries[:2])  # repeats are screened once
    direct = screener.screen_batch(queries)
    asked = [primed.screen_batch([q])[0] for q in queries]
    key = lambda hits: [(h.party.id, h.score, h.explanation) for h in hits]  # noqa: E731
    assert [key(h) for h in asked] == [key(h) for h in direct]
    unknown = Query("Beijing University of Aeronautics and Astronautics")
    assert key(primed.screen(unknown)) == key(screener.screen(unknown))
    assert key(primed.screen(queries[0], threshold=0.99)) == key(
        screener.screen(queries[0], threshold=0.99)
    )


def test_screening_pauses_the_cycle_collector_and_resumes_it(screener: Screener) -> None:
    import gc

    seen: list[bool] = []
    real = screener.index.candidates_many

    def watching(variants, *args):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(variants, *args)

    screener.index.candidates_many = watching  # type: ignore[method-assign]
    try:
        assert gc.isenabled()
        screener.screen(Query("Orient Trading Co unseen"))
        gc.disable()
        screener.screen(Query("Huawei Technologies unseen"))
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
        del screener.index.candidates_many
    assert seen and not any(seen) and gc.isenabled()
