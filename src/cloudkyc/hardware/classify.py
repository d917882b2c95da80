"""Export classification of an accelerator or instance type under a policy pack.

TPP = max over precisions of (dense peak TOPS/TFLOPS x bit length); performance density =
TPP / applicable die area; the pack's 3A090 paragraphs decide, then 4A090 for a computer that
holds such chips. Every step is written out in `reasons`, with figures that are never rounded
across a threshold. Nothing is guessed: each open question (a disputed bit length, an unknown
datacenter status) is answered every way it can be; when the answers differ, or a missing figure
could change the answer, the result is "insufficient data" and says why. `uncertain` marks only
results that rest on uncertain figures (or on a disputed reading of the rule).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from cloudkyc.hardware import figures as fig
from cloudkyc.hardware.catalog import Accelerator, Instance, catalog
from cloudkyc.hardware.figures import Figure, Reading
from cloudkyc.policy import Pack, select

INSUFFICIENT = "insufficient data"
KIND = "export-classification"


@dataclass
class Classification:
    query: str
    resolved: str
    id: str
    kind: str  # "accelerator" or "instance"
    count: int | None
    tpp: float | None  # per accelerator, under the pack's primary bit lengths
    performance_density: float | None  # unrounded; see `shown` for display
    eccn: str  # "3A090.a", "4A090.b", "EAR99/not 3A090", "EAR99/not 4A090", "insufficient data"
    paragraph: str | None
    reasons: list[str]
    uncertain: bool
    uncertain_fields: list[str] = field(default_factory=list)
    total_tpp: float | None = None  # count x tpp, for an instance
    policy: str = ""
    citation: str = ""
    tpp_alternatives: dict[str, float] = field(default_factory=dict)  # disputed reading -> TPP

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def controlled(self) -> bool | None:
        """True for a 3A090/4A090 result, False for an uncontrolled one, None when undecided."""
        if self.eccn == INSUFFICIENT:
            return None
        return not self.eccn.startswith("EAR99")


@dataclass
class Outcome:
    """The answer under one reading of the rule and one datacenter status."""

    eccn: str
    paragraph: str | None
    reasons: list[str]
    rests_on: set[str] = field(default_factory=set)


def _uncontrolled(pack: Pack) -> str:
    return str(pack.data.get("uncontrolled_eccn", "EAR99/not 3A090"))


def _values(figures: dict[str, Figure], rule: dict[str, Any], pack: Pack) -> str:
    names = dict.fromkeys(n for n, _k, _l in fig.conditions(rule))
    shown = []
    for name in names:
        value = figures[name].value
        if value is not None:
            places = 2 if name == "pd" else 0
            shown.append(f"{fig.NAMES[name]} {fig.shown(value, fig.limits(pack, name), places)}")
    return ", ".join(shown)


def _paragraphs(figures: dict[str, Figure], pack: Pack) -> Outcome:
    """The pack's paragraphs in order: the first that holds decides; one that cannot be decided
    leaves its ECCN possible. Decided only when a single answer remains possible."""
    possible: list[str] = []
    failed: list[tuple[str, set[str]]] = []  # (ECCN, uncertain fields its failure rests on)
    reasons: list[str] = []
    holding: dict[str, Any] | None = None
    rests: set[str] = set()
    for rule in pack.data["paragraphs"]:
        results = [(n, fig.check(figures[n], k, lim)) for n, k, lim in fig.conditions(rule)]
        fails = [(n, certain) for n, (holds, certain) in results if holds is False]
        if fails:
            sure = any(certain for _n, certain in fails)
            fields = set() if sure else {f for n, _c in fails for f in figures[n].uncertain}
            failed.append((str(rule["eccn"]), fields))
            continue
        unknown = [n for n, (holds, _c) in results if holds is None]
        if unknown:
            missing = " and ".join(dict.fromkeys(figures[n].missing for n in unknown))
            reasons.append(
                f"{rule['paragraph']} ({fig.describe(rule)}) cannot be decided: {missing} unknown"
            )
            possible.append(str(rule["eccn"]))
            continue
        holding = rule
        rests = {f for n, (_h, certain) in results if not certain for f in figures[n].uncertain}
        possible.append(str(rule["eccn"]))
        break
    if holding is None:
        possible.append(_uncontrolled(pack))
    if len(set(possible)) > 1:
        return Outcome(INSUFFICIENT, None, reasons)
    eccn = possible[0]
    for other, fields in failed:
        if other != eccn:
            rests |= fields
    if holding is not None:
        values = _values(figures, holding, pack)
        line = f"{holding['paragraph']}: {fig.describe(holding)} holds ({values}) -> {eccn}"
        return Outcome(eccn, str(holding["paragraph"]), [*reasons, line], rests)
    needs = "; ".join(
        f"{r['paragraph']} needs {fig.describe(r)} (has {_values(figures, r, pack)})"
        for r in pack.data["paragraphs"]
    )
    return Outcome(eccn, None, [*reasons, f"no 3A090 paragraph holds: {needs}"], rests)


def _scenario(
    figures: dict[str, Figure], datacenter: bool, acc: Accelerator, pack: Pack
) -> Outcome:
    """The answer for one datacenter status, with Note 2 to 3A090 where the pack has it."""
    exempt = pack.data.get("not_datacenter_exempt_below_tpp")
    if exempt is None:
        return _paragraphs(figures, pack)
    below, certain = fig.check(figures["tpp"], "max", float(exempt))
    flag = {"datacenter"} if acc.is_uncertain("datacenter") else set()
    if not datacenter and below:
        rests = flag | (set() if certain else set(figures["tpp"].uncertain))
        line = (
            f"not designed or marketed for datacenters and TPP < {float(exempt):g}: "
            "outside 3A090 (Note 2)"
        )
        return Outcome(_uncontrolled(pack), None, [line], rests)
    outcome = _paragraphs(figures, pack)
    if datacenter and below and outcome.eccn not in (INSUFFICIENT, _uncontrolled(pack)):
        outcome.rests_on |= flag  # a part not designed for datacenters would be exempt
        outcome.reasons.insert(
            0,
            f"designed or marketed for datacenters, so Note 2 (TPP < {float(exempt):g} and not "
            "for datacenters) does not exempt it",
        )
    return outcome


def _summary(outcome: Outcome) -> str:
    return outcome.eccn + (f" ({outcome.paragraph})" if outcome.paragraph else "")


def classify_accelerator(acc: Accelerator, pack: Pack, query: str = "") -> Classification:
    result = Classification(
        query=query or acc.display,
        resolved=acc.display,
        id=acc.id,
        kind="accelerator",
        count=1,
        tpp=None,
        performance_density=None,
        eccn=INSUFFICIENT,
        paragraph=None,
        reasons=[],
        uncertain=False,
        policy=pack.id,
        citation=pack.citation,
    )
    tpp_bounds, pd_bounds = fig.limits(pack, "tpp"), fig.limits(pack, "pd")
    reads = fig.readings(pack)
    tpps = [(r, fig.tpp(acc, r, tpp_bounds)) for r in reads]
    primary = tpps[0][1]
    result.tpp = primary.value
    result.reasons.append(primary.text)
    if primary.value is None:
        return _finish(result, set())
    others = [(r, t) for r, t in tpps[1:] if t.value != primary.value]
    for reading, other in others:
        assert other.value is not None
        result.tpp_alternatives[reading.label] = other.value
        what = " and ".join(p for p, _b in reading.changed)
        why = "; ".join(fig.disputed_why(pack, p) for p, _b in reading.changed)
        result.reasons.append(
            f"the bit length of {what} is disputed: {why}; with {reading.label}, TPP = "
            f"{fig.shown(other.value, tpp_bounds)}"
        )
    pd = fig.density(acc, primary, pd_bounds)
    result.performance_density = pd.value
    result.reasons.append(pd.text)
    io = fig.io_rate(acc)
    if any("io_gbs_min" in rule for rule in pack.data["paragraphs"]):
        result.reasons.append(io.text)

    statuses = [acc.datacenter] if acc.datacenter is not None else [True, False]
    outcomes: dict[tuple[int, bool], Outcome] = {}
    for i, (_reading, t) in enumerate([tpps[0], *others]):
        figures = {"tpp": t, "pd": fig.density(acc, t, pd_bounds), "io_gbs": io}
        for status in statuses:
            outcomes[(i, status)] = _scenario(figures, status, acc, pack)
    _explain(result, outcomes, statuses, [tpps[0][0], *(r for r, _t in others)])
    answers = {o.eccn for o in outcomes.values()}
    rests: set[str] = set()
    if len(answers) == 1 and INSUFFICIENT not in answers:
        result.eccn = answers.pop()
        paragraphs = {o.paragraph for o in outcomes.values()}
        result.paragraph = paragraphs.pop() if len(paragraphs) == 1 else None
        rests = {f for o in outcomes.values() for f in o.rests_on}
    for reading_index in range(1, len(others) + 1):
        for status in statuses:
            if outcomes[(reading_index, status)].eccn != outcomes[(0, status)].eccn:
                rests |= {f"bit_length.{p}" for p, _b in others[reading_index - 1][0].changed}
    if result.eccn == _uncontrolled(pack):
        result.reasons.append(
            f"{result.eccn}: outside 3A090 under {pack.id}; whether another ECCN (3A001, "
            "5A992, ...) applies is not decided here"
        )
    return _finish(result, rests)


def _explain(
    result: Classification,
    outcomes: dict[tuple[int, bool], Outcome],
    statuses: list[bool],
    reads: list[Reading],
) -> None:
    """Reasons: the primary reading in full, every other reading and datacenter status in a
    line, then what the open questions do to the answer."""
    if len(statuses) == 1:
        result.reasons.extend(outcomes[(0, statuses[0])].reasons)
    else:
        result.reasons.append("whether it is designed or marketed for datacenters is unknown")
        for status, label in ((True, "as a datacenter part"), (False, "if not for datacenters")):
            result.reasons.append(f"{label}: " + "; ".join(outcomes[(0, status)].reasons))
        first, second = outcomes[(0, True)], outcomes[(0, False)]
        if first.eccn == second.eccn:
            result.reasons.append(f"either way: {_summary(first)}")
        else:
            result.reasons.append(
                "the datacenter status decides (datacenter: "
                f"{_summary(first)}; not: {_summary(second)}), so the answer is not decided"
            )
    for i, reading in enumerate(reads[1:], 1):
        for status in statuses:
            outcome = outcomes[(i, status)]
            where = "" if len(statuses) == 1 else (" as a datacenter part" if status else " if not")
            result.reasons.append(f"with {reading.label}{where}: {outcome.reasons[-1]}")
            base = outcomes[(0, status)]
            if outcome.eccn == base.eccn:
                result.reasons.append(f"the {reading.label} reading does not change the answer")
            else:
                result.reasons.append(
                    f"the answer depends on the disputed reading ({_summary(base)} under the "
                    f"primary reading; {_summary(outcome)} with {reading.label}), so it is "
                    "not decided"
                )


def _finish(result: Classification, rests: set[str]) -> Classification:
    result.uncertain_fields = sorted(rests)
    result.uncertain = bool(rests)
    if result.uncertain:
        result.reasons.append("rests on uncertain figures: " + ", ".join(result.uncertain_fields))
    if result.eccn == INSUFFICIENT:
        result.paragraph = None
    return result


def classify_instance(inst: Instance, pack: Pack, query: str = "") -> Classification:
    chip = classify_accelerator(inst.accelerator, pack)
    head = (
        f"{inst.provider} {inst.name} holds {inst.count or 'an unknown number of'} x "
        f"{inst.accelerator.display}"
    )
    uncontrolled = str(pack.data.get("uncontrolled_computer_eccn", "EAR99/not 4A090"))
    if chip.eccn == INSUFFICIENT:
        eccn = INSUFFICIENT
    elif chip.controlled:
        eccn = pack.data["computer_eccn"][chip.eccn]
    else:
        eccn = uncontrolled
    reasons = [head, *(r for r in chip.reasons if not r.startswith("rests on uncertain"))]
    if chip.controlled:
        reasons.append(f"a computer containing {chip.eccn} ICs is {eccn}")
    elif eccn == uncontrolled:
        reasons.append(f"it holds no 3A090 IC: {eccn} (another ECCN may apply; not decided here)")
    # The ECCN rests on the chip's figures and on which chip the instance holds; its count
    # and network only size the instance.
    rests = list(chip.uncertain_fields)
    if "accelerator" in inst.uncertain:
        rests.append("instance.accelerator")
    aside = sorted(f for f in inst.uncertain if f != "accelerator")
    if aside:
        reasons.append(
            "uncertain instance figures the ECCN does not rest on: "
            + ", ".join(aside)
            + (" (the total TPP uses the count)" if "count" in aside else "")
        )
    if rests:
        reasons.append("rests on uncertain figures: " + ", ".join(rests))
    total = chip.tpp * inst.count if chip.tpp is not None and inst.count else None
    return Classification(
        query=query or inst.name,
        resolved=f"{inst.provider} {inst.name}",
        id=inst.id,
        kind="instance",
        count=inst.count,
        tpp=chip.tpp,
        performance_density=chip.performance_density,
        eccn=eccn,
        paragraph=chip.paragraph,
        reasons=reasons,
        uncertain=bool(rests),
        uncertain_fields=rests,
        total_tpp=total,
        policy=pack.id,
        citation=pack.citation,
        tpp_alternatives=dict(chip.tpp_alternatives),
    )


def shown_density(value: float, pack: Pack) -> str:
    """A performance density for display: two decimals, more where rounding would cross one
    of the pack's thresholds."""
    return fig.shown(value, fig.limits(pack, "pd"), 2)


def shown_tpp(value: float, pack: Pack) -> str:
    return fig.shown(value, fig.limits(pack, "tpp"))


def classify(name: str, policy: str | None = None) -> Classification:
    """Classify an accelerator or instance type by any of its names."""
    pack = select(KIND, policy)
    entry = catalog().resolve(name)
    if isinstance(entry, Instance):
        return classify_instance(entry, pack, name)
    return classify_accelerator(entry, pack, name)
