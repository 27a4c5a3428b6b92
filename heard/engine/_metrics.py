"""Calibration, computed one way for the training script, the bench and the tests."""

from __future__ import annotations

import numpy as np

CALIBRATION_BINS = 10


def expected_calibration_error(
    probabilities: np.ndarray, gold: np.ndarray, bins: int = CALIBRATION_BINS
) -> float:
    """How far confidence is from accuracy, on average (top-label ECE, equal-width bins).

    `probabilities` is n x classes, `gold` the n true class indices. Each reading's confidence is
    its largest probability; within each bin of confidence, |accuracy - mean confidence| is
    weighted by the share of readings in the bin (Guo et al., 2017)."""
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == gold
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    error = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            error += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(error)
