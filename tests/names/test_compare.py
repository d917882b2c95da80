"""Scoring invariants and the cases reviewers complain about most."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cloudkyc.names import analyze, compare_names
from cloudkyc.names.analyze import EXACT, FREE, PINYIN
from cloudkyc.names.compare import token_similarity

latin_words = st.sampled_from(
    [
        "huawei",
        "torch",
        "Electron",
        "Technology",
        "Co.",
        "Ltd",
        "Beijing",
        "University",
        "of",
        "Aeronautics",
        "Müller",
        "O'Brien",
        "54th",
        "Research",
        "Institute",
        "Intl",
        "Zhang",
        "Wei",
        "&",
        "-",
        "Sberbank",
        "PJSC",
        "Trading",
        "Group",
        "Corp",
        "13",
        "Emma",
        "LLC",
    ]
)
han_words = st.sampled_from(
    [
        "华为",
        "技术",
        "有限公司",
        "北京",
        "航空",
        "航天",
        "大学",
        "華為",
        "電子",
        "科技",
        "深圳",
        "第五十四",
        "研究所",
        "股份",
        "集团",
        "火炬",
        "福建",
        "四川",
    ]
)
names = st.one_of(
    st.lists(latin_words, min_size=1, max_size=6).map(" ".join),
    st.lists(han_words, min_size=1, max_size=5).map("".join),
    st.text(min_size=1, max_size=30),
)


@settings(max_examples=300, deadline=None)
@given(names, names)
def test_scores_are_symmetric_and_bounded(a: str, b: str) -> None:
    ab = compare_names(a, b).score
    assert ab == compare_names(b, a).score
    assert 0.0 <= ab <= 1.0


@settings(max_examples=200, deadline=None)
@given(names)
def test_identical_names_score_one(a: str) -> None:
    if any(v.tokens for v in analyze(a).variants):
        assert compare_names(a, a).score == 1.0


def test_company_types_and_abbreviations_do_not_matter() -> None:
    assert compare_names("Huawei Technologies Co., Ltd.", "HUAWEI TECHNOLOGIES").score == 1.0
    assert compare_names("Acme Intl Tech Corp", "ACME INTERNATIONAL TECHNOLOGY").score == 1.0
    assert compare_names("Société Générale", "SOCIETE GENERALE").score == 1.0


def test_generic_words_alone_never_match() -> None:
    assert compare_names("BELLETECH CORP", "11420 CORP.").score < 0.8
    assert compare_names("Emma LLC", "Emma Daniels").score < 0.8
    assert compare_names("China Telecom", "China Unicom").score < 0.8
    assert compare_names("Global Trading Company", "Orient Trading Company").score < 0.8


def test_numbers_must_agree() -> None:
    a = "China Electronics Technology Group Corporation 13th Research Institute"
    b = "China Electronics Technology Group Corporation 54th Research Institute"
    assert compare_names(a, b).score < 0.8


def test_person_word_order_and_transliteration() -> None:
    assert compare_names("HANIYA, Ismail", "Ismail Haniya").score == 1.0
    assert compare_names("Mohammed Abu Teir", "Muhammad ABU TEIR").score >= 0.85


def test_chinese_meets_english_through_glossary() -> None:
    c = compare_names("华为技术有限公司", "HUAWEI TECHNOLOGIES CO., LTD.")
    assert c.score >= 0.95
    assert c.left is not None and "glossary" in c.left.detail
    assert (
        compare_names(
            "北京航空航天大学", "Beijing University of Aeronautics and Astronautics"
        ).score
        >= 0.85
    )


def test_traditional_equals_simplified() -> None:
    assert compare_names("華為技術有限公司", "华为技术有限公司").score == 1.0


def test_pinyin_query_meets_english_entry() -> None:
    assert compare_names("Shenzhen Daxue", "Shenzhen University").score >= 0.9
    assert compare_names("Sichuan Daxue", "Sichuan University").score >= 0.9


def test_shared_city_is_not_a_match() -> None:
    assert compare_names("深圳大学", "Shenzhen Huaqiang Electronics Co Ltd").score < 0.6
    assert compare_names("福建师范大学", "FUJIAN TORCH ELECTRON TECHNOLOGY CO., LTD.").score < 0.6


token_lists = st.lists(
    st.sampled_from(
        [
            "huawei",
            "huawey",
            "technology",
            "torch",
            "porch",
            "54",
            "13",
            "beijing",
            "university",
            "mohammed",
            "muhammad",
            "emma",
            "daniel",
            "大学",
            "华为",
            "trading",
            "x",
            "zhang",
            "zheng",
            "telecommunication",
            "communication",
            "electron",
            "electronic",
            "shanxi",
            "shaanxi",
            "nanjing",
            "nanking",
            "shihua",
            "shehu",
            "zhangwei",
            "zhangwen",
            "hongdou",
            "hongdu",
            "华维",
        ]
    ),
    min_size=1,
    max_size=5,
)
spellings = st.sampled_from([FREE, PINYIN, EXACT])
readings = st.tuples(token_lists, spellings, st.sampled_from([0.0, 0.0, 0.02]))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(readings, st.lists(readings, max_size=4)), min_size=1, max_size=4))
def test_vectorised_and_pairwise_scoring_agree(
    cases: list[tuple[tuple[list[str], str, float], list[tuple[list[str], str, float]]]],
) -> None:
    """Screening scores many readings and candidates at once; `match` scores one pair at a
    time: the numbers must be the same, whatever each reading's spelling rules and penalty."""
    import numpy as np

    from cloudkyc.names.batch import TokenTable, score_readings
    from cloudkyc.names.compare import score_pair

    candidates = [cand for _q, cands in cases for cand in cands] or [(["x"], FREE, 0.0)]
    table = TokenTable(
        [c[0] for c in candidates], [c[1] for c in candidates], [c[2] for c in candidates]
    )
    ids, start = [], 0
    for _q, cands in cases:
        ids.append(np.arange(start, start + len(cands)))
        start += len(cands)
    queries = [q for q, _c in cases]
    scores = score_readings(
        [q[0] for q in queries], table, ids, [q[1] for q in queries], [q[2] for q in queries]
    )
    for ((a, spelling, penalty), cands), got in zip(cases, scores, strict=True):
        assert len(got) == len(cands)
        for i, (cand, cand_spelling, cand_penalty) in enumerate(cands):
            want = max(score_pair(a, cand, spelling, cand_spelling) - penalty - cand_penalty, 0)
            assert abs(got[i] - want) < 1e-9


