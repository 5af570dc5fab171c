"""Declarative tree rewriting: the engine that applies `rules/<language>.rules`.

A frontend turns a line of code into a *raw* tree that mirrors its parser's
syntax tree (for Python: one node per `ast` node, one child per field). The
raw tree is faithful but poor for translation: it holds expression contexts,
empty fields and field wrappers, and no HEAD nodes. A rules file rewrites it
into the *concrete* tree that alignment, rule extraction and decoding see
(Oda et al. 2015, section 4.1: "head insertion" and pruning of the AST).

A rules file is data, one rule per line (grammar and examples in docs/rules.md)::

    delete   (ctx ...)                       # drop a node
    collapse Name|Constant                   # (Name (id x)) -> (Name x)
    splice   /[a-z_]+/                       # hand a field's children to its parent
    rename   (arg ...) Arg
    head     If if                           # (If ...) -> (If (HEAD if) ...)
    head     Arguments "{Arg|KwArg} arguments"   # (HEAD "2 arguments"): children counted by label
    rewrite  (Attribute ?v (attr ?a)) => (Attribute ?v (Attr ?a))

Semantics. The tree is rewritten in one bottom-up pass: a node is rewritten
after all of its children, so a rule sees the already rewritten subtree below
it. At a node, rules are tried in file order; a rule whose pattern matches
replaces the node, and the later rules see the replacement. A rule that deletes
the node, splices it into its parent or rewrites it to a bare variable ends the
work at that node (what it hands up is not rewritten again). Every rule is applied at most once per node,
so a rules file always terminates.

Efficiency. Rules are indexed by the label of their pattern's root: for each
label seen, the engine caches the sorted list of rule numbers that can apply
(literal labels, alternatives and regular expressions resolved once), so a node
costs one dictionary look-up plus the patterns that can really match. The pass
keeps an explicit stack instead of recursion, so a tree of any depth is
rewritten without touching Python's recursion limit; a subtree that no rule
changes is shared with the input, never copied.
"""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence, Union

import regex

from pseudogen.errors import PseudogenError
from pseudogen.syntax.tree import Child, Tree

HEAD = "HEAD"

_TOKEN = regex.compile(
    r'"(?:[^"\\]|\\.)*"'      # a quoted atom (JSON string)
    r"|/(?:[^/\\]|\\.)+/"     # a regular expression
    r"|=>|[()]"
    r'|[^\s()"]+'             # a bare atom
    r'|"'                     # an unterminated quote (reported)
)
_VARIABLE = regex.compile(r"\?([A-Za-z_][A-Za-z0-9_]*)(\.\.\.)?")


# -- patterns ----------------------------------------------------------------

@dataclass(frozen=True)
class LabelSpec:
    """Which labels a node pattern accepts: any, one of some names, or a regex."""

    names: frozenset = frozenset()
    pattern: Optional[regex.Pattern] = None
    any: bool = False

    def accepts(self, label: str) -> bool:
        if self.any:
            return True
        if self.pattern is not None:
            return self.pattern.fullmatch(label) is not None
        return label in self.names


@dataclass(frozen=True)
class LeafPattern:
    """A leaf: exactly `text`, or any leaf that fully matches `pattern`."""

    text: Optional[str] = None
    pattern: Optional[regex.Pattern] = None

    def accepts(self, child: Child) -> bool:
        if not isinstance(child, str):
            return False
        if self.pattern is not None:
            return self.pattern.fullmatch(child) is not None
        return child == self.text


@dataclass(frozen=True)
class AnyChild:
    """`_` or `?name`: one child of any kind, bound to `name` when given."""

    name: Optional[str] = None


@dataclass(frozen=True)
class AnySequence:
    """`...` or `?name...`: zero or more children, bound to `name` when given."""

    name: Optional[str] = None


