"""The options of rule extraction, with Travatar's defaults (forest-extractor).

- compose: how many minimal rules one composed rule may join (1 = minimal rules only).
- term_len: at most this many terminals on each side of a composed rule.
- nonterm_len: at most this many variables in a composed rule.
- attach: where unaligned target words go: "top" (the top-most rule that can
  take them) or "all" (every rule that can, with fractional counts).
- attach_len: with attach="all", only runs of at most this many unaligned words
  are shared out; longer ones go to the top-most rule.

Minimal rules are always kept, whatever their size, so that every training
tree stays derivable (Travatar filters minimal rules by size too).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from pseudogen.errors import PseudogenError
from pseudogen.extract.ghkm import ATTACH_MODES


@dataclass(frozen=True)
class ExtractConfig:
    compose: int = 4
    term_len: int = 10
    nonterm_len: int = 3
    attach: str = "top"
    attach_len: int = 1

    def __post_init__(self):
        for name in ("compose", "term_len", "nonterm_len", "attach_len"):
            value = getattr(self, name)
            least = 1 if name == "compose" else 0
            if not isinstance(value, int) or value < least:
                raise PseudogenError(f"extraction option {name} must be a whole number >= {least}, not {value!r}")
        if self.attach not in ATTACH_MODES:
            choices = ", ".join(ATTACH_MODES)
            raise PseudogenError(f"extraction option attach must be one of {choices}, not {self.attach!r}")

    def to_dict(self) -> dict:
        return asdict(self)
