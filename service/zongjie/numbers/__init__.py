"""Finding and normalising figures in Chinese text (see ``finder``) and comparing units (see ``units``)."""

from .finder import Mention, find_numbers

__all__ = ["Mention", "find_numbers"]
