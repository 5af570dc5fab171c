"""Composed rules: minimal rules joined at their variables, within Travatar's limits.

A minimal rule is as small as the alignment allows; it carries little context
("x0 x1"). Galley et al. (2006) add *composed* rules: the rule at a frontier
node t with some of its variables filled in by the minimal rules below them,
and so on downwards. A composed rule is fixed by the connected set of frontier
nodes *inside* it (t and the nodes whose minimal rules were joined in) and the
frontier nodes left open as its variables; ghkm.AlignedTree.render writes it.

Enumeration, per frontier node, children before parents: the fragments rooted
at t are built child by child: each child frontier node either stays a
variable or is replaced by one of the fragments rooted at it, keeping at most
`compose` minimal rules in all (Travatar's RuleComposer counts the same way).
Composed rules must also keep to `nonterm_len` variables and `term_len`
terminals on each side (Travatar's RuleSizeFilter). Variables, once placed,
never go away and source terminals only grow as fragments grow, so partial
fragments that cannot get back under the limits are dropped early: this keeps
nodes with many children (long argument lists) cheap.

Reference: M. Galley et al. Scalable inference and training of
context-rich syntactic translation models. ACL 2006, section 3.
"""
from __future__ import annotations

from typing import NamedTuple, Sequence

from pseudogen.align.alignment import Alignment
from pseudogen.config import ExtractConfig
from pseudogen.extract.ghkm import AlignedTree, Extracted
from pseudogen.syntax.tree import Tree


class Fragment(NamedTuple):
    """Frontier nodes joined into one rule (`inside`, top first) and those left as variables."""

    inside: tuple[int, ...]
    variables: tuple[int, ...]
    terminals: int  # source terminals


def own_terminals(aligned: AlignedTree, node: int) -> int:
    """Source terminals of the minimal rule at frontier node `node`."""
    first, last = aligned.leaf_range[node]
    return (last - first) - sum(aligned.leaf_range[v][1] - aligned.leaf_range[v][0] for v in aligned.below[node])


def fragments(aligned: AlignedTree, config: ExtractConfig) -> dict[int, list[Fragment]]:
    """For every frontier node, the fragments rooted there that a parent may join in.

    Each list holds the minimal rule's fragment first when it keeps to the
    limits, then the composed ones (at most `config.compose` minimal rules).
    """
    own = {n: own_terminals(aligned, n) for n in aligned.frontier}
    joinable: dict[int, list[Fragment]] = {}
    for node in reversed(aligned.frontier):  # children before parents
        partial = [Fragment((node,), (), own[node])]
        kids = aligned.below[node]
        for position, kid in enumerate(kids):
            remaining = len(kids) - position - 1
            grown = []
            for frag in partial:
                options = [Fragment((), (kid,), 0)] + joinable[kid]
                for option in options:
                    candidate = Fragment(frag.inside + option.inside, frag.variables + option.variables,
                                         frag.terminals + option.terminals)
                    if _can_stay_within(candidate, remaining, config):
                        grown.append(candidate)
            partial = grown
        joinable[node] = partial
    return joinable


def _can_stay_within(frag: Fragment, remaining_kids: int, config: ExtractConfig) -> bool:
    """Whether `frag`, with `remaining_kids` children still to decide, can end within the limits."""
    budget = config.compose - len(frag.inside)
    if budget < 0 or frag.terminals > config.term_len:
        return False
    return len(frag.variables) + max(0, remaining_kids - budget) <= config.nonterm_len


def extract_rules(
    tree: Tree, words: Sequence[str], alignment: Alignment, config: ExtractConfig = ExtractConfig()
) -> list[Extracted]:
    """Minimal and composed rules of one pair (see the module docstrings)."""
    aligned = AlignedTree(tree, words, alignment, config.attach, config.attach_len)
    return rules_of(aligned, config)


def rules_of(aligned: AlignedTree, config: ExtractConfig) -> list[Extracted]:
    """Minimal rules of an analysed pair, then its composed rules within the limits."""
    out = aligned.minimal_rules()
    if config.compose < 2:
        return out
    for node, frags in fragments(aligned, config).items():
        for frag in frags:
            if len(frag.inside) < 2:
                continue
            for rule in aligned.render(node, frag.inside, frag.variables):
                if _target_words(rule.target) <= config.term_len:
                    out.append(rule)
    return out


def _target_words(target: str) -> int:
    return sum(1 for item in target.split(" ") if item.startswith('"'))
