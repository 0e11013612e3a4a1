"""Runs at scale: `--shard I/N`, `--engine ray` and the OpenAI Batch API."""
