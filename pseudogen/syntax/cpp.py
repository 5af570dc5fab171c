"""The C++ frontend: one line of code in, one tree out, with tree-sitter.

`parse_raw(line)` parses the line with tree-sitter's C++ grammar
(`tree-sitter` and `tree-sitter-cpp` from PyPI) and converts the subtree that
holds it to a raw tree; `parse(line)` then applies `rules/cpp.rules`
(`rewrite.RuleSet`).

A line of a C++ program is seldom a whole construct: `for (int i = 0; i < n;
i++) {` opens a block that a later line closes, `} else {` closes one and
opens another, `case 1:` needs a `switch`, `int main() {` only stands at file
scope. Like the Python frontend, this one completes the line into a small
program that the grammar accepts, then picks the line's part back out:

    line                      completed as (the line in the middle)
    cin >> a >> b;            void _() { ... }                 a statement
    for (...) {               void _() { ... }}                braces closed
    for (...)                 void _() { ... ; }               an empty body
    } else if (x) {           void _() { if (_) { ... }}}      the `if` it follows
    } while (x);              void _() { do { ... }            the `do` it ends
    else                      void _() { if (_) ; ... ; }
    case 1:                   void _() { switch (_) { ... }}
    int main() {              ... }                            file scope
    struct node {             ... };                           file scope
    public:                   struct _ { ... };                a class body

The completions are tried in turn (a function body first, then file scope,
then a class body) and the first that parses with no ERROR or MISSING node is
taken. A line that none completes raises `PseudogenError` (`cannot parse as
C++: ...`), so training skips it and translation marks it.

The raw tree is the tree-sitter subtree that spans the line's tokens: the
smallest named node that holds them all, with every token outside the line
(the completion's) left out. Named nodes keep tree-sitter's type as label;
each token is a preterminal, labelled with its node type (`(identifier x)`,
`(number_literal 0)`, `(primitive_type int)`) or, for keywords, operators and
punctuation, with its own text (`(for for)`, `(<< <<)`, `(";" ;)`). String
and character literals are one token each, as written (`(string_literal "a b")`).
The braces that open or close a block (`{` of a compound statement, a class
or namespace body) and comments are layout, not tokens: they are not in the
tree, so `} else {` is `(else_clause (else else))`. The leaves, left to right,
are the line's other tokens, exactly as written.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, NamedTuple, Optional

from pseudogen.errors import PseudogenError
from pseudogen.syntax.rewrite import RuleSet
from pseudogen.syntax.tree import Tree

# Node types that are one token however tree-sitter splits them inside.
WHOLE_TOKENS = frozenset({
    "string_literal", "char_literal", "raw_string_literal", "user_defined_literal", "system_lib_string",
    "number_literal", "preproc_arg",
})
# Nodes whose `{` and `}` delimit a block (layout), not a value (`{1, 2}` keeps its braces).
BLOCKS = frozenset({"compound_statement", "field_declaration_list", "declaration_list"})
BRACES = frozenset({"{", "}"})
# Tokens that only delimit (rules/cpp.rules drops them: the node around them says what they mean).
PUNCTUATION = frozenset({"(", ")", "[", "]", "{", "}", ",", ";", ":", ".", "->", "::", "..."})
TEMPLATE_LISTS = frozenset({"template_argument_list", "template_parameter_list"})  # their `<` `>` are brackets
COMMENT = "comment"

# A leading `}` closes the block of the construct that the next keyword continues.
_OPENER_FOR = {"else": "if (_) {", "while": "do {", "catch": "try {"}
_STATEMENT_KEYWORDS = frozenset({"if", "for", "while", "else", "do", "switch"})

_FUNCTION = ("void _() {\n;\n", "\n}")  # `;` first: `void _() {{}}` would read as an initializer
_FILE = ("", "\n")
_CLASS = ("struct _ {\n", "\n};")

MAX_LINE_BYTES = 100_000

CONSTRUCTS = (
    "declaration", "assignment", "input", "output", "call/expression", "if/else", "for", "while",
    "switch/case", "return", "break/continue", "function", "class/struct", "preprocessor/using", "other",
)
_GROUPS = {
    "declaration": "declaration", "field_declaration": "declaration", "type_definition": "declaration",
    "alias_declaration": "declaration", "if_statement": "if/else", "else_clause": "if/else",
    "for_statement": "for", "for_range_loop": "for", "while_statement": "while", "do_statement": "while",
    "switch_statement": "switch/case", "case_statement": "switch/case", "return_statement": "return",
    "break_statement": "break/continue", "continue_statement": "break/continue", "goto_statement": "break/continue",
    "function_definition": "function", "template_declaration": "function", "struct_specifier": "class/struct",
    "class_specifier": "class/struct", "access_specifier": "class/struct", "using_declaration": "preprocessor/using",
    "namespace_definition": "preprocessor/using",
}
# The first token of an expression that reads or writes a stream.
_STREAMS = {"cin": "input", "scanf": "input", "getline": "input", "getchar": "input", "gets": "input",
            "cout": "output", "cerr": "output", "printf": "output", "puts": "output", "putchar": "output"}


class Completion(NamedTuple):
    """A program around the line: `before` + line + `after`."""

    before: str
    after: str


class CppFrontend:
    """C++ lines (statements and their fragments) to trees; `rules_path` overrides the rules file."""

    language = "cpp"

    def __init__(self, rules_path: Optional[str | Path] = None):
        if rules_path is None:
            from pseudogen.syntax.frontends import rules_path as default_rules
            rules_path = default_rules(self.language)
        self.rules_path = Path(rules_path)
        self.rules = RuleSet.load(self.rules_path)

    def parse(self, line: str) -> Tree:
        """The concrete tree of one line: the raw tree rewritten by the rules file."""
        tree = self.rules.apply(self.parse_raw(line))
        if not tree.leaves():  # punctuation alone, such as `<>`
            raise PseudogenError("nothing to translate: the line holds only punctuation")
        return tree

    def parse_raw(self, line: str) -> Tree:
        """The tree of one line straight from tree-sitter, before the rules file."""
        parsed = parse_line(line)
        return convert(parsed.node, parsed.keeps)

    def tokens(self, line: str) -> list[str]:
        """The line's tokens as tree-sitter's lexer reads them, less comments and punctuation: what the leaves of
        the concrete tree carry."""
        parsed = parse_line(line)
        return [text for node, text in _tokens_in(parsed.program_root, parsed.keeps)
                if text not in PUNCTUATION and not (text in "<>" and node.parent.type in TEMPLATE_LISTS)]

    constructs = CONSTRUCTS

    def construct(self, line: str) -> str:
        """The construct group of a line (one of `CONSTRUCTS`), for scores by construct."""
        try:
            return construct_of_tree(self.parse_raw(line))
        except PseudogenError:
            return "other"


# -- constructs ---------------------------------------------------------------------------

def construct_of_tree(tree: Tree) -> str:
    """The construct group of a raw tree, by its root's type (and, for an expression, what it does)."""
    label = tree.label
    if label == "expression_statement" and tree.children and isinstance(tree.children[0], Tree):
        tree, label = tree.children[0], tree.children[0].label
    if label in _GROUPS:
        return _GROUPS[label]
    if label.startswith("preproc_"):
        return "preprocessor/using"
    first = tree.leaves()[0] if tree.leaves() else ""
    if label in ("binary_expression", "call_expression") and first in _STREAMS:
        return _STREAMS[first]
    if label in ("assignment_expression", "update_expression"):
        return "assignment"
    return "call/expression" if label.endswith("_expression") else "other"


