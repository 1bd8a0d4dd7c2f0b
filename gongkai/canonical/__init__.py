"""The canonical representation: model, normalisation, Markdown and YAML readers and writers.

This package imports nothing else of gongkai, so any front end or consumer can depend on it.
"""

from .model import (
    FORMAT_VERSION,
    Block,
    Cell,
    Document,
    Heading,
    ListBlock,
    Loss,
    Meta,
    Paragraph,
    Source,
    Table,
    block_type,
)

__all__ = [
    "FORMAT_VERSION",
    "Block",
    "Cell",
    "Document",
    "Heading",
    "ListBlock",
    "Loss",
    "Meta",
    "Paragraph",
    "Source",
    "Table",
    "block_type",
]
