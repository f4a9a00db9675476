"""What a federation does with its units' facts (issue 26): roll-ups from the store (``rollups``)."""
