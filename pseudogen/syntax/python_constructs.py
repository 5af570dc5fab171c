"""The statement type of a line of Python, to break scores down by construct.

A corpus-level BLEU hides where a generator is weak; grouping sentences by the
kind of statement they describe (assignments, calls, `if`, `for`, `def`,
imports, ...) shows it. A line is classified in two steps:

1. By its first keyword, for statements whose body or header does not parse on
   its own: ``elif x :``, ``else :``, ``except ValueError :``, a decorator, or
   a compound header such as ``def f ( x ) :`` with its body on later lines.
2. Otherwise by the type of the statement Python's own parser (`ast`) finds;
   the names are those of `ast` node classes, which are also the root labels
   of the Python frontend's trees (`construct_of_label` maps those too,
   including its fragment labels `Elif`, `Else`, `ExceptHandler`, `Finally`,
   `Decorator`).

A line that does not parse (a fragment of a statement that spans lines) falls
back to its tokens: an ``=`` token makes an assignment, ``+=`` and the like an
augmented assignment; anything else is ``other``.

That is Python's grouping, which `PythonFrontend.construct` gives. Every
frontend has its own (`constructs`, `construct(line)`);
`pseudogen.evaluate.constructs.classifier(language)` finds a language's.
"""
from __future__ import annotations

import ast

CONSTRUCTS = (
    "assignment", "augmented assignment", "call/expression", "if/elif/else", "for", "while", "def",
    "class", "import", "return", "raise", "try/except/finally", "with", "other",
)

LABEL_GROUPS = {
    "Assign": "assignment", "AnnAssign": "assignment", "AugAssign": "augmented assignment",
    "Expr": "call/expression", "If": "if/elif/else", "For": "for", "AsyncFor": "for", "While": "while",
    "FunctionDef": "def", "AsyncFunctionDef": "def", "ClassDef": "class",
    "Import": "import", "ImportFrom": "import", "Return": "return", "Raise": "raise",
    "Try": "try/except/finally", "TryStar": "try/except/finally", "With": "with", "AsyncWith": "with",
    # the Python frontend's labels for fragments (docs/frontends.md)
    "Elif": "if/elif/else", "Else": "if/elif/else", "ExceptHandler": "try/except/finally",
    "Finally": "try/except/finally", "Decorator": "def",
}

KEYWORD_GROUPS = {
    "if": "if/elif/else", "elif": "if/elif/else", "else": "if/elif/else",
    "for": "for", "while": "while", "def": "def", "@": "def", "class": "class",
    "import": "import", "from": "import", "return": "return", "raise": "raise",
    "try": "try/except/finally", "except": "try/except/finally", "finally": "try/except/finally",
    "with": "with",
}

AUGMENTED_OPERATORS = frozenset({"+=", "-=", "*=", "/=", "//=", "%=", "**=", ">>=", "<<=", "&=", "^=", "|=", "@="})


def construct_of_label(label: str) -> str:
    """The construct group of an `ast` node type name (a frontend tree's root label).

    An expression label (the frontend's rules drop the `Expr` wrapper of an
    expression statement, leaving `Call`, `Yield`, ...) is a call/expression.
    """
    if label in LABEL_GROUPS:
        return LABEL_GROUPS[label]
    node_type = getattr(ast, label, None)
    if isinstance(node_type, type) and issubclass(node_type, ast.expr):
        return "call/expression"
    return "other"


def _first_keyword(words: list[str]) -> str:
    first = words[0]
    if first == "async" and len(words) > 1:
        first = words[1]
    if first.startswith("@"):
        return "@"
    return first.rstrip(":")


def _by_tokens(words: list[str]) -> str:
    if any(word in AUGMENTED_OPERATORS for word in words):
        return "augmented assignment"
    if "=" in words:
        return "assignment"
    return "other"


def construct_of(code_line: str) -> str:
    """The construct group of one line of Python code."""
    text = code_line.strip()
    words = text.split()
    if not words:
        return "other"
    keyword = _first_keyword(words)
    if keyword in KEYWORD_GROUPS:
        return KEYWORD_GROUPS[keyword]
    try:
        module = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _by_tokens(words)
    if len(module.body) != 1:
        return "other"
    return construct_of_label(type(module.body[0]).__name__)

