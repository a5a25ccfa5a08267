"""Numba cache hygiene: no two compiled variants of one function share an on-disk cache entry."""

import importlib
import pkgutil

from numba import prange
from numba.core.registry import CPUDispatcher

import socialchoice._kernels as kernels
from socialchoice._config import NJIT, NJIT_PARALLEL, jit_variant


def _dispatchers():
    for mod in pkgutil.iter_modules(kernels.__path__):
        m = importlib.import_module(f"socialchoice._kernels.{mod.name}")
        for name, obj in vars(m).items():
            if isinstance(obj, CPUDispatcher):
                yield f"{mod.name}.{name}", obj


def test_no_two_kernel_variants_share_a_cache_entry():
    """The cache key is (qualified name, line, bytecode, closure values): a serial and a
    parallel compile of one function under one name would load each other's machine code."""
    seen = {}
    for label, d in _dispatchers():
        f = d.py_func
        key = (f.__code__.co_filename, f.__qualname__, f.__code__.co_firstlineno)
        opts = bool(d.targetoptions.get("parallel"))
        if key in seen:
            assert seen[key][1] == opts, f"{label} and {seen[key][0]} share the cache entry {key}"
        seen[key] = (label, opts)


def test_jit_variant_names_its_cache_entry():
    def impl(n):
        s = 0
        for i in prange(n):
            s += i
        return s

    a = jit_variant(impl, "_parallel", **dict(NJIT_PARALLEL, cache=False))
    b = jit_variant(impl, "_serial", **dict(NJIT, cache=False))
    assert a.py_func.__qualname__ != b.py_func.__qualname__
    assert a.targetoptions.get("parallel") and not b.targetoptions.get("parallel")
    assert a(10) == b(10) == 45


def test_factory_kernels_keep_their_parameter_in_the_cache_key():
    """Specialised kernels (one per m) must differ in their closure values, which the cache
    key hashes; a parameter used only outside the inner function would not."""
    from socialchoice._kernels import ballots, divergence, pairwise, welfare

    for factory in (ballots.normalize_levels_kernel, lambda m: ballots._level_pass_kernel(m, False),
                    ballots.orders_to_ranks_complete_kernel, divergence.short_rows_kernel, pairwise.block_support_kernel,
                    pairwise.strict_batch_kernel, pairwise.code_batch_kernel):
        a, b = factory(3), factory(4)
        cells = [tuple(c.cell_contents for c in k.py_func.__closure__ or ()) for k in (a, b)]
        assert cells[0] != cells[1], factory.__name__
    par, ser = welfare.weighted_mean_kernel(8, 1 << 20), welfare.weighted_mean_kernel(8, 1)
    assert par.py_func.__qualname__ != ser.py_func.__qualname__
