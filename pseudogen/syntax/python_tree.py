"""Python's `ast` as a raw `Tree`, with the surface tokens of the line at the leaves.

Shape of the raw tree (the input of `rules/python.rules`)::

    x = a % 5           (Assign (targets (Name (id x) (ctx (Store))))
                                (value (BinOp (left (Name (id a) (ctx (Load))))
                                              (op (Mod %))
                                              (right (Constant (value (token 5)))))))

- An `ast` node becomes a node labelled with its class name (`Assign`, `Name`);
  the lower-case classes are capitalised (`arg` -> `Arg`, `keyword` -> `Keyword`,
  `match_case` -> `MatchCase`), so a lower-case label always names a field.
- Each of its fields becomes a child labelled with the field name (`targets`,
  `value`); a list field holds its elements, an empty or None field is a node
  with no children. Identifier fields (`id`, `attr`, `name`, `arg`, `module`,
  `asname`) hold the identifier as a leaf; lists of identifiers (`global a, b`)
  hold `(identifier a)` nodes. A dotted module name holds its parts:
  `import os.path` gives `(name (DottedName (identifier os) (identifier path)))`,
  so that `os` and `path` are leaves of their own, as in `os . path` used in an
  expression.
- Literals (`Constant`, `MatchSingleton`) hold their tokens as written:
  `(value (token 'abc'))`, two tokens for `'a' 'b'`. An f-string (`JoinedStr`)
  is taken apart: its literal pieces as string tokens, each field as
  `(FormattedValue (value ...) (conversion !r) (format_spec (FormatSpec ...)))`.
- Tokens that `ast` drops but that tell constructs apart are put back: the
  parameter markers `(positional_only /)` and `(keyword_only *)`, a slice's
  colons `(colon (Colon :))`, `**d` in a dict as `(DictUnpack (value ...))`,
  the `_` of `case _` and `*_` as `(name _)`.
- Operators become `(Class surface)` nodes: `(Mod %)`, `(NotIn not in)`,
  `(NotEq <>)` when the input wrote `<>`, `(Add +=)` in an augmented assignment.
- Expression contexts are `(ctx (Load))` / `(ctx (Store))` / `(ctx (Del))`.
- `from . import x` keeps its dots as `(level .)`; `async for` in a
  comprehension gives `(is_async async)`.

Children are put in source order, which `ast`'s field order does not always
follow (`b if a else c`, `{k: v, ...}`, `f(a, *b, c=1)`, `a < b < c`,
`x and y and z`, `def f(a, b=1)`): every element is placed at its position in the
line and consecutive elements of the same field are grouped, so a field may
appear more than once (`(keys ...) (values ...) (keys ...) (values ...)`).
Elements without a position of their own (identifiers, `arguments`,
`comprehension`...) stay just after their predecessor in field order. So the
leaves of the raw tree, read left to right, are the line's identifiers,
literals and operators in the order they were written.

The conversion walks the `ast` with an explicit stack (post-order), never by
recursion, so the depth of the input is bounded only by what `ast.parse` accepts.
"""
from __future__ import annotations

import ast
from typing import Iterable, Optional

from pseudogen.syntax.python_source import Placement, SourceLine
from pseudogen.syntax.tree import Child, Tree

Key = Optional[int]  # byte offset of an element in the line, None when it has none

_OPERATOR_TYPES = (ast.operator, ast.boolop, ast.unaryop, ast.cmpop)
_LITERALS = (ast.Constant, ast.MatchSingleton)
_SKIPPED_FIELDS = {"kind", "simple", "conversion"}  # carry no token of their own
# ast's few lower-case classes get capitals, so that in the raw tree a lower-case
# label is always a field and a capitalised one always a node type.
_CLASS_LABELS = {
    "arg": "Arg", "arguments": "Arguments", "keyword": "Keyword", "alias": "Alias",
    "comprehension": "Comprehension", "withitem": "WithItem", "match_case": "MatchCase",
}
_FIELD_ORDER = {"ImportFrom": ("level", "module", "names")}
# The usual spelling of each operator, for one whose token is not on the user's
# line (only possible inside a wrapper; a line's own operators are read from it).
_SYMBOLS = {
    "Add": "+", "Sub": "-", "Mult": "*", "MatMult": "@", "Div": "/", "Mod": "%",
    "Pow": "**", "LShift": "<<", "RShift": ">>", "BitOr": "|", "BitXor": "^",
    "BitAnd": "&", "FloorDiv": "//", "And": "and", "Or": "or", "Invert": "~",
    "Not": "not", "UAdd": "+", "USub": "-", "Eq": "==", "NotEq": "!=", "Lt": "<",
    "LtE": "<=", "Gt": ">", "GtE": ">=", "Is": "is", "IsNot": "is not", "In": "in",
    "NotIn": "not in",
}


