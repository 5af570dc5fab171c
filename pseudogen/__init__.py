"""pseudogen: source code to pseudo-code by tree-to-string statistical machine translation."""

__version__ = "0.1.0"
