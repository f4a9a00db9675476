"""Zongjie (总结): drafts Chinese trade-union work summaries and checks every figure in them."""

__version__ = "0.1.0"
