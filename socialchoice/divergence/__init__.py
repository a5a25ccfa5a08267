"""Divergences between discrete distributions and distributional-pluralism metrics.

See spec/divergences.md. Pairwise divergences (``kl``, ``jensen_shannon``, ...) reduce a
category axis with parallel Numba kernels; ``benchmarks`` holds the OpinionQA,
GlobalOpinionQA, distributional-alignment, steerability and Overton-coverage metrics;
``group_distributions``, ``kish_ess`` and ``noise_floor`` turn rater-level responses into
survey-weighted distributions with their sampling noise floor.
"""

from __future__ import annotations

from . import _benchmarks as benchmarks
from ._core import (
    EmptyDistributionWarning,
    InfiniteDivergenceWarning,
    brier,
    chi_square,
    cramer,
    ece,
    energy,
    entropy,
    expected_brier,
    get,
    hellinger,
    info,
    jensen_shannon,
    jensen_shannon_distance,
    kl,
    names,
    registry,
    total_variation,
    wasserstein_ordinal,
)
from ._population import NoiseFloor, group_distributions, kish_ess, noise_floor

__all__ = [
    "benchmarks",
    "EmptyDistributionWarning",
    "InfiniteDivergenceWarning",
    "NoiseFloor",
    "brier",
    "chi_square",
    "cramer",
    "ece",
    "energy",
    "entropy",
    "expected_brier",
    "get",
    "group_distributions",
    "hellinger",
    "info",
    "jensen_shannon",
    "jensen_shannon_distance",
    "kish_ess",
    "kl",
    "names",
    "noise_floor",
    "registry",
    "total_variation",
    "wasserstein_ordinal",
]
