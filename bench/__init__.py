"""Benchmarks: each ``bench/bench_*.py`` has ``run() -> list[Comparison]``; ``python -m bench`` runs them."""

from bench.comparison import Comparison, Measurement

__all__ = ["Comparison", "Measurement"]
