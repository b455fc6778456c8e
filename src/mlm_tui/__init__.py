"""mlm-tui: a keyboard-first terminal back office for direct-selling consultants."""

__version__ = "0.1.0"
