"""Package-level plumbing every layer may use: ``registry.py`` (implementations chosen by name from Settings),
``paths.py`` (the repository root and the folders read from it), ``errors.py`` (``NotFound``,
``KnowledgeBaseUnavailable``)."""
