"""Not Consistently Candid: an interactive-fiction docudrama and the engine beneath it."""

__version__ = "0.1.0"
