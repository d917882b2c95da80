"""Identifier values as compared: one number however written, one address in either script."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from cloudkyc.linking.normalize import (
    address_key,
    email_domain,
    email_key,
    is_webmail,
    party_key,
    phone_key,
    registration_key,
)


@pytest.mark.parametrize(
    ("given", "country", "expected"),
    [
        ("+65 6123 4567", "SG", "+6561234567"),
        ("6123-4567", "SG", "+6561234567"),
        ("(+86) 138-0013-8000", "SG", "+8613800138000"),
        ("not a number", "SG", ""),
    ],
)
def test_phone_numbers_compare_in_e164(given: str, country: str, expected: str) -> None:
    assert phone_key(given, country) == expected


def test_email_addresses_and_domains() -> None:
    assert email_key(" Ops+Billing@Example.SG ") == "ops@example.sg"
    assert email_key("+x@example.sg") == "+x@example.sg"  # nothing before the + to keep
    assert email_domain("ops@Example.SG.") == "example.sg"
    webmail = frozenset({"qq.com", "gmail.com"})
    assert is_webmail("vip.qq.com", webmail) and is_webmail("gmail.com", webmail)
    assert not is_webmail("qq.com.example", webmail) and not is_webmail("com", webmail)


def test_registration_ids_carry_their_country() -> None:
    assert registration_key(" 1974-01143-c ", "SG") == "SG:197401143C"


@pytest.mark.parametrize(
    ("one", "two"),
    [
        ("Zhang Wei", "WEI  ZHANG"),
        ("Tan Ah-Kow", "tan ah kow"),
        ("Example Tech Pte Ltd", "Example Technology"),
        ("深圳示例科技有限公司", "深圳示例科技"),
        ("張偉", "张 伟"),
    ],
)
def test_one_party_however_written(one: str, two: str) -> None:
    assert party_key(one, "CN") == party_key(two, "CN")


def test_different_parties_stay_different() -> None:
    assert party_key("Zhang Wei", "CN") != party_key("Zhang Wen", "CN")
    assert party_key("Zhang Wei", "CN") != party_key("Zhang Wei", "SG")


@pytest.mark.parametrize(
    ("one", "two"),
    [
        ("深圳市南山区科苑路15号", "15 Keyuan Lu, Nanshan District, Shenzhen"),
        ("深圳市南山区科苑路15号", "No. 15 Keyuan Road, Nanshan, Shenzhen"),
        ("1 Example Road, Singapore 123456", "1 Example Rd, #03-01, Singapore 123456"),
        ("北京市海淀区中关村大街1号", "1 Zhongguancun Dajie, Haidian, Beijing"),
    ],
)
def test_one_address_in_two_scripts_or_spellings(one: str, two: str) -> None:
    assert fuzz.token_set_ratio(address_key(one), address_key(two)) >= 90


def test_address_words() -> None:
    assert address_key("深圳市南山区科苑路15号") == "shen zhen nan shan ke yuan road 15"
    assert address_key("Blk 5, #03-01 Ave 3") == "block 5 3 1 avenue 3"
    assert address_key("Singapore") == "singapore"  # not pinyin: left whole
    assert address_key("Xi'an") == "xi an"
