"""Small grammars and language models that the decoder tests build and share."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pseudogen.extract.ghkm import node_signature
from pseudogen.ruletable.features import ScoredRow
from pseudogen.ruletable.rule import Rule, match, parse_source
from pseudogen.ruletable.sqlite import write_rule_table as write_rows
from pseudogen.syntax.tree import Tree

# A bigram LM over a small vocabulary, in ARPA form (log10 probabilities).
BIGRAM_ARPA = """\\data\\
ngram 1=9
ngram 2=8

\\1-grams:
-1.5\t<unk>\t0
-99\t<s>\t-0.4
-1.0\t</s>\t0
-0.9\tif\t-0.2
-1.1\tx\t-0.3
-1.2\tis\t-0.2
-1.3\tgreater\t-0.1
-1.0\tthan\t-0.2
-1.2\t5\t-0.3

\\2-grams:
-0.2\t<s> if
-0.3\tif x
-0.2\tx is
-0.3\tis greater
-0.1\tgreater than
-0.4\tthan 5
-0.5\tx </s>
-0.6\t5 </s>

\\end\\
"""

# A trigram LM, so that fragments carry two words of left context.
TRIGRAM_ARPA = """\\data\\
ngram 1=6
ngram 2=5
ngram 3=3

\\1-grams:
-1.2\t<unk>\t0
-99\t<s>\t-0.3
-0.9\t</s>\t0
-0.6\ta\t-0.25
-0.7\tb\t-0.15
-0.8\tc\t-0.35

\\2-grams:
-0.3\t<s> a\t-0.1
-0.4\ta b\t-0.2
-0.2\tb c\t-0.05
-0.5\tc </s>
-0.35\tc a\t-0.12

\\3-grams:
-0.1\t<s> a b
-0.15\ta b c
-0.05\tb c </s>

\\end\\
"""


@dataclass(frozen=True)
class ScoredRule:
    rule: Rule
    features: dict


class MemoryGrammar:
    """A grammar held in a list: `matching_all` tries every rule at every node."""

    def __init__(self, rules: list[ScoredRule]):
        self.rules = rules

    @classmethod
    def from_lines(cls, lines: list[str]) -> MemoryGrammar:
        """Lines `src ||| trg ||| name=value ...`."""
        rules = []
        for line in lines:
            src, trg, feats = (part.strip() for part in line.split("|||"))
            features = {k: float(v) for k, v in (f.split("=") for f in feats.split())}
            rules.append(ScoredRule(Rule.parse(src, trg), features))
        return cls(rules)

    def matching_all(self, tree: Tree) -> dict[int, list[ScoredRule]]:
        out: dict[int, list[ScoredRule]] = {}
        for i, node in enumerate(tree.subtrees()):
            for scored in self.rules:
                if match(scored.rule.lhs, node) is not None:
                    out.setdefault(i, []).append(scored)
        return out


def write_arpa(directory: Path, text: str = BIGRAM_ARPA) -> Path:
    path = directory / "lm.arpa"
    path.write_text(text, encoding="utf-8")
    return path


def write_rule_table(path, rows=()):
    """A real rule table: `rows` as (source, target) pairs, or none."""
    write_rows(path, [ScoredRow(src, trg, node_signature(parse_source(src)), {"p": 1.0}, 1.0, 1.0, 1.0, "")
                      for src, trg in rows])
    return path
