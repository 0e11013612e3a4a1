"""llm-extract: news articles in, grounded and verified statistics tables out."""

__version__ = "0.1.0"
