"""qabot: cited answers to questions about a folder of news articles."""

__version__ = "0.1.0"