@dataclass(frozen=True)
class NodePattern:
    """A node with an accepted label and children matching `before`, `rest`, `after`.

    `rest` is None when the children must match `before` exactly; otherwise it
    stands for the children between the fixed prefix and the fixed suffix.
    """

    label: LabelSpec
    before: tuple = ()
    rest: Optional[AnySequence] = AnySequence()
    after: tuple = ()

    def match(self, node: Child, bindings: dict) -> bool:
        if not isinstance(node, Tree) or not self.label.accepts(node.label):
            return False
        return self.match_children(node, bindings)

    def match_children(self, node: Tree, bindings: dict) -> bool:
        """Whether the children match, for a node whose label is already known to fit."""
        kids = node.children
        fixed = len(self.before) + len(self.after)
        if len(kids) < fixed or (self.rest is None and len(kids) != fixed):
            return False
        tail = kids[len(kids) - len(self.after):] if self.after else ()
        for pattern, child in zip(self.before + self.after, kids[:len(self.before)] + tail):
            if not _match_child(pattern, child, bindings):
                return False
        if self.rest is not None and self.rest.name:
            bindings[self.rest.name] = kids[len(self.before):len(kids) - len(self.after)]
        return True


Pattern = Union[NodePattern, LeafPattern, AnyChild]


def _match_child(pattern: Pattern, child: Child, bindings: dict) -> bool:
    if isinstance(pattern, AnyChild):
        if pattern.name:
            bindings[pattern.name] = child
        return True
    if isinstance(pattern, LeafPattern):
        return pattern.accepts(child)
    return pattern.match(child, bindings)


# -- templates (right-hand sides of `rewrite`) --------------------------------

SAME_LABEL = "_"


@dataclass(frozen=True)
class TemplateNode:
    """A node to build; the label `_` means the label of the matched node."""

    label: str
    children: tuple


@dataclass(frozen=True)
class TemplateVar:
    name: str
    sequence: bool


def _build(template, bindings: dict, matched_label: str) -> list[Child]:
    """The children that `template` stands for, built without recursion on the tree."""
    if isinstance(template, str):
        return [template]
    if isinstance(template, TemplateVar):
        bound = bindings[template.name]
        return list(bound) if template.sequence else [bound]
    kids: list[Child] = []
    for child in template.children:
        kids.extend(_build(child, bindings, matched_label))
    label = matched_label if template.label == SAME_LABEL else template.label
    return [Tree(label, kids)]


# -- rules -------------------------------------------------------------------

@dataclass(frozen=True)
class RewriteRule:
    """One line of a rules file: an operation, a pattern, and its argument."""

    operation: str
    pattern: NodePattern
    argument: object = None
    place: str = ""

    def ends_work(self) -> bool:
        """True when the rule hands its result to the parent instead of replacing the node."""
        return self.operation in ("delete", "splice") or isinstance(self.argument, TemplateVar)

    def apply(self, node: Tree) -> Optional[list[Child]]:
        """The replacement for `node` (whose label the pattern accepts), or None when the rule does not fire."""
        bindings: dict = {}
        if not self.pattern.match_children(node, bindings):  # the index has checked the label
            return None
        return _OPERATIONS[self.operation](self, node, bindings)


def _delete(rule, node, bindings):
    return []


def _splice(rule, node, bindings):
    return list(node.children)


def _rename(rule, node, bindings):
    return [Tree(rule.argument, node.children)]


def _collapse(rule, node, bindings):
    """A chain of single children down to one leaf becomes (label leaf)."""
    below: Child = node
    while isinstance(below, Tree) and len(below.children) == 1:
        below = below.children[0]
    if not isinstance(below, str) or node.is_preterminal():
        return None
    return [Tree(node.label, [below])]


@dataclass(frozen=True)
class CountedWord:
    """A HEAD word with `{A|B}` in it: written with the number of the node's children labelled A or B there.

    `head Arguments "{Arg|VarArg|KwArg} arguments"` gives `(HEAD "3 arguments")` to a function of three
    parameters, so that a rule can learn "with 3 arguments" for the construct's own word, and a pattern
    need not list every way the counted children can sit among the others.
    """

    before: str
    labels: frozenset
    after: str

    def render(self, node: Tree) -> str:
        count = sum(1 for child in node.children if isinstance(child, Tree) and child.label in self.labels)
        return f"{self.before}{count}{self.after}"


