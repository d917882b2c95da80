"""Normalisation: idempotent, script-aware, and explainable."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cloudkyc.names import analyze
from cloudkyc.names.analyze import EXACT
from cloudkyc.names.chinese import (
    bracketed_names,
    normalise,
    segment,
    strip_org_types,
    to_simplified,
)
from cloudkyc.names.latin import latin_tokens
from cloudkyc.names.qualifiers import (
    han_branch,
    latin_branch,
    leading_place_segments,
    leading_places,
)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_latin_normalisation_is_idempotent(text: str) -> None:
    tokens, _ = latin_tokens(text)
    again, _ = latin_tokens(" ".join(tokens))
    if tokens:
        assert again == tokens


def test_latin_tokens_fold_case_diacritics_punctuation() -> None:
    assert latin_tokens("Zürich Mfg. Co., Ltd.")[0] == ["zurich", "manufacturing"]
    assert latin_tokens("OOO Rosneft")[0] == ["rosneft"]
    assert latin_tokens("Corp")[0] == ["corp"]  # never strip a name to nothing


def test_chinese_company_types_and_brackets_are_stripped() -> None:
    assert strip_org_types("摩尔线程智能科技(北京)有限责任公司")[0] == "摩尔线程智能科技"
    assert strip_org_types("福建火炬电子科技股份有限公司")[0] == "福建火炬电子科技"
    assert to_simplified("華為技術") == "华为技术"


def test_chinese_name_has_pinyin_glossary_and_han_readings() -> None:
    form = analyze("深圳大学")
    readings = {v.how: v.tokens for v in form.variants}
    assert readings["glossary"] == ("shenzhen", "university")
    assert readings["pinyin"] == ("shenzhen", "daxue")
    assert readings["han"] == ("深圳", "大学")
    assert any(v.detail == "glossary: 深圳大学 -> shenzhen university" for v in form.variants)


def test_ordinals_become_numbers() -> None:
    form = analyze("中国电子科技集团公司第五十四研究所")
    glossary = next(v for v in form.variants if v.how == "glossary")
    assert "54" in glossary.tokens


han_pieces = st.sampled_from(
    [
        "华为",
        "華為",
        "技术",
        "有限公司",
        "股份有限公司",
        "公司",
        "集团",
        "分公司",
        "办事处",
        "北京",
        "深圳市",
        "南山区",
        "（",
        "）",
        "(",
        ")",
        "【",
        "】",
        "[",
        "]",
        " ",
        "　",
        "有限",
        "华维",
        "Co., Ltd.",
    ]
)
chinese_names = st.one_of(
    st.lists(han_pieces, min_size=1, max_size=10).map("".join),
    st.text(alphabet=st.characters(whitelist_categories=("Lo", "Ps", "Pe", "Zs")), max_size=20),
)


@settings(max_examples=500, deadline=None)
@given(chinese_names)
def test_chinese_normalisation_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert to_simplified(to_simplified(text)) == to_simplified(text)


def test_nested_brackets_go_in_one_pass() -> None:
    assert strip_org_types("华为（深圳（南山））技术有限公司") == ("华为技术", ["有限公司"])
    assert strip_org_types("华为【深圳(南山)】技术 有限公司 ") == ("华为技术", ["有限公司"])
    assert bracketed_names("某某科技（深圳（Huawei Technologies））有限公司") == [
        "Huawei Technologies"  # 深圳 is a location
    ]
    assert bracketed_names("华为技术（南山区）有限公司") == []  # a district is a location


def test_branch_words_are_not_company_types() -> None:
    assert strip_org_types("华为技术有限公司北京分公司")[0] == "华为技术有限公司北京分公司"
    assert strip_org_types("华为技术有限公司")[0] == "华为技术"


@pytest.mark.parametrize(
    ("name", "parent", "suffix"),
    [
        ("华为技术有限公司北京分公司", "华为技术", "北京分公司"),
        ("福建火炬电子科技股份有限公司厦门分公司", "福建火炬电子科技", "厦门分公司"),
        ("华为技术有限公司南山第一分公司", "华为技术", "南山第一分公司"),  # any qualifier
        ("中国银行香港分行", "中国银行", "香港分行"),  # no company type: a place
        ("华为北京办事处", "华为", "北京办事处"),
        ("华为技术分公司", "华为技术", "分公司"),
    ],
)
def test_a_chinese_branch_reads_off_to_its_parent(name: str, parent: str, suffix: str) -> None:
    assert han_branch(strip_org_types(name)[0]) == (parent, suffix)


@pytest.mark.parametrize("name", ["北京分公司", "有限公司分公司", "分公司", "华为技术有限公司"])
def test_no_parent_no_branch(name: str) -> None:
    assert han_branch(name) is None


@pytest.mark.parametrize(
    ("tokens", "parent", "suffix"),
    [
        ("huawei technology shenzhen branch", "huawei technology", "shenzhen branch"),
        ("huawei technology hong kong branch", "huawei technology", "hong kong branch"),
        ("bank melli iran dubai branch", "bank melli iran", "dubai branch"),  # one place
        ("dji beijing representative office", "dji", "beijing representative office"),
        ("acme subsidiary", "acme", "subsidiary"),
    ],
)
def test_a_latin_branch_reads_off_to_its_parent(tokens: str, parent: str, suffix: str) -> None:
    assert latin_branch(tokens.split()) == (parent.split(), suffix.split())
    assert latin_branch(["branch"]) is None
    assert latin_branch(["huawei", "technology"]) is None


def test_leading_places() -> None:
    assert leading_places(["guangdong", "shenzhen", "huawei"]) == 2
    assert leading_places(["hong", "kong", "huawei"]) == 2
    assert leading_places(["new", "century", "trading"]) == 0  # "new" alone is no place
    assert leading_place_segments(segment("深圳华为")) == 1


def test_branch_and_place_readings_say_what_was_read_off() -> None:
    branch = analyze("华为技术有限公司北京分公司")
    parent = [v for v in branch.variants if v.how == "branch"]
    assert parent[0].tokens == ("huawei", "technology")
    assert parent[0].detail.startswith("branch suffix 北京分公司 read off: ")
    assert parent[0].penalty > 0
    assert ("huawei", "technology", "beijing", "branch") in [v.tokens for v in branch.variants]
    latin = analyze("Huawei Technologies Shenzhen Branch")
    assert [v.detail for v in latin.variants if v.how == "branch"] == [
        "branch suffix 'shenzhen branch' read off: huawei technology shenzhen branch -> "
        "huawei technology"
    ]
    city = analyze("深圳华为")
    assert ("huawei",) in [v.tokens for v in city.variants if v.how == "qualifier"]
    # what is left must name someone: "university" or "aviation" alone does not
    for name in ("深圳大学", "北京航空航天大学", "Beijing University of Aeronautics"):
        assert not [v for v in analyze(name).variants if v.how == "qualifier"], name


def test_a_homophone_of_a_brand_is_read_as_written() -> None:
    form = analyze("深圳市华维科技有限公司")
    assert not any("huawei" in v.tokens for v in form.variants)
    glossary = next(v for v in form.variants if v.how == "glossary")
    assert glossary.tokens == ("shenzhen", "华维", "technology")
    assert "华维 is read as written: it sounds like 华为 but is not it" in glossary.detail
    assert "huawei" in next(v for v in analyze("华为科技").variants if v.how == "glossary").tokens


def test_spaced_pinyin_is_joined_even_when_every_word_is_a_syllable() -> None:
    joined = [v for v in analyze("Hua Wei").variants if v.how == "pinyin-joined"]
    assert [(v.tokens, v.spelling) for v in joined] == [(("huawei",), EXACT)]
