"""Errors a user can act on: each has a stable code and prints as one line (spaCy-style `E###` codes)."""

from __future__ import annotations


class SingletonError(Exception):
    """An input or usage problem found before or during work; the CLI prints it as one line and exits 1."""

    exit_code = 1

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"singleton: error[{self.code}]: {self.message}"


# Codes in use, so that a new error gets a new code rather than reusing one with another meaning.
#   E001 no input files                      E002 unreadable first input
#   E003 missing column                      E004 unknown category
#   E005 options contradict the output dir   E006 bad plugin file
#   E007 no report in directory / old schema E008 bad --error-space value
#   E009 engine not available (e.g. Ray not installed)
#   E010 model cannot be loaded              E011 malformed answers / facts file
#   E012 simulation parameters that cannot be met
#   E013 unsupported input format           E014 another scan is writing the output dir
#   E015 --out is a URI, not a local path