class RawTreeBuilder:
    """Builds the raw tree of one `ast` node parsed from a `SourceLine`.

    `placement` says where the line sits in the parsed program (the frontend
    may wrap a fragment such as `else:` in lines of its own); by default the
    program is the line itself.
    """

    def __init__(self, source: SourceLine, placement: Optional[Placement] = None):
        self.source = source
        self.placement = placement or Placement.of("", source.text)
        self.length = len(source.text.encode("utf-8"))

    def build(self, root: ast.AST, drop: Iterable[str] = ()) -> Tree:
        """The raw tree of `root`, leaving out `root`'s fields named in `drop`."""
        built: dict[int, tuple[Key, Tree]] = {}
        for node in _postorder(root):
            built[id(node)] = self._node(node, built, drop if node is root else ())
        return built[id(root)][1]

    # -- positions ---------------------------------------------------------
    def _start(self, node: ast.AST) -> Key:
        if not hasattr(node, "lineno"):
            return None
        return self.placement.offset(node.lineno, node.col_offset)

    def _end(self, node: ast.AST) -> Key:
        return self.placement.offset(node.end_lineno, node.end_col_offset)

    def _surface(self, start: Key, end: Key) -> list[str]:
        """Surface tokens of the user's line between two offsets in it."""
        if start is None or end is None or start < 0 or end > self.length:
            return []
        return self.source.surface_between(start, end)

    def _operator(self, op: ast.AST, start: Key, end: Key) -> tuple[Key, Tree]:
        """An operator found between two positions: its key and `(Class surface)`."""
        name = type(op).__name__
        words = self._surface(start, end)
        key = start
        if words:
            key = next(t.start for t in self.source.tokens_between(start, end) if t.surface == words[0])
        return key, Tree(name, [" ".join(words) if words else _SYMBOLS[name]])

    # -- nodes -------------------------------------------------------------
    def _node(self, node: ast.AST, built: dict, drop: Iterable[str]) -> tuple[Key, Tree]:
        start = self._start(node)
        label = _CLASS_LABELS.get(type(node).__name__, type(node).__name__)
        if isinstance(node, _LITERALS):
            tokens = self._surface(start, self._end(node)) or [repr(getattr(node, "value", ""))]
            return start, Tree(label, [Tree("value", [Tree("token", [t]) for t in tokens])])
        items = self._items(node, built, drop)
        if start is None:
            start = min((k for k, _, _ in items if k is not None), default=None)
        return start, Tree(label, _group(_sorted_by_position(items, start)))

    def _items(self, node: ast.AST, built: dict, drop: Iterable[str]) -> list:
        """(key, field, child) for every element of every field, in field order."""
        special = _SPECIAL_ITEMS.get(type(node))
        if special is not None:
            return special(self, node, built)
        return self._plain_items(node, built, drop)

    def _plain_items(self, node: ast.AST, built: dict, drop: Iterable[str] = ()) -> list:
        items = []
        for field in _FIELD_ORDER.get(type(node).__name__, node._fields):
            if field not in _SKIPPED_FIELDS and field not in drop:
                items.extend(self._field_items(field, getattr(node, field, None), built))
        return items

    def _field_items(self, field: str, value, built: dict) -> list:
        if value is None or value == []:
            return [(None, field, None)]
        if field == "level":
            return [(None, field, "." * value)] if value else []
        if field == "is_async":
            return [(None, field, "async")] if value else []
        if isinstance(value, str):
            if "." in value:  # a dotted module name: import a.b, from a.b import c
                return [(None, field, Tree("DottedName", [Tree("identifier", [part]) for part in value.split(".")]))]
            return [(None, field, value)]
        if isinstance(value, ast.expr_context):
            return [(None, field, Tree(type(value).__name__))]
        if isinstance(value, list):
            out = []
            for element in value:
                if isinstance(element, str):
                    out.append((None, field, Tree("identifier", [element])))
                elif element is not None:
                    out.append((*built[id(element)][:1], field, built[id(element)][1]))
            return out
        if isinstance(value, ast.AST):
            key, tree = built[id(value)]
            return [(key, field, tree)]
        return []

    # -- nodes whose fields interleave in the source ------------------------
    def _binop_items(self, node: ast.BinOp, built: dict) -> list:
        left, right = built[id(node.left)], built[id(node.right)]
        key, op = self._operator(node.op, self._end(node.left), self._start(node.right))
        return [(left[0], "left", left[1]), (key, "op", op), (right[0], "right", right[1])]

    def _unaryop_items(self, node: ast.UnaryOp, built: dict) -> list:
        operand = built[id(node.operand)]
        key, op = self._operator(node.op, self._start(node), self._start(node.operand))
        return [(key, "op", op), (operand[0], "operand", operand[1])]

    def _augassign_items(self, node: ast.AugAssign, built: dict) -> list:
        target, value = built[id(node.target)], built[id(node.value)]
        key, op = self._operator(node.op, self._end(node.target), self._start(node.value))
        return [(target[0], "target", target[1]), (key, "op", op), (value[0], "value", value[1])]

    def _compare_items(self, node: ast.Compare, built: dict) -> list:
        left = built[id(node.left)]
        items = [(left[0], "left", left[1])]
        previous = node.left
        for op, operand in zip(node.ops, node.comparators):
            key, tree = self._operator(op, self._end(previous), self._start(operand))
            items.append((key, "ops", tree))
            items.append((built[id(operand)][0], "comparators", built[id(operand)][1]))
            previous = operand
        return items

    def _boolop_items(self, node: ast.BoolOp, built: dict) -> list:
        first = built[id(node.values[0])]
        items = [(first[0], "values", first[1])]
        for previous, operand in zip(node.values, node.values[1:]):
            key, tree = self._operator(node.op, self._end(previous), self._start(operand))
            items.append((key, "op", tree))
            items.append((built[id(operand)][0], "values", built[id(operand)][1]))
        return items

    def _matchclass_items(self, node: ast.MatchClass, built: dict) -> list:
        """`C(a, x=p)`: each keyword's name goes just before its pattern."""
        items = [(built[id(node.cls)][0], "cls", built[id(node.cls)][1])]
        items += [(built[id(p)][0], "patterns", built[id(p)][1]) for p in node.patterns]
        for name, pattern in zip(node.kwd_attrs, node.kwd_patterns):
            key, tree = built[id(pattern)]
            items += [(key, "kwd_attrs", Tree("identifier", [name])), (key, "kwd_patterns", tree)]
        return items

    def _arguments_items(self, node: ast.arguments, built: dict) -> list:
        """Parameters in source order, with the markers `/` and a bare `*` as elements of their own.

        `def f(a, /, b, *, c)` gives `(posonlyargs (Arg a)) (positional_only /)
        (args (Arg b)) (keyword_only *) (kwonlyargs (Arg c))`; `*args` and
        `**kwargs` stay in their fields `vararg` and `kwarg`. A marker has no
        position in `ast`: it sorts just before the first parameter after it.
        """
        items = self._plain_items(node, built)
        after_slash = [a for a in (*node.args[:1], node.vararg, *node.kwonlyargs[:1], node.kwarg) if a is not None]
        if node.posonlyargs:
            key = self._start(after_slash[0]) - 1 if after_slash else self.length
            items.append((key, "positional_only", "/"))
        if node.kwonlyargs and node.vararg is None:
            items.append((self._start(node.kwonlyargs[0]) - 1, "keyword_only", "*"))
        return items

    def _dict_items(self, node: ast.Dict, built: dict) -> list:
        """Keys and values in turn; `**d` (a key of None) is a `DictUnpack` node over its value."""
        items = []
        for key, value in zip(node.keys, node.values):
            value_key, value_tree = built[id(value)]
            if key is None:
                items.append((value_key, "values", Tree("DictUnpack", [Tree("value", [value_tree])])))
            else:
                items += [(*built[id(key)][:1], "keys", built[id(key)][1]), (value_key, "values", value_tree)]
        return items

    def _joinedstr_items(self, node: ast.JoinedStr, built: dict) -> list:
        """An f-string's parts in order: its literal text, as a string token, and its fields.

        Python 3.11 gives every part the position of the whole f-string, so
        the parts keep their order in `values` and take no position of their own.
        """
        return [(None, "values", _string_part(part) if isinstance(part, ast.Constant) else built[id(part)][1])
                for part in node.values]

    def _formattedvalue_items(self, node: ast.FormattedValue, built: dict) -> list:
        """`{x!r:>{w}.2f}`: the expression, `(conversion !r)`, `(format_spec (FormatSpec ...))`."""
        items = [(None, "value", built[id(node.value)][1])]
        if node.conversion != -1:
            items.append((None, "conversion", "!" + chr(node.conversion)))
        if node.format_spec is not None:
            parts = [Tree("text", [part.value]) if isinstance(part, ast.Constant) else built[id(part)][1]
                     for part in node.format_spec.values]
            items.append((None, "format_spec", Tree("FormatSpec", parts)))
        return items

    def _slice_items(self, node: ast.Slice, built: dict) -> list:
        """`a:b:c` with its colons as elements, so that `x[1:]` and `x[:1]` stay apart."""
        items, position, end = [], self._start(node), self._end(node)
        for field, colon in (("lower", True), ("upper", True), ("step", False)):
            value = getattr(node, field)
            if value is not None:
                key, tree = built[id(value)]
                items.append((key, field, tree))
                position = self._end(value)
            if colon:
                found = [t for t in self.source.tokens_between(position, end) if t.text == ":"][:1]
                if found:
                    items.append((found[0].start, "colon", Tree("Colon", [":"])))
                    position = found[0].end
        return items

    def _wildcard_items(self, node: ast.MatchAs | ast.MatchStar, built: dict) -> list:
        """`case _:` and `*_` hold the `_` that `ast` leaves out (name None)."""
        if node.name is None and getattr(node, "pattern", None) is None:
            return [(None, "name", "_")]
        return self._plain_items(node, built)


