"""Measurement code behind ``eval/`` and ``benchmarks/``: retrieval quality (retrieval.py)."""
