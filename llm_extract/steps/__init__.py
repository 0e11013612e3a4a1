"""The steps, in the data's order: ingest → clean → numbers → context → chunk → extract →
ground → check → assemble → merge → write (and `tabular` for CSV/Parquet).

Each step imports only the core types, the records, the domains and the language pack; never a
provider, a strategy, the pipeline, the CLI or the evaluation (import-linter contracts in
`pyproject.toml`).
"""
