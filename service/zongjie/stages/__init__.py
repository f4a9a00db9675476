"""Pipeline stages, one file each, with typed inputs and outputs: ingest, retrieve, plan, draft, check, export."""
