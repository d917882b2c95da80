"""The classifier on the real public traces (shared/data/traces); figures in the README.

No trace records SM activity or internode traffic, and Philly records only runtimes, so the
classifier must mostly abstain: these tests pin that it abstains rather than guesses, and the
runs it does label."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloudkyc.compute.traces import evaluate, precision_recall
from cloudkyc.policy import select

pytestmark = pytest.mark.realdata
PACK = select("compute-accounting")


@pytest.fixture(scope="module")
def scores(shared_data: Path) -> dict[str, object]:
    return {s.trace: s for s in evaluate(shared_data / "traces", PACK)}


def test_training_traces_are_never_called_inference(scores: dict) -> None:
    philly, pai = scores["philly"], scores["pai"]
    assert philly.runs == 83_154 and pai.runs == 2
    assert philly.inference == 0 and pai.inference == 0
    # runtime alone decides nothing: every Philly job is undetermined, with 3-4 signals missing
    assert philly.undetermined == philly.runs
    assert philly.missing["activity"] == philly.runs and philly.missing["scale"] == 6_173


def test_dlrm_serving_is_never_called_training(scores: dict) -> None:
    dlrm = scores["dlrm"]
    assert 150 <= dlrm.runs <= 170  # 156 services, a few split by gaps
    assert dlrm.training == 0
    assert dlrm.missing["activity"] == dlrm.runs and dlrm.missing["shape"] == dlrm.runs


def test_genai_serving_is_inference(scores: dict) -> None:
    genai = scores["genai"]
    assert genai.runs == 143 and genai.training == 0
    assert genai.inference >= 0.97 * genai.runs


def test_overall_precision_and_recall(scores: dict) -> None:
    all_scores = list(scores.values())
    t_precision, t_recall = precision_recall(all_scores, "training")
    i_precision, i_recall = precision_recall(all_scores, "inference")
    assert t_precision is None and t_recall == 0.0  # nothing called training, rightly or not
    assert i_precision == 1.0
    assert i_recall is not None and 0.45 <= i_recall <= 0.50  # 143 of 303 serving runs


def test_one_signal_would_call_serving_fleets_training(shared_data: Path) -> None:
    dlrm = next(
        s for s in evaluate(shared_data / "traces", PACK, min_signals=1) if s.trace == "dlrm"
    )
    assert 70 <= dlrm.training <= 90  # why a label needs two signals
