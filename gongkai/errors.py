"""Errors a user can act on; the command line turns each into one line and exit code 3."""

from __future__ import annotations


class ConversionError(Exception):
    """The input could not be converted; the message is the one line the user sees."""

    exit_code = 3


class UnsupportedFormat(ConversionError):
    pass


class CorruptInput(ConversionError):
    pass


class EncryptedInput(ConversionError):
    pass


class NoTextLayer(ConversionError):
    pass


class MissingDependency(ConversionError):
    """An optional library or program (LibreOffice ...) is needed and absent."""
