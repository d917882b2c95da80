"""The notice's own fields from its facts: type, project, buyer, agency, budget and ceiling,
method, category and dates. Labelled values win; free-text patterns are the fallback for
notices that only say "我公司受上海大学的委托" or "X因教学需要,现以迅采方式采购Y"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from cloudkyc.tenders.amounts import label_unit, parse_amount
from cloudkyc.tenders.dates import first_date
from cloudkyc.tenders.facts import Fact, Facts
from cloudkyc.tenders.model import Amount, Party, Supplier
from cloudkyc.tenders.text import Line, has_han
from cloudkyc.tenders.vocab import bare_label, fold, labels, vocabulary

SKIPPED_BLOCKS = ("fees", "scores", "losers")
_JUNK = re.compile(r"^(?:无|/|-|详见.*|见.*|略|空|暂无|待定|是|否|\[?truncated\]?.*)$", re.I)
_ENTRUSTED = re.compile(r"受(?P<name>[^,，。;:()]{2,40}?)(?:的)?委托")
_QUICK = re.compile(
    r"(?P<buyer>[^,，。;:《》]{2,40}?)因[^,，。;]{0,30}?需要[,，]?\s*现(?:以[^,，。;]{0,20}?方式)?"
    r"(?:对外)?(?:公开)?采购(?P<name>[^,，。;]{2,60})"
)
_OVERVIEW = re.compile(r"^(?P<name>.{4,100}?)(?:招标)?(?:项目)?的潜在(?:投标人|供应商)")
_DEADLINE = re.compile(r"并于(?P<date>.{6,40}?)(?:\(北京时间\))?前(?:递交|提交|上传)")
_MULTI = re.compile(r"[,;、/]")


def party_name(value: str) -> str | None:
    """A buyer's or supplier's name, or None for what only sits where a name would."""
    name = re.sub(r"\((?:盖章|公章|签章)\)$", "", value.strip(" ,;.。:")).strip()
    if not (2 <= len(name) <= 80) or _JUNK.match(name) or any(c in name for c in "☑□■√"):
        return None
    if labels().field_of(name) is not None or not (has_han(name) or re.search("[A-Za-z]{3}", name)):
        return None
    return name


def is_org(name: str) -> bool:
    return name.rstrip(". ").endswith(labels().org_suffixes)


_BRACKETED = re.compile(r"^(?P<name>.{2,}?)\s*\((?P<inner>[^()]{4,80})\)$")
_ADDRESS_LABEL = re.compile(r"^(?:地址|联系地址|通讯地址|住所)\s*:\s*")
_ADDRESS = re.compile(
    r"\d+\s*(?:号|弄|栋|幢|楼|室|层)|[路街道巷里]\d|(?:路|街|大道|巷|弄|大厦|园区)$"
)


def split_address(name: str) -> tuple[str, str | None]:
    """ "电子科技大学(成都市高新区西源大道2006号)" -> ("电子科技大学", "成都市..."): an
    address in brackets after a name is the address, and the name is what is screened. A
    place or a note in brackets ("华为技术有限公司(深圳)", "(筹)") stays in the name."""
    m = _BRACKETED.match(name)
    if m is None or not _ADDRESS.search(m["inner"]):
        return name, None
    return m["name"].strip(), _ADDRESS_LABEL.sub("", m["inner"]).strip()


def _distinct(value: str) -> list[str]:
    """ "济南大学,济南大学,济南大学" names one buyer; "A、B" two."""
    out: list[str] = []
    for part in _MULTI.split(value):
        name = party_name(part)
        if name and name not in out:
            out.append(name)
    return out


def _first(facts: Iterable[Fact]) -> Fact | None:
    return next(iter(facts), None)


def _party(facts: Facts, name_field: str, block: str) -> Party | None:
    candidates = sorted([*facts.of(name_field), *facts.of("name", (block,))], key=lambda f: f.line)
    for fact in candidates:
        names = _distinct(fact.value)
        if names:
            name, inline = split_address(names[0])
            address = _first([*facts.of(f"{name_field}_address"), *facts.of("address", (block,))])
            contact = _first([*facts.of(f"{name_field}_contact"), *facts.of("contact", (block,))])
            return Party(
                name,
                address.value if address else inline,
                contact.value if contact else None,
                names[1:],
            )
    return None


def buyer(facts: Facts, lines: list[Line]) -> Party | None:
    found = _party(facts, "buyer", "buyer")
    if found is not None:
        return found
    for line in lines:
        for pattern in (_ENTRUSTED, _QUICK):
            m = pattern.search(line.text)
            if m and (name := party_name(m.group("name") if pattern is _ENTRUSTED else m["buyer"])):
                return Party(name)
    return None


def agency(facts: Facts) -> Party | None:
    return _party(facts, "agency", "agency")


def project_number(facts: Facts) -> str | None:
    for fact in facts.of("project_number"):
        token = fact.value.split()[0].strip(" ,;.。:")
        if re.search(r"[0-9A-Za-z]", token):
            return token
    return None


def project_name(facts: Facts, lines: list[Line], title: str | None) -> str | None:
    """The first 项目名称, or a longer one that continues it (a cover page cut it short)."""
    values = [f.value for f in facts.of("project_name") if party_name(f.value)]
    if values:
        best = values[0]
        for value in values[1:]:
            if value.startswith(best) and len(value) > len(best):
                best = value
        return best
    for line in lines:
        for pattern in (_OVERVIEW, _QUICK):
            m = pattern.search(line.text)
            if m and party_name(m.group("name")):
                return m.group("name").strip()
    return _without_kind(title) if title else None


_TITLE_TAILS = ("的公告", "的公示", "的通知", "公告", "公示", "的")


def _without_kind(title: str) -> str:
    """ "某大学数据中心建设项目中标候选人公示" -> "某大学数据中心建设项目", and without the
    framing of "关于某大学...项目的中标候选人公示"."""
    words = sorted(
        (*(w for _, ws in labels().notice_types for w in ws), *_TITLE_TAILS),
        key=len,
        reverse=True,
    )
    text = re.sub(r"[\s#]+", "", title)
    if text.startswith("关于") and len(text) > 4:
        text = text[2:]
    for _ in range(4):  # "...项目公开招标公告", "关于...项目中标结果的公告" end in several
        folded = fold(text)
        word = next((w for w in words if folded.endswith(w)), None)
        if word is None:
            break
        text = text[: len(text) - len(word)]
    return text or title


def _precedence(fact: Fact) -> int:
    """A corrected value first; "原预算金额:X" with no correction beside it, an old value,
    last; the others in the order the notice gives them."""
    if fact.original is not None:
        return 0
    return 2 if bare_label(fact.label).startswith("原") else 1


def amount_of(facts: Facts, name: str) -> Amount | None:
    for fact in sorted(facts.of(name), key=_precedence):
        if fact.block == "fees" or vocabulary().decoy_of(fact.label):
            continue
        amount = parse_amount(fact.value, label_unit(fact.label))
        if amount is not None and amount.cny is not None:
            return amount
    return None


def dates(facts: Facts, lines: list[Line]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key in ("published", "deadline", "opening", "award_date", "tender_date"):
        for fact in facts.of(key):
            value = first_date(fact.value)
            if value:
                out[key] = value
                break
    if "deadline" not in out:
        for line in lines:
            m = _DEADLINE.search(line.text)
            if m and (value := first_date(m.group("date"))):
                out["deadline"] = value
                break
    return out


def title(facts: Facts, lines: list[Line]) -> str | None:
    for fact in facts.of("title"):
        return fact.value.strip("# ")
    kinds = [w for _, words in labels().notice_types for w in words]
    for line in lines[:6]:
        text = line.text.strip("# ")
        if (
            4 <= len(text) <= 100
            and not any(c in text for c in ":,。")
            and not (text.startswith("(") and text.endswith(")"))
            and "潜在" not in text
            and (any(w in fold(text) for w in kinds) or text.endswith(("公告", "公示")))
        ):
            return text
    return None


def _by_words(text: str, kinds: tuple[str, ...] | None = None) -> tuple[str, str] | None:
    for name, words in labels().notice_types:
        if kinds is not None and name not in kinds:
            continue
        hit = next((w for w in words if w in text), None)
        if hit is not None:
            return name, hit
    return None


def notice_type(
    head: str, body: str, suppliers: list[Supplier], method: str | None
) -> tuple[str, str]:
    """(type, the words that decided it). The title and first lines decide first; then the
    parties: winners make an award, candidates alone a candidate notice, a proposed supplier
    or the 单一来源 method a single-source notice; then tender wording in the body. An award
    that names only candidates is a candidate notice: there is no award yet."""
    roles = {s.role for s in suppliers}
    found = _by_words(fold(head))
    kind, why = (found[0], f"title: {found[1]}") if found else ("", "")
    if not kind:
        if "winner" in roles:
            kind, why = "award", "names the winning supplier"
        elif "candidate" in roles:
            kind, why = "candidate", "names candidates only"
        elif "proposed" in roles or (method and "单一来源" in method):
            kind, why = "single_source", "single-source supplier or method"
        elif body_kind := _by_words(fold(body), ("single_source", "tender")):
            kind, why = body_kind[0], f"text: {body_kind[1]}"
        elif "更正事项" in body or "原公告" in body:
            kind, why = "correction", "text: 更正事项"
    if kind == "award" and "winner" not in roles and "candidate" in roles:
        kind, why = "candidate", why + "; names candidates only, no award"
    return kind or "other", why or "no notice-type words"


def method(facts: Facts, head: str) -> str | None:
    fact = _first(facts.of("method"))
    if fact is not None:
        return fact.value
    folded = fold(head)
    return next((w for w, _ in labels().methods if w in folded), None)


def ocds_method(value: str | None) -> str | None:
    if not value:
        return None
    folded = fold(value)
    return next((code for w, code in labels().methods if w in folded), None)


def category(facts: Facts) -> str | None:
    fact = _first(facts.of("category"))
    return fact.value.split("/")[0] if fact is not None else None
