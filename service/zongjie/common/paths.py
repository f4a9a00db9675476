"""Where the repository's own files are: the one repository root and the folders the package reads from it.

The package runs from a checkout (``pip install -e .``): prompts, the sample knowledge base and the outlines live
next to ``service/``, not inside the package. Everything that needs one of them imports it from here.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
PROMPTS_DIR = REPO_ROOT / "prompts"
KNOWLEDGE_DIR = REPO_ROOT / "knowledge"
