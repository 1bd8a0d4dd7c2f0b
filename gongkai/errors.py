"""Errors a user can act on; the command line turns each into one line and exit code 3."""

from __future__ import annotations


class ConversionError(Exception):
    """The input could not be converted; the message is the one line the user sees."""

    exit_code = 3


class UnsupportedFormat(ConversionError):
    pass


class CorruptInput(ConversionError):
    """Damaged or malformed bytes: a zip member that does not inflate (named), too many invalid
    bytes for the encoding, a PDF with no readable page. Damage below that is converted and
    recorded as losses (``partial``); damage never ends as an internal error."""


class EncryptedInput(ConversionError):
    pass


class NoTextLayer(ConversionError):
    pass


class MissingDependency(ConversionError):
    """An optional library or program (LibreOffice ...) is needed and absent."""
