"""eulereye: turn scanned newspaper pages into searchable text, section by section."""

__version__ = "0.1.0"
