"""Normalisation: idempotent, script-aware, and explainable."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cloudkyc.names import analyze
from cloudkyc.names.chinese import strip_org_types, to_simplified
from cloudkyc.names.latin import latin_tokens


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
