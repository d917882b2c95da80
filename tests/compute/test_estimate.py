"""FLOP estimates from hardware x time: the hand-worked figure, where utilisation comes from,
instance types, precision fallbacks and refused input."""

from __future__ import annotations

import pytest

from cloudkyc.compute.estimate import compute_pack, estimate, resolve_peak
from cloudkyc.errors import BadInput, NotFound
from cloudkyc.hardware import catalog

DAY = 86_400.0
H100_BF16 = 989.4e12  # dense, NVIDIA H100 SXM5 whitepaper


def test_1024_h100_for_30_days_by_hand() -> None:
    est = estimate("H100", 1024, 30 * DAY)
    # 1024 x 989.4e12 FLOP/s x 2,592,000 s = 2.626e24 FLOP
    assert est.flop_upper == pytest.approx(1024 * H100_BF16 * 30 * DAY)
    assert f"{est.flop_upper:.3g}" == "2.63e+24"
    assert est.utilization == 0.33 and est.utilization_source == "default"
    assert est.flop_central == pytest.approx(0.33 * est.flop_upper)
    assert est.precision == "bf16"
    assert any("Epoch" in r for r in est.reasons)


def test_sm_activity_is_the_utilisation_and_gpu_utilization_is_not() -> None:
    est = estimate("H100", 8, 3600, sm_activity=0.41, gpu_utilization=0.98)
    assert est.utilization == 0.41 and est.utilization_source == "sm_activity"
    assert any("gpu_utilization ignored" in r for r in est.reasons)
    busy = estimate("H100", 8, 3600, gpu_utilization=0.98)
    assert busy.utilization == 0.33 and busy.utilization_source == "default"


def test_a_given_utilisation_wins() -> None:
    est = estimate("H100", 8, 3600, utilization=0.5, sm_activity=0.2)
    assert est.utilization == 0.5 and est.utilization_source == "given"


def test_an_instance_type_counts_its_chips() -> None:
    est = estimate("p5.48xlarge", 2, 3600)
    assert est.chips == 16 and est.accelerator_id == catalog().accelerator("H100").id
    assert est.flop_upper == pytest.approx(16 * H100_BF16 * 3600)


def test_precision_changes_the_peak() -> None:
    fp8 = estimate("H100", 1, 3600, precision="fp8")
    bf16 = estimate("H100", 1, 3600)
    assert fp8.flop_upper == pytest.approx(2 * bf16.flop_upper, rel=1e-3)


def test_a_chip_without_bf16_uses_its_fp16_figure_and_says_so() -> None:
    v100 = catalog().accelerator("V100")
    assert "bf16" not in v100.peak
    peak = resolve_peak(v100, "bf16")
    assert peak.precision == "fp16" and "same width" in peak.reason


def test_every_resolvable_name_estimates_or_says_why_not() -> None:
    cat = catalog()
    for acc in cat.accelerators.values():
        try:
            est = estimate(acc.display, 1, 3600)
        except NotFound as exc:
            assert "no bf16 figure" in str(exc)
            continue
        assert est.flop_upper > 0 and est.accelerator_id == acc.id


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"count": -1}, "count"),
        ({"seconds": -5.0}, "seconds"),
        ({"sm_activity": 1.5}, "sm_activity"),
        ({"utilization": float("nan")}, "utilization"),
    ],
)
def test_bad_figures_are_refused_with_their_field(kwargs: dict, field: str) -> None:
    args = {"name": "H100", "count": 1, "seconds": 60.0, **kwargs}
    with pytest.raises(BadInput) as info:
        estimate(**args)
    assert info.value.field == field


def test_unknown_names_and_precisions_are_not_guessed() -> None:
    with pytest.raises(NotFound, match="did you mean"):
        estimate("H1OO", 1, 60)
    with pytest.raises(NotFound, match="unknown precision"):
        estimate("H100", 1, 60, precision="fp12")


def test_the_default_pack_cites_epoch_for_its_utilisation() -> None:
    pack = compute_pack()
    assert pack.data["default_utilization"] == 0.33
    assert "Epoch" in pack.citation
