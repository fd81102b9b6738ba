"""journey: a command-line guide through public procurement routes."""

__version__ = "0.1.0"
