"""The embedded model: the GGUF pack from PyPI parts, the llama.cpp engine process and its
supervision.

Nothing is imported here, so that ``python -m llm_extract.providers.embedded.engine`` (the
engine child) loads only what it needs: import from the submodules.
"""