def test_review_cases_for_chinese_organisations() -> None:
    """Cases from review: brackets that name the party, Latin company types inside a Chinese
    name, country qualifiers, pinyin of places, Russian company forms."""
    cases_that_match = [
        ("深圳市某某科技有限公司 (Huawei Technologies)", "HUAWEI TECHNOLOGIES CO., LTD."),
        ("华为 Technologies Co., Ltd.", "HUAWEI TECHNOLOGIES CO., LTD."),
        ("电子科技大学", "University of Electronic Science and Technology of China"),
        ("中国科学院", "Chinese Academy of Sciences"),
        ("Haerbin Gongye Daxue", "Harbin Institute of Technology"),
        ("Kronshtadt", "AO KRONSHTADT"),
        ("Публичное акционерное общество Сбербанк", "SBERBANK"),
        ("Harbin Institute of Technology (HIT)", "HARBIN INSTITUTE OF TECHNOLOGY"),
    ]
    for a, b in cases_that_match:
        assert compare_names(a, b).score >= 0.8, (a, b)
    cases_that_do_not = [
        ("中国建设银行", "BANK FOR DEVELOPMENT"),
        ("1st", "1-P"),
        ("Bank 1", "FIRST EAST EXPORT BANK"),
        ("Kim Jong Un", "Kim Jong Il"),
        ("Zhang Wei", "Zhang Wen"),
    ]
    for a, b in cases_that_do_not:
        assert compare_names(a, b).score < 0.8, (a, b)


def test_review_cases_for_branches_and_place_qualifiers() -> None:
    """A branch, office or subsidiary of a listed company, or the company with a city in
    front, finds the parent, a little below the name itself, saying what was read off."""
    huawei = "HUAWEI TECHNOLOGIES CO., LTD."
    cases = [
        ("华为技术有限公司北京分公司", huawei, 0.95, "branch suffix 北京分公司 read off"),
        ("福建火炬电子科技股份有限公司厦门分公司", "FUJIAN TORCH ELECTRON TECHNOLOGY CO., LTD.",
         0.95, "branch suffix 厦门分公司 read off"),
        ("Huawei Technologies Shenzhen Branch", huawei, 0.95,
         "branch suffix 'shenzhen branch' read off"),
        ("Huawei Technologies Co., Ltd. Beijing Representative Office", huawei, 0.95,
         "branch suffix 'beijing representative office' read off"),
        ("深圳华为", huawei, 0.8, "place qualifier 深圳 read off"),
        ("Shenzhen Huawei", huawei, 0.8, "place qualifier 'shenzhen' read off"),
        ("Hua Wei", huawei, 0.8, "pinyin syllables joined: hua wei -> huawei"),
    ]  # fmt: skip
    for a, b, floor, said in cases:
        c = compare_names(a, b)
        assert c.score >= floor, (a, b, c.explanation)
        assert said in c.explanation, (a, c.explanation)
    assert compare_names("Huawei Technologies Shenzhen Branch", "Huawei Technologies").score == 0.98
    assert compare_names("BANK X DUBAI BRANCH", "Bank X Dubai Branch").score == 1.0


