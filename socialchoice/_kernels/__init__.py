"""Pure Numba kernels on contiguous arrays, core axes last. No validation here.

Kernels compile lazily on first call (no eager signatures) and cache to disk.
"""
