"""The registry of the trade-off family (one object, shared by its modules)."""

from __future__ import annotations

from .._registry import Registry

REGISTRY = Registry("trade-off method", "tradeoff")