def test_review_cases_for_false_positives_without_country_or_type() -> None:
    cases_that_do_not = [
        ("中国石油", "GENERAL PETROLEUM CORPORATION"),  # an industry word and China
        ("中国石油", "MINISTRY OF PETROLEUM"),
        ("Petroleum Trading Co", "GENERAL PETROLEUM CORPORATION"),
        ("中国石化", "THE NATIONAL PETROCHEMICAL COMPANY"),
        ("中国石化", "SHEHU"),  # pinyin "shihua" has no English sound-alike
        ("中国电信集团有限公司", "CHINA COMMUNICATIONS GROUP COMPANY LIMITED"),
        ("China Telecommunications Group", "CHINA COMMUNICATIONS GROUP COMPANY LIMITED"),
        ("深圳市华维科技有限公司", "HUAWEI TECHNOLOGIES CO., LTD."),  # 华维 is not 华为
        ("华维科技有限公司", "Huawei Technologies"),
        ("Shanxi Coal Group", "Shaanxi Coal Group"),  # two provinces
        ("北京航空航天大学", "Nanjing University of Aeronautics and Astronautics"),
        ("Zhang Wei", "ZHANGWEN"),
        # one full-weight word merely alike, beside industry or generic words
        ("TERAND INC.", "TEHRAN CEMENT COMPANY"),
        ("Kvazar OOO", "KHAZAR STEEL CO."),
        ("Device Consulting Co. Ltd.", "DELICE"),
        ("ARC Limited Group", "ARCH COMPANY"),
    ]
    for a, b in cases_that_do_not:
        assert compare_names(a, b).score < 0.8, (a, b, compare_names(a, b).explanation)
    assert compare_names("中国电信集团有限公司", "CHINA TELECOM GROUP CO., LTD.").score == 1.0
    assert compare_names("Nanking Panda Electronics", "NANJING PANDA ELECTRONICS").score >= 0.9
    assert compare_names("Hikvsion", "HIKVISION").score >= 0.8  # a typo, nothing else
    assert compare_names("Hikvsion Digital Technology", "HIKVISION DIGITAL TECHNOLOGY").score >= 0.8


def test_spelling_rules_of_a_token_pair() -> None:
    assert token_similarity("telecommunication", "communication") == 0.0  # two words
    assert token_similarity("electron", "electronic") > 0.9  # one word, another ending
    assert token_similarity("shihua", "shehu") == 0.9  # a sound-alike in Latin script ...
    assert token_similarity("shihua", "shehu", PINYIN) == 0.0  # ... not read from 石化
    assert token_similarity("hongdou", "hongdu", PINYIN) > 0.9  # polyphone 都: dou / du
    assert token_similarity("zhangwei", "zhangwen", EXACT) == 0.0
    assert token_similarity("zhangwei", "zhangwei", EXACT) == 1.0
    assert token_similarity("technology", "technolgy", EXACT) > 0.9  # vocabulary: any reading


@settings(max_examples=200, deadline=None)
@given(readings, st.lists(readings, min_size=1, max_size=4), st.integers(8, 12))
def test_a_readings_scores_do_not_depend_on_its_chunk(
    query: tuple[list[str], str, float],
    cands: list[tuple[list[str], str, float]],
    long: int,
) -> None:
    """A name screened alone or in a batch beside a long name scores the same to the last bit:
    a hit exactly at the threshold must not come and go with the batch."""
    import numpy as np

    from cloudkyc.names.batch import TokenTable, score_readings

    table = TokenTable([c[0] for c in cands], [c[1] for c in cands], [c[2] for c in cands])
    ids = np.arange(len(cands))
    (alone,) = score_readings([query[0]], table, [ids], [query[1]], [query[2]])
    words = [f"word{i}" for i in range(long)]
    together = score_readings(
        [words, query[0]], table, [ids, ids], [FREE, query[1]], [0.0, query[2]]
    )[1]
    assert np.array_equal(alone, together)
