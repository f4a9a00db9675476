"""Tools for tests, evaluation and benchmarks (not used by the service itself)."""
