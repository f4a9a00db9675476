"""Backends behind small interfaces, each registered by name and chosen from ``Settings``:
embeddings (embeddings.py), vector store (vectorstore.py), lexical index (lexical.py)."""
