"""Divergences between discrete distributions and distributional-pluralism metrics.

See docs/divergences.md. Pairwise divergences (``kl``, ``jensen_shannon``, ...) reduce a
category axis with parallel Numba kernels (one reduction decorator handles axes, NaN policy,
normalisation, xarray and dask for all of them); ``pluralism`` holds the OpinionQA,
GlobalOpinionQA, distributional-alignment, steerability and Overton-coverage metrics;
``group_distributions``, ``kish_ess`` and ``noise_floor`` turn rater-level responses into
survey-weighted distributions with their sampling noise floor. The family's registry is
``registry``; ``names()``, ``get()`` and ``info()`` list and look up its members.
"""

from __future__ import annotations

from . import _pluralism as pluralism
from ._api import renamed_attributes
from ._calibration import brier, ece, expected_brier
from ._dispatch import (
    EmptyDistributionWarning,
    InfiniteDivergenceWarning,
    get,
    info,
    names,
    registry,
)
from ._divergences import (
    chi_square,
    cramer,
    energy,
    entropy,
    hellinger,
    jensen_shannon,
    jensen_shannon_distance,
    kl,
    total_variation,
    wasserstein_ordinal,
)
from . import _population
from ._population import NoiseFloorResult, group_distributions, kish_ess, noise_floor

__all__ = [
    "pluralism",
    "EmptyDistributionWarning",
    "InfiniteDivergenceWarning",
    "NoiseFloorResult",
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

__getattr__ = renamed_attributes("socialchoice.divergence", {
    "benchmarks": ("pluralism", pluralism),
    "NoiseFloor": ("NoiseFloorResult", _population.NoiseFloorResult),
})
