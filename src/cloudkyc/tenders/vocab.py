"""The monitor's vocabulary kept as data (tenders/data/*.yaml), loaded once: field labels,
notice-type words, and the compute terms behind each flag."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from cloudkyc.yamltext import load_yaml

_MARKER = re.compile(
    r"^(?:\d+(?:\.\d+)*[、.)]?|\(\d+\)|[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|"
    r"[①-⑳]|[A-Za-z][.、])\s*"
)
_QUALIFIER = re.compile(r"\((?:如有|如适用|若有|可选)\)$")


def _load(name: str) -> dict[str, Any]:
    text = resources.files("cloudkyc.tenders").joinpath("data", name).read_text("utf-8")
    return load_yaml(text) or {}


def fold(text: str) -> str:
    """How labels and terms are compared: NFKC, no spaces, ASCII lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def bare_label(label: str) -> str:
    """ "4、预算金额(元)" -> "预算金额(元)": no list marker, no "(如有)", no outer brackets."""
    text = fold(label).strip("【】[]#*")
    text = _MARKER.sub("", text)
    return _QUALIFIER.sub("", text)


@dataclass(frozen=True)
class Labels:
    fields: dict[str, str]  # folded label -> field
    blocks: list[tuple[str, str]]  # (folded heading word, block), longest first
    notice_types: list[tuple[str, list[str]]]  # in the order they are checked
    other_tags: dict[str, str]  # folded word -> OCDS tag
    methods: list[tuple[str, str]]
    categories: list[tuple[str, str]]
    zcy_codes: dict[str, str]  # 政采云 CSS code -> label
    summary_labels: list[str]  # ccgp 公告概要 labels, longest first
    org_suffixes: tuple[str, ...]

    def field_of(self, label: str) -> str | None:
        return self.fields.get(bare_label(label))

    def suffix_field(self, run: str) -> tuple[str, str] | None:
        """The longest known label that `run` ends with: (label, field)."""
        text = fold(run)
        for size in range(min(len(text), 16), 1, -1):
            tail = text[-size:]
            if tail in self.fields:
                return run[-size:], self.fields[tail]
        return None

    def is_block(self, label: str) -> bool:
        """The label is a block heading itself ("一、项目联系方式"), not a label inside one."""
        return any(word == bare_label(label) for word, _ in self.blocks)

    def block_of(self, text: str) -> str | None:
        folded = fold(text)
        return next((block for word, block in self.blocks if word in folded), None)


@cache
def labels() -> Labels:
    raw = _load("labels.yaml")
    fields = {fold(label): name for name, items in raw["fields"].items() for label in items}
    blocks = sorted(
        ((fold(word), name) for name, items in raw["blocks"].items() for word in items),
        key=lambda pair: -len(pair[0]),
    )
    return Labels(
        fields=fields,
        blocks=blocks,
        notice_types=[(k, [fold(w) for w in v]) for k, v in raw["notice_types"].items()],
        other_tags={fold(w): tag for tag, words in raw["other_tags"].items() for w in words},
        methods=[(fold(w), code) for code, words in raw["methods"].items() for w in words],
        categories=[(fold(w), code) for code, words in raw["categories"].items() for w in words],
        zcy_codes={str(k): v for k, v in raw["zcy_codes"].items()},
        summary_labels=sorted(raw["summary_labels"], key=len, reverse=True),
        org_suffixes=tuple(raw["org_suffixes"]),
    )


@dataclass(frozen=True)
class Term:
    """One vocabulary entry: a canonical name and the words that mean it."""

    kind: str  # "provider", "chip", "model"
    name: str
    origin: str | None
    terms: tuple[str, ...]
    needs_context: str | None = None
    controlled: bool | None = None  # chips only
    why: str | None = None


@dataclass(frozen=True)
class Vocabulary:
    terms: list[Term]
    contexts: dict[str, list[str]]
    context_window: int
    provider_entities: list[str]
    chip_vendors: list[str]
    gpu_count_units: list[str]
    token_units: list[str]
    overseas_account: list[str]
    reseller_words: list[str]
    negations: list[str]
    not_negations: list[str]
    benchmarks_before: list[str]
    benchmarks_after: list[str]
    decoys: dict[str, list[str]]

    def decoy_of(self, text: str) -> str | None:
        """The decoy kind ("fee", "deposit", ...) a label or its context names, if any."""
        return next(
            (kind for kind, words in self.decoys.items() if any(w in text for w in words)), None
        )


def _terms(kind: str, entries: list[dict[str, Any]]) -> list[Term]:
    return [
        Term(
            kind=kind,
            name=str(e["name"]),
            origin=e.get("origin") or (None if kind != "chip" else "US"),
            terms=tuple(str(t) for t in e["terms"]),
            needs_context=e.get("needs_context"),
            controlled=e.get("controlled"),
            why=e.get("why"),
        )
        for e in entries
    ]


@cache
def vocabulary() -> Vocabulary:
    raw = _load("vocabulary.yaml")
    return Vocabulary(
        terms=[
            *_terms("provider", raw["providers"]),
            *_terms("chip", raw["chips"]),
            *_terms("model", raw["models"]),
        ],
        contexts={k: [str(w) for w in v] for k, v in raw["contexts"].items()},
        context_window=int(raw["context_window"]),
        provider_entities=[str(w) for w in raw["provider_entities"]],
        chip_vendors=[str(w) for w in raw["chip_vendors"]],
        gpu_count_units=[str(w) for w in raw["gpu_count_units"]],
        token_units=[str(w) for w in raw["token_units"]],
        overseas_account=[str(w) for w in raw["overseas_account"]],
        reseller_words=[str(w) for w in raw["reseller_words"]],
        negations=[str(w) for w in raw["negations"]],
        not_negations=[str(w) for w in raw["not_negations"]],
        benchmarks_before=[str(w) for w in raw["benchmarks"]["before"]],
        benchmarks_after=[str(w) for w in raw["benchmarks"]["after"]],
        decoys={k: [str(w) for w in v] for k, v in raw["decoys"].items()},
    )