def _head(rule, node, bindings):
    kids = node.children
    if kids and isinstance(kids[0], Tree) and kids[0].label == HEAD:
        return None
    word = rule.argument
    if word is None:
        word = node.label
    elif isinstance(word, CountedWord):
        word = word.render(node)
    return [Tree(node.label, (Tree(HEAD, [word]),) + kids)]


def _rewrite(rule, node, bindings):
    return _build(rule.argument, bindings, node.label)


_OPERATIONS = {
    "delete": _delete,
    "splice": _splice,
    "rename": _rename,
    "collapse": _collapse,
    "head": _head,
    "rewrite": _rewrite,
}


class RuleSet:
    """An ordered list of rewrite rules and the engine that applies them."""

    def __init__(self, rules: Sequence[RewriteRule], source: str = "<rules>"):
        self.rules = tuple(rules)
        self.source = source
        self._by_label: dict[str, list[int]] = {}

    # -- loading -----------------------------------------------------------
    @classmethod
    def load(cls, path) -> RuleSet:
        """Read a rules file; a malformed line raises PseudogenError at `file:line`."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise PseudogenError(f"cannot read rules file: {err}", str(path)) from None
        return cls.parse(text, str(path))

    @classmethod
    def parse(cls, text: str, source: str = "<rules>") -> RuleSet:
        rules = []
        for number, line in enumerate(text.splitlines(), 1):
            place = f"{source}:{number}"
            tokens = _tokenize(line, place)
            if tokens:
                rules.append(_parse_rule(tokens, place))
        return cls(rules, source)

    def __len__(self) -> int:
        return len(self.rules)

    # -- applying ----------------------------------------------------------
    def apply(self, tree: Tree) -> Tree:
        """The rewritten tree (a new tree; `tree` itself is never changed)."""
        frames: list[list] = [[tree, 0, []]]
        result: list[Child] = []
        while frames:
            frame = frames[-1]
            node, index, done = frame
            if index < len(node.children):
                frame[1] = index + 1
                child = node.children[index]
                if isinstance(child, str):
                    done.append(child)
                else:
                    frames.append([child, 0, []])
                continue
            frames.pop()
            same = len(done) == len(node.children) and all(a is b for a, b in zip(done, node.children))
            out = self._rewrite_node(node if same else Tree(node.label, done))
            (frames[-1][2] if frames else result).extend(out)
        if len(result) != 1 or not isinstance(result[0], Tree):
            shape = "nothing" if not result else f"{len(result)} pieces"
            raise PseudogenError(f"the rules turned the whole tree into {shape}", self.source)
        return result[0]

    def _rewrite_node(self, node: Tree) -> list[Child]:
        last = -1
        while True:
            candidates = self._candidates(node.label)
            at = bisect.bisect_right(candidates, last)
            if at == len(candidates):
                return [node]
            last = candidates[at]
            rule = self.rules[last]
            out = rule.apply(node)
            if out is None:
                continue
            if rule.ends_work():
                return out
            node = out[0]

    def _candidates(self, label: str) -> list[int]:
        found = self._by_label.get(label)
        if found is None:
            found = [i for i, rule in enumerate(self.rules) if rule.pattern.label.accepts(label)]
            self._by_label[label] = found
        return found


# -- reading a rules file -----------------------------------------------------

def _tokenize(line: str, place: str) -> list[str]:
    tokens = []
    for token in _TOKEN.findall(line):
        if token.startswith("#"):
            break
        if token == '"':
            raise PseudogenError("unterminated quoted atom", place)
        tokens.append(token)
    return tokens


def _parse_rule(tokens: list[str], place: str) -> RewriteRule:
    operation = tokens[0]
    if operation not in _OPERATIONS:
        known = ", ".join(_OPERATIONS)
        raise PseudogenError(f"unknown operation {operation!r} (expected one of: {known})", place)
    if len(tokens) == 1:
        raise PseudogenError(f"'{operation}' needs a pattern", place)
    reader = _Reader(tokens, 1, place)
    pattern = reader.top_pattern()
    argument = _ARGUMENT_READERS[operation](reader, pattern)
    if not reader.at_end():
        raise PseudogenError(f"unexpected {reader.peek()!r} after the rule", place)
    return RewriteRule(operation, pattern, argument, place)


def _no_argument(reader: _Reader, pattern: NodePattern):
    return None


def _label_argument(reader: _Reader, pattern: NodePattern):
    if reader.at_end():
        raise PseudogenError("'rename' needs the new label after the pattern", reader.place)
    return reader.atom("the new label")


def _optional_word(reader: _Reader, pattern: NodePattern):
    if reader.at_end():
        return None
    word = reader.atom("the HEAD word")
    counted = _COUNTED.fullmatch(word)  # other braces are the word's own: `head FormattedValue {}`
    if counted is None:
        return word
    return CountedWord(counted["before"], frozenset(counted["labels"].split("|")), counted["after"])


_COUNTED = regex.compile(r"(?P<before>[^{}]*)\{(?P<labels>[A-Za-z_][A-Za-z0-9_]*(?:\|[A-Za-z_][A-Za-z0-9_]*)*)\}"
                         r"(?P<after>[^{}]*)")


def _template_argument(reader: _Reader, pattern: NodePattern):
    if reader.at_end() or reader.peek() != "=>":
        raise PseudogenError("'rewrite' needs '=>' and a template after the pattern", reader.place)
    reader.next()
    if reader.at_end():
        raise PseudogenError("'rewrite' needs a template after '=>'", reader.place)
    template = reader.template()
    _check_template_variables(template, _pattern_variables(pattern), reader.place)
    return template


_ARGUMENT_READERS = {
    "delete": _no_argument,
    "splice": _no_argument,
    "collapse": _no_argument,
    "rename": _label_argument,
    "head": _optional_word,
    "rewrite": _template_argument,
}


class _Reader:
    """Reads patterns and templates from the tokens of one rule line."""

    def __init__(self, tokens: list[str], position: int, place: str):
        self.tokens = tokens
        self.position = position
        self.place = place

    def at_end(self) -> bool:
        return self.position >= len(self.tokens)

    def peek(self) -> str:
        return self.tokens[self.position]

    def next(self) -> str:
        if self.at_end():
            raise PseudogenError("unbalanced '(': the rule ends inside a node", self.place)
        token = self.tokens[self.position]
        self.position += 1
        return token

    def fail(self, message: str):
        raise PseudogenError(message, self.place)

    def atom(self, what: str) -> str:
        token = self.next()
        if token in ("(", ")", "=>") or token.startswith("/"):
            self.fail(f"expected {what}, found {token!r}")
        return _unquote(token, self.place)

    # -- patterns ----------------------------------------------------------
    def top_pattern(self) -> NodePattern:
        token = self.peek()
        if token == "(":
            return self.node_pattern()
        if token in (")", "=>", "...") or token.startswith("?"):
            self.fail(f"a rule's pattern must be a label or a node '( ... )', found {token!r}")
        self.next()
        return NodePattern(self.label_spec(token))

    def node_pattern(self) -> NodePattern:
        self.next()  # "("
        label_token = self.next()
        if label_token in ("(", ")", "=>"):
            self.fail(f"a node pattern needs a label after '(', found {label_token!r}")
        label = self.label_spec(label_token)
        before, after, rest = [], [], None
        while True:
            token = self.next()
            if token == ")":
                return NodePattern(label, tuple(before), rest, tuple(after))
            item = self.child_pattern(token)
            if isinstance(item, AnySequence):
                if rest is not None:
                    self.fail("only one '...' or '?name...' is allowed among a node's children")
                rest = item
            else:
                (before if rest is None else after).append(item)

    def child_pattern(self, token: str):
        if token == "(":
            self.position -= 1
            return self.node_pattern()
        if token == "=>":
            self.fail("unbalanced '(': '=>' inside a pattern")
        if token == "...":
            return AnySequence()
        if token == "_":
            return AnyChild()
        if token.startswith("?"):
            return self.variable(token, AnyChild, AnySequence)
        if token.startswith("/"):
            return LeafPattern(pattern=self.compile(token))
        return LeafPattern(text=_unquote(token, self.place))

    def variable(self, token: str, single, sequence):
        found = _VARIABLE.fullmatch(token)
        if not found:
            self.fail(f"bad variable {token!r} (write ?name or ?name...)")
        return sequence(found[1]) if found[2] else single(found[1])

    def label_spec(self, token: str) -> LabelSpec:
        if token == "_":
            return LabelSpec(any=True)
        if token.startswith("/"):
            return LabelSpec(pattern=self.compile(token))
        if token.startswith(("?", "...")):
            self.fail(f"a label cannot be a variable: {token!r}")
        if token.startswith('"'):
            return LabelSpec(names=frozenset([_unquote(token, self.place)]))
        names = token.split("|")
        if not all(names):
            self.fail(f"empty label in {token!r}")
        return LabelSpec(names=frozenset(names))

    def compile(self, token: str) -> regex.Pattern:
        try:
            return regex.compile(token[1:-1].replace("\\/", "/"), regex.DOTALL)
        except regex.error as err:
            self.fail(f"bad regular expression {token}: {err}")

    # -- templates ---------------------------------------------------------
    def template(self):
        token = self.next()
        if token == "(":
            return self.template_node()
        if token.startswith("?"):
            return self.variable(token, lambda n: TemplateVar(n, False), lambda n: TemplateVar(n, True))
        self.fail(f"a template must be a node '( ... )' or a variable, found {token!r}")

    def template_node(self) -> TemplateNode:
        label = self.atom("a label after '('")
        children = []
        while True:
            token = self.next()
            if token == ")":
                return TemplateNode(label, tuple(children))
            if token == "(":
                children.append(self.template_node())
            elif token.startswith("?"):
                children.append(self.variable(token, lambda n: TemplateVar(n, False), lambda n: TemplateVar(n, True)))
            elif token in ("=>", "...") or token.startswith("/"):
                self.fail(f"{token!r} cannot appear in a template")
            else:
                children.append(_unquote(token, self.place))


def _unquote(token: str, place: str) -> str:
    if not token.startswith('"'):
        return token
    try:
        return json.loads(token)
    except json.JSONDecodeError:
        raise PseudogenError(f"bad quoted atom {token}", place) from None


def _pattern_variables(pattern) -> dict[str, bool]:
    """Variable name -> whether it is a sequence variable, for a node pattern."""
    found: dict[str, bool] = {}
    stack = [pattern]
    while stack:
        item = stack.pop()
        if isinstance(item, NodePattern):
            stack.extend(item.before + item.after)
            if item.rest is not None:
                stack.append(item.rest)
        elif isinstance(item, (AnyChild, AnySequence)) and item.name:
            found[item.name] = isinstance(item, AnySequence)
    return found


def _check_template_variables(template, bound: dict[str, bool], place: str) -> None:
    stack = [template]
    while stack:
        item = stack.pop()
        if isinstance(item, TemplateNode):
            stack.extend(item.children)
        elif isinstance(item, TemplateVar):
            if item.name not in bound:
                raise PseudogenError(f"template variable ?{item.name} is not bound by the pattern", place)
            if item.sequence != bound[item.name]:
                want = f"?{item.name}..." if bound[item.name] else f"?{item.name}"
                raise PseudogenError(f"?{item.name} is bound as {want} in the pattern; write it so", place)