# -- tree-sitter ------------------------------------------------------------------------

_PARSER = None


def parser():
    """The tree-sitter parser for C++ (one per process)."""
    global _PARSER
    if _PARSER is None:
        try:
            import tree_sitter
            import tree_sitter_cpp
        except ImportError:
            raise PseudogenError("the C++ frontend needs the tree-sitter and tree-sitter-cpp packages "
                                 "(pip install 'pseudogen[cpp]')") from None
        _PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_cpp.language()))
    return _PARSER


class ParsedLine(NamedTuple):
    """A line parsed inside a completion: the program's root, the line's node, its byte span."""

    program_root: object
    node: object
    start: int
    end: int

    def keeps(self, token) -> bool:
        """Whether a token node is one of the line's tokens (not the completion's, no layout)."""
        if token.start_byte < self.start or token.end_byte > self.end or token.type == COMMENT:
            return False
        return not (token.type in BRACES and token.parent is not None and token.parent.type in BLOCKS)


def parse_line(line: str) -> ParsedLine:
    """The line parsed in the first completion that the grammar accepts without errors."""
    text = line.strip()
    data = text.encode("utf-8", "surrogatepass")
    if len(data) > MAX_LINE_BYTES:
        raise PseudogenError(f"line too long to parse ({len(data)} bytes; the limit is {MAX_LINE_BYTES})")
    if not text.strip("{}; \t"):
        raise PseudogenError("nothing to translate: the line holds only braces" if text else "an empty line")
    first_error = None
    for completion in completions(text):
        prefix = completion.before.encode("utf-8")
        tree = parser().parse(prefix + data + completion.after.encode("utf-8"))
        root = tree.root_node
        if root.has_error:
            first_error = first_error or _error_message(root, len(prefix), len(prefix) + len(data))
            continue
        parsed = ParsedLine(root, None, len(prefix), len(prefix) + len(data))
        kept = list(_token_nodes(root, parsed.keeps))
        if not kept:
            raise PseudogenError("nothing to translate: the line holds only braces or comments")
        node = root.named_descendant_for_byte_range(kept[0].start_byte, kept[-1].end_byte)
        return parsed._replace(node=node)
    raise PseudogenError(f"cannot parse as C++: {first_error}")