def _string_part(part: ast.Constant) -> Tree:
    """A literal piece of an f-string as a quoted string token: `f'a{b}'` -> `'a'`."""
    return Tree("Constant", [Tree("value", [Tree("token", [repr(part.value)])])])


_SPECIAL_ITEMS = {
    ast.BinOp: RawTreeBuilder._binop_items,
    ast.UnaryOp: RawTreeBuilder._unaryop_items,
    ast.AugAssign: RawTreeBuilder._augassign_items,
    ast.Compare: RawTreeBuilder._compare_items,
    ast.BoolOp: RawTreeBuilder._boolop_items,
    ast.MatchClass: RawTreeBuilder._matchclass_items,
    ast.arguments: RawTreeBuilder._arguments_items,
    ast.Dict: RawTreeBuilder._dict_items,
    ast.JoinedStr: RawTreeBuilder._joinedstr_items,
    ast.FormattedValue: RawTreeBuilder._formattedvalue_items,
    ast.Slice: RawTreeBuilder._slice_items,
    ast.MatchAs: RawTreeBuilder._wildcard_items,
    ast.MatchStar: RawTreeBuilder._wildcard_items,
}


def _children(node: ast.AST) -> list[ast.AST]:
    """The `ast` nodes below `node` that become nodes of the raw tree."""
    if isinstance(node, _LITERALS):
        return []
    out = []
    for field, value in ast.iter_fields(node):
        if field in _SKIPPED_FIELDS or field == "ctx":
            continue
        for item in value if isinstance(value, list) else (value,):
            if isinstance(item, ast.AST) and not isinstance(item, _OPERATOR_TYPES):
                out.append(item)
    return out


def _postorder(root: ast.AST) -> list[ast.AST]:
    """Nodes with every node after all of its descendants, without recursion."""
    order: list[ast.AST] = []
    stack = [root]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(_children(node))
    order.reverse()
    return order


def _sorted_by_position(items: list, start: Key) -> list:
    """Stable sort by position; an element without one keeps its predecessor's."""
    keyed, last = [], start or 0
    for key, field, child in items:
        last = key if key is not None else last
        keyed.append((last, field, child))
    return sorted(keyed, key=lambda item: item[0])


def _group(items: list) -> list[Child]:
    """Consecutive elements of the same field become one field node."""
    fields: list[Tree] = []
    current_field, members = None, []
    for _, field, child in items:
        if field != current_field and current_field is not None:
            fields.append(Tree(current_field, members))
            members = []
        current_field = field
        if child is not None:
            members.append(child)
    if current_field is not None:
        fields.append(Tree(current_field, members))
    return fields
