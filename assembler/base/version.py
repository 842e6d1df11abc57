"""dealdraft's version, recorded in every lock and cache key."""

__version__ = "0.1.0"