def completions(text: str) -> Iterator[Completion]:
    """The programs to try around a line, most likely first."""
    closing, rest = _leading_closers(text)
    opening = _net_openers(text)
    word = _first_word(rest)
    before = ""
    if closing:
        before = "{\n" * (closing - 1) + _OPENER_FOR.get(word, "{") + "\n"
    elif word == "else":
        before = "if (_) ;\n"
    elif word in ("case", "default"):
        before, opening = "switch (_) {\n", opening + 1
    after = "\n" + "}" * opening
    bodies = [""]
    if word in _STATEMENT_KEYWORDS and not opening and not text.endswith((";", "}")):
        bodies = [" ;", ""] if word != "do" else [" ; while (_);"]
    elif word == "do" and opening:
        after = "\n" + "}" * opening + " while (_);"
    for body in bodies:
        yield Completion(_FUNCTION[0] + before, body + after + _FUNCTION[1])
    if not closing and word not in ("else", "case", "default"):
        yield Completion(_FILE[0], after + _FILE[1])
        if opening:
            yield Completion(_FILE[0], after + ";" + _FILE[1])
        yield Completion(_CLASS[0], after + _CLASS[1])
    # A line of a statement written over several lines: its start, its end, or a list's items.
    function_before = _FUNCTION[0] + before
    if not text.endswith((";", "{", "}")):
        yield Completion(function_before, " ;" + after + _FUNCTION[1])
    if not word:
        yield Completion(function_before + "_ ", after + _FUNCTION[1])
        yield Completion(function_before + "_ ", " ;" + after + _FUNCTION[1])
    yield Completion(function_before + "int _[] = {\n", after + "};" + _FUNCTION[1])


def _leading_closers(text: str) -> tuple[int, str]:
    """How many `}` start the line, and the rest of it."""
    count = 0
    rest = text
    while rest.startswith("}"):
        count += 1
        rest = rest[1:].lstrip()
    return count, rest


def _first_word(text: str) -> str:
    """The leading identifier or keyword of `text` ("" when it starts with a symbol)."""
    end = 0
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    return text[:end]


def _net_openers(text: str) -> int:
    """`{` minus `}` outside literals and comments (at least 0), after the leading `}`s."""
    depth = 0
    _, rest = _leading_closers(text)
    quote = None
    index = 0
    while index < len(rest):
        char = rest[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif rest.startswith("//", index):
            break
        elif char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        index += 1
    return depth


def _error_message(root, start: int, end: int) -> str:
    """What tree-sitter found wrong, for the first ERROR or MISSING node (in the line if one is)."""
    problems = [n for n in descendants(root) if n.is_missing or n.type == "ERROR"]
    inside = [n for n in problems if start <= n.start_byte <= end] or problems
    if not inside:
        return "syntax error"
    node = inside[0]
    if node.is_missing:
        return f"missing {node.type!r}"
    text = node.text.decode("utf-8", "replace") if node.start_byte >= start else ""
    word = text.split()[0] if text.split() else ""
    return f"syntax error (near {word!r})" if word else "syntax error"


def descendants(root) -> Iterator:
    """Every node under a tree-sitter node (itself first), in source order."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def _token_nodes(root, keep) -> Iterator:
    """The token nodes under `root` that `keep` accepts, left to right."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.child_count == 0 or node.type in WHOLE_TOKENS:
            if keep(node):
                yield node
        elif node.start_byte < node.end_byte or node.child_count:
            stack.extend(reversed(node.children))


def _tokens_in(root, keep) -> Iterator[tuple[object, str]]:
    for node in _token_nodes(root, keep):
        yield node, node.text.decode("utf-8", "surrogatepass")


# -- the raw tree -------------------------------------------------------------------------

def convert(node, keep) -> Tree:
    """The raw tree of `node`: named nodes as nodes, kept tokens as preterminals (no recursion)."""
    done: dict[int, Optional[Tree]] = {}
    stack = [(node, False)]
    while stack:
        current, expanded = stack.pop()
        if current.child_count == 0 or current.type in WHOLE_TOKENS:
            done[current.id] = _token(current) if keep(current) else None
        elif not expanded:
            stack.append((current, True))
            stack.extend((child, False) for child in reversed(current.children))
        else:
            children = [done.pop(child.id) for child in current.children]
            kept = [child for child in children if child is not None]
            done[current.id] = Tree(current.type, kept) if kept else None
    tree = done[node.id]
    if tree is None:
        raise PseudogenError("nothing to translate: the line holds only braces or comments")
    return tree


def _token(node) -> Tree:
    text = node.text.decode("utf-8", "surrogatepass")
    label = node.type if node.is_named else text
    return Tree(label, [text])
