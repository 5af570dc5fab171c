"""multiese: Python code with Japanese descriptions written as templates, imported as a parallel corpus.

The multiese corpus (Kuramitsu lab, github.com/KuramitsuLab/multiese, folder
`new_corpus/`, MIT) is Python source, not a parallel file. In each `_*.py` file
a statement (often a bare expression such as `aList.append(element)`) is
followed by a `'''` block of Japanese descriptions of it, each a template for
many sentences, and of `@` annotations:

    len(__X__)
    '''
    @alt(長さ|要素数|個数)
    __Y__の長さ[|を見る]
    '''

How this importer reads the notation:

- **Templates**: `[a|b]` is one of the alternatives, `{a|b}` chunks in a free
  order, written as given (`corpus.multiese_template`).
- **Synonyms**: `@alt(a|b|c)` in a block makes every later `a` in the
  descriptions of that file (this block's included) one of a, b, c; the first
  alternative is the key. `alt.txt` declares synonyms for the whole corpus, one
  list a line (`a|b|c`, or `@alt(a|b|c)`); a line without `|` names the list
  on the next line: a name with `_` in it (`が_`) is that list's key, any
  other (`find`) only a label. A `_` marks where a synonym list applies
  (`で_`); a `_` left after a Japanese character is not text and is dropped.
  Keys are replaced in one pass, longest first, so a replacement is never
  replaced again.
- **Substitution**: `__X__` in the code and `__Y__` in its descriptions, with
  `@X(x1;x2)` and `@Y(y1;y2)` (lists split at `;`, else at `|` outside
  brackets and quotes), give one code line per x with that x's y in the
  descriptions. The lists hold for the rest of the file or until the next
  `@X`/`@Y`; lists of unequal length are reported and not used.
- **Annotations**: other `@name(...)` lines (`@test`, `@prefix`, ...) are not
  text. Lines starting `option:` describe one keyword argument (`end=''`),
  not a statement, and are left out.
- **Code**: the statement right above a block. Of a compound statement (`for
  k in d:` with its body) it is the header line, since pseudo-code is written
  per header and the description says what the construct does; a statement
  over several lines is joined into one; comments are dropped. Statements with
  no block (the variables defined at the top of each file) are not pairs.
  Descriptions refer to those variables by their names (`文字列`, `aList`),
  which are identifiers of the code, so a model learns to copy them.

**Variants**: a template can stand for thousands of sentences, and a line
with many alternatives would drown the others, so each code line keeps at most
`variants`: first each of its descriptions as written (the first alternative
of every choice), then distinct variants drawn at random, round robin over its
descriptions. The same code line from several blocks or files is one code line
with their descriptions pooled. The draw is seeded by the code line, so an
import is reproducible.

**Split**: by code line, never by pair: a seeded hash of the code line
(sha256 of `seed` and the line, read as a fraction in [0, 1)) puts it in
train (below 0.8), dev (below 0.9) or test, with all its variants, so no code
line is in two splits, and adding or removing a line moves no other.

Every code line is parsed with the Python frontend; one that does not parse is
reported and left out. An irregular line (unbalanced brackets, a `|` outside
them, a block with no statement above it, a malformed `@alt`) is reported to
`on_warning` with its `file:line` and left out; the import goes on.
"""
from __future__ import annotations

import ast
import hashlib
import io
import random
import re
import shutil
import tokenize
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pseudogen.corpus.multiese_template import count_variants, parse_template, variant
from pseudogen.corpus.parallel import SPLITS, Pair, read_lines, write_split
from pseudogen.errors import PseudogenError

DEFAULT_VARIANTS = 4
#: The upper ends of train and dev on the [0, 1) scale of the code line's hash; test is the rest.
SPLIT_BOUNDS = (("train", 0.8), ("dev", 0.9), ("test", 1.0))
_QUOTES = ("'''", '"""')
_COMPOUND = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.FunctionDef,
             ast.AsyncFunctionDef, ast.ClassDef, ast.Match, *((ast.TryStar,) if hasattr(ast, "TryStar") else ()))
_MARKER = re.compile(r"(?<=[^\x00-\x7f])_+")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")

Warn = Callable[[PseudogenError], None]


@dataclass
class Description:
    """One description template of one code line, and where it was written."""

    code: str
    template: str
    place: str


@dataclass
class ImportReport:
    """What `import_multiese` wrote and left out."""

    pairs: dict[str, int] = field(default_factory=dict)
    code_lines: dict[str, int] = field(default_factory=dict)
    descriptions: int = 0
    unparsable: int = 0
    warnings: int = 0
    keyword_options: int = 0

    def summary(self) -> str:
        splits = ", ".join(f"{split} {self.pairs[split]} pairs / {self.code_lines[split]} code lines"
                           for split in SPLITS)
        notes = [f"{self.descriptions} descriptions", f"{self.unparsable} code lines that do not parse left out",
                 f"{self.keyword_options} keyword-option descriptions left out", f"{self.warnings} warnings"]
        return f"{splits} ({'; '.join(notes)})"


# --- reading the files ----------------------------------------------------------------


@dataclass
class _Block:
    """A `'''` block: the code lines above it and its body lines, with line numbers."""

    path: Path
    line: int
    code: list[str]
    body: list[tuple[int, str]]

    @property
    def place(self) -> str:
        return f"{self.path}:{self.line}"


def read_blocks(path: Path, warn: Warn) -> Iterator[_Block]:
    """The blocks of one corpus file in order; the code above each is the run of non-blank lines before it."""
    lines = read_lines(path)
    number, code_start = 0, 0
    while number < len(lines):
        if lines[number].strip() not in _QUOTES:
            if not lines[number].strip():
                code_start = number + 1
            number += 1
            continue
        end = next((n for n in range(number + 1, len(lines)) if lines[n].strip() in _QUOTES), None)
        if end is None:
            warn(PseudogenError("a ''' block that is never closed: the rest of the file is left out",
                                f"{path}:{number + 1}"))
            return
        code = [line for line in lines[code_start:number] if not line.lstrip().startswith("#")]
        yield _Block(path, number + 1, code, [(n + 1, lines[n]) for n in range(number + 1, end)])
        number = code_start = end + 1


def statement_of(code_lines: list[str]) -> tuple[str, int]:
    """The one-line code of the last statement of `code_lines` (a compound statement's header, comments
    dropped), and how many leading lines were left out because the code from them on is not Python."""
    if not code_lines:
        raise PseudogenError("no statement above the block")
    for dropped in range(len(code_lines)):
        try:
            module = ast.parse("\n".join(code_lines[dropped:]))
        except SyntaxError as err:
            error = err.msg
            continue
        if not module.body:
            raise PseudogenError("no statement above the block")
        return _one_statement(module.body[-1], code_lines[dropped:]), dropped
    raise PseudogenError(f"the code above the block is not Python ({error})")


def _one_statement(statement: ast.stmt, lines: list[str]) -> str:
    first, last = statement.lineno - 1, statement.end_lineno - 1
    if isinstance(statement, _COMPOUND):
        body = _body_of(statement)[0]
        last = body.lineno - 2
        if last < first:  # `if x: y` on one line
            return _one_line([lines[first][statement.col_offset:body.col_offset]])
    text = lines[first:last + 1]
    text[0] = text[0][statement.col_offset:]
    return _one_line(text)


def _body_of(statement: ast.stmt) -> list[ast.stmt]:
    if isinstance(statement, ast.Match):
        return statement.cases[0].body
    return statement.body


def _one_line(lines: list[str]) -> str:
    """Physical lines of one statement (or header) as one line: comments and continuations dropped."""
    source = "\n".join(lines)
    comments = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source + "\n").readline):
            if token.type == tokenize.COMMENT:
                comments.append(token.start)
    except (tokenize.TokenError, SyntaxError):
        pass
    cut = source.split("\n")
    for row, column in reversed(comments):
        cut[row - 1] = cut[row - 1][:column]
    return " ".join(part.strip().removesuffix("\\").strip() for part in cut if part.strip())


# --- annotations ------------------------------------------------------------------------


def split_list(argument: str) -> list[str]:
    """The items of an `@X(...)`/`@Y(...)` list: at `;` if it has one, else at `|`, outside brackets and quotes."""
    separator = ";" if ";" in _top_level(argument) else "|"
    items, start = [], 0
    for position, char in _top_level_chars(argument):
        if char == separator:
            items.append(argument[start:position].strip())
            start = position + 1
    items.append(argument[start:].strip())
    return items


def _top_level(text: str) -> str:
    """The characters of `text` outside brackets and quotes."""
    return "".join(char for _, char in _top_level_chars(text))


def _top_level_chars(text: str) -> Iterator[tuple[int, str]]:
    """(position, character) of each character of `text` outside brackets and quotes (the brackets and quote marks
    themselves left out)."""
    depth, quote = 0, None
    for position, char in enumerate(text):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0:
            yield position, char


def _annotation(line: str) -> tuple[str, str] | None:
    """(name, argument) of an `@name(argument)` line, None if it is not of that form."""
    match = re.fullmatch(r"@(\w+)\((.*)\)", line)
    return (match.group(1), match.group(2)) if match else None


def _synonyms(argument: str) -> tuple[str, str]:
    """(key, `[a|b|c]` template) of an `@alt` argument, `a|b|c` or `key=a|b|c` or `key=[a|b|c]`;
    PseudogenError when it is malformed."""
    named = re.fullmatch(r"([^=\[\]{}|]+)=(.+)", argument)
    if named:
        key, alternatives = named.group(1).strip(), named.group(2).replace("_", "")
        template = alternatives if _is_one_choice(alternatives) else f"[{alternatives}]"
    else:
        if "|" not in _top_level(argument):
            raise PseudogenError(f"@alt({argument}) lists no alternatives")
        key, template = split_list(argument)[0], "[" + argument.replace("_", "") + "]"
    parse_template(template)  # balanced, or an error
    if not key or any(char in key for char in "[]{}"):
        raise PseudogenError(f"@alt({argument}) needs a plain word first, the word it replaces")
    return key, template


def _is_one_choice(text: str) -> bool:
    """Whether `text` is one bracketed choice from its first character to its last."""
    if not (text.startswith("[") and text.endswith("]")):
        return False
    depth = 0
    for position, char in enumerate(text):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth == 0 and position < len(text) - 1:
            return False
    return True


def read_alt_file(path: Path, warn: Warn) -> dict[str, str]:
    """The corpus-wide synonym lists of `alt.txt`: key -> `[a|b|c]` template."""
    synonyms: dict[str, str] = {}
    name: str | None = None
    for number, raw in enumerate(read_lines(path), 1):
        line = raw.strip()
        annotation = _annotation(line)
        argument = annotation[1] if annotation and annotation[0] == "alt" else line
        if line and "|" not in argument:
            name = line
            continue
        if line:
            if _is_one_choice(argument):
                argument = argument[1:-1]
            try:
                key, template = _synonyms(argument)
            except PseudogenError as err:
                warn(PseudogenError(err.message, f"{path}:{number}"))
            else:
                synonyms[name if name and "_" in name else key] = template
        name = None
    return synonyms


class _Synonyms:
    """Synonym lists in force, and the one-pass replacement of their keys in a description."""

    def __init__(self, lists: dict[str, str]):
        self.lists = dict(lists)
        self._pattern: re.Pattern | None = None

    def add(self, key: str, template: str) -> None:
        self.lists[key] = template
        self._pattern = None

    def apply(self, text: str) -> str:
        if not self.lists:
            return text
        if self._pattern is None:
            keys = sorted(self.lists, key=len, reverse=True)
            self._pattern = re.compile("|".join(map(re.escape, keys)))
        return self._pattern.sub(lambda match: self.lists[match.group()], text)


# --- descriptions of a file -------------------------------------------------------------


@dataclass
class _FileState:
    synonyms: _Synonyms
    xs: list[str] | None = None
    ys: list[str] | None = None
    keyword_options: int = 0


def read_descriptions(path: Path, state: _FileState, warn: Warn) -> Iterator[Description]:
    """The (code line, description template) pairs of one corpus file, synonyms and `__X__`/`__Y__` applied;
    the file's annotations update `state` as they come."""
    for block in read_blocks(path, warn):
        texts = _read_body(block, state, warn)
        if not texts:
            continue
        try:
            code, dropped = statement_of(block.code)
        except PseudogenError as err:
            warn(PseudogenError(f"{err.message}: the block is left out", block.place))
            continue
        if dropped:
            warn(PseudogenError(f"the {dropped} line(s) above {code!r} are not Python: ignored", block.place))
        yield from _substituted(code, texts, block, state, warn)


def _read_body(block: _Block, state: _FileState, warn: Warn) -> list[tuple[int, str]]:
    """The description lines of a block; its annotations change `state`."""
    texts = []
    for number, raw in block.body:
        line = raw.strip()
        place = f"{block.path}:{number}"
        if not line:
            continue
        if line.startswith("option:"):
            state.keyword_options += 1
        elif line.startswith("@"):
            _read_annotation(line, place, state, warn)
        else:
            texts.append((number, line))
    return texts


def _read_annotation(line: str, place: str, state: _FileState, warn: Warn) -> None:
    annotation = _annotation(line)
    if annotation is None:
        warn(PseudogenError(f"{line!r} is not of the form @name(...): left out", place))
        return
    name, argument = annotation
    if name == "alt":
        try:
            state.synonyms.add(*_synonyms(argument))
        except PseudogenError as err:
            warn(PseudogenError(f"{err.message}: left out", place))
    elif name in ("X", "Y"):
        setattr(state, name.lower() + "s", split_list(argument))
        if state.xs is not None and state.ys is not None and len(state.xs) != len(state.ys) and name == "Y":
            warn(PseudogenError(f"@X lists {len(state.xs)} items but @Y {len(state.ys)}: the code lines with "
                                "__X__ that follow are left out until both are given again", place))


def _substituted(code: str, texts: list[tuple[int, str]], block: _Block, state: _FileState,
                 warn: Warn) -> Iterator[Description]:
    """The descriptions of one block, once per `__X__` value when the code has `__X__`."""
    for number, text in texts:
        if "__X__" in text:
            warn(PseudogenError("__X__ (the code's placeholder) in a description, where __Y__ belongs: left out",
                                f"{block.path}:{number}"))
    texts = [(number, text) for number, text in texts if "__X__" not in text]
    if "__X__" not in code:
        for number, text in texts:
            if "__Y__" in text:
                warn(PseudogenError("__Y__ in a description of code without __X__: left out",
                                    f"{block.path}:{number}"))
            else:
                yield Description(code, state.synonyms.apply(text), f"{block.path}:{number}")
        return
    if state.xs is None or state.ys is None or len(state.xs) != len(state.ys):
        warn(PseudogenError("code with __X__ but no @X and @Y lists of equal length before it: left out",
                            block.place))
        return
    for x, y in zip(state.xs, state.ys):
        for number, text in texts:
            yield Description(code.replace("__X__", x), state.synonyms.apply(text.replace("__Y__", y)),
                              f"{block.path}:{number}")


# --- variants and the split ----------------------------------------------------------------


def clean(sentence: str) -> str:
    """A written-out variant as text: `_` markers after Japanese dropped, runs of spaces made one."""
    return " ".join(_MARKER.sub("", sentence).split())


def choose_variants(templates: list[str], limit: int, seed: str) -> list[str]:
    """At most `limit` distinct sentences of the templates: each as written first, then random ones in turn."""
    parsed = [parse_template(template) for template in templates]
    rng = random.Random(seed)
    draws = [_draw_order(template, limit, rng) for template in parsed]
    chosen: list[str] = []
    seen: set[str] = set()
    for round_ in range(limit + 1):
        for template, order in zip(parsed, draws):
            if round_ < len(order) and len(chosen) < limit:
                sentence = clean(variant(template, order[round_]))
                if sentence and sentence not in seen:
                    seen.add(sentence)
                    chosen.append(sentence)
    return chosen


def _draw_order(template, limit: int, rng: random.Random) -> list[int]:
    """Variant 0 (the template as written), then up to `limit` other variant numbers drawn without repetition."""
    count = count_variants(template)
    others = rng.sample(range(1, count), min(limit, count - 1)) if count > 1 else []
    return [0, *others]


def split_of(code: str, seed: int = 0) -> str:
    """The split of a code line, from a seeded hash of it."""
    digest = hashlib.sha256(f"{seed}\0{code}".encode("utf-8")).digest()
    fraction = int.from_bytes(digest[:8], "big") / 2**64
    return next(split for split, bound in SPLIT_BOUNDS if fraction < bound)


# --- the import ---------------------------------------------------------------------------


def corpus_files(source: Path) -> list[Path]:
    """The `_*.py` files of a multiese folder, in name order."""
    source = Path(source)
    if not source.is_dir():
        raise PseudogenError("no such directory", str(source))
    files = sorted(source.glob("_*.py"))
    if not files:
        raise PseudogenError("no _*.py corpus files here (is this the multiese new_corpus folder?)", str(source))
    return files


def collect_descriptions(source: Path, warn: Warn) -> tuple[dict[str, list[Description]], int]:
    """Every code line of the folder with its description templates, in order of first appearance; and the
    number of keyword-option descriptions left out."""
    source = Path(source)
    alt_file = source / "alt.txt"
    corpus_synonyms = read_alt_file(alt_file, warn) if alt_file.is_file() else {}
    by_code: dict[str, list[Description]] = {}
    options = 0
    for path in corpus_files(source):
        state = _FileState(_Synonyms(corpus_synonyms))
        for description in read_descriptions(path, state, warn):
            if not _JAPANESE.search(description.template):
                warn(PseudogenError(f"{description.template!r} is not Japanese: left out", description.place))
                continue
            try:
                parse_template(description.template)
            except PseudogenError as err:
                warn(PseudogenError(f"{err.message}: left out", description.place))
                continue
            by_code.setdefault(description.code, []).append(description)
        options += state.keyword_options
    return by_code, options


def import_multiese(source: Path, corpus_dir: Path, variants: int = DEFAULT_VARIANTS, seed: int = 0,
                    on_warning: Warn | None = None, code_language: str = "python") -> ImportReport:
    """Write a multiese folder as a corpus directory with train, dev and test splits; what was written."""
    from pseudogen.syntax.frontends import get_frontend

    if variants < 1:
        raise PseudogenError("keep at least one variant per code line")
    report = ImportReport()

    said: set[str] = set()

    def warn(err: PseudogenError) -> None:  # once, even where a line is read once per __X__ value
        if str(err) not in said:
            said.add(str(err))
            report.warnings += 1
            if on_warning is not None:
                on_warning(err)

    by_code, report.keyword_options = collect_descriptions(Path(source), warn)
    frontend = get_frontend(code_language)
    splits: dict[str, list[Pair]] = {split: [] for split in SPLITS}
    for code, descriptions in by_code.items():
        report.descriptions += len(descriptions)
        try:
            frontend.parse(code)
        except (PseudogenError, RecursionError) as err:
            report.unparsable += 1
            warn(PseudogenError(f"the code line {code!r} does not parse ({err}): left out", descriptions[0].place))
            continue
        sentences = choose_variants([d.template for d in descriptions], variants, f"{seed}\0{code}")
        splits[split_of(code, seed)].extend(Pair(code, sentence) for sentence in sentences)
    if not any(splits.values()):
        raise PseudogenError("no pairs to write", str(source))
    for split, pairs in splits.items():
        if pairs:  # an empty file is not a split (`corpus.parallel`)
            write_split(corpus_dir, split, pairs)
        report.pairs[split] = len(pairs)
        report.code_lines[split] = len({pair.code for pair in pairs})
    licence = Path(source) / "LICENSE"
    if licence.is_file():
        shutil.copyfile(licence, Path(corpus_dir) / "LICENSE")
    return report


# --- the corpus of the named model python-ja ----------------------------------------------

#: The multiese folder, found as a corpus name is ($PSEUDOGEN_DATA, ../shared/corpora, the cache).
SOURCE_NAME = "multiese-ja"
#: The imported corpus, in the user cache.
IMPORTED_NAME = "multiese-ja-pairs"
#: The hand-written statements (`def`, `for`, `if`, `return`, ...) that multiese lacks, shipped in corpora/.
SUPPLEMENT_NAME = "python-extra-ja"
SOURCE_HINT = ("the multiese corpus: the folder new_corpus/ of github.com/KuramitsuLab/multiese "
               "(commit ea1a113, MIT), as $PSEUDOGEN_DATA/multiese-ja or given as CORPUS")


def is_multiese_folder(path: Path) -> bool:
    """Whether `path` is a multiese folder (`_*.py` files) rather than a corpus directory."""
    path = Path(path)
    return path.is_dir() and not (path / "train.code").exists() and any(path.glob("_*.py"))


def python_ja_corpus(explicit: str | None = None, progress=None) -> Path:
    """The corpus of the named model python-ja: `explicit` (a corpus directory or name, or a multiese folder to
    import) if given, else multiese and the hand-written statement supplement `python-extra-ja` joined
    (`multiese-ja-pairs+python-extra-ja`: both train parts, both dev parts to tune on, multiese's test alone),
    multiese imported with the default settings into the user cache once."""
    from pseudogen.corpus.combine import combined_corpus
    from pseudogen.corpus.resolve import cache_dir, resolve_corpus

    if explicit:
        given = resolve_corpus(explicit)
        return _imported(given, cache_dir() / f"{IMPORTED_NAME}-{given.name}", progress) \
            if is_multiese_folder(given) else given
    target = cache_dir() / IMPORTED_NAME
    if not (target / "train.code").is_file():
        try:
            source = resolve_corpus(SOURCE_NAME)
        except PseudogenError as missing:
            raise PseudogenError(f"{missing.message}; the python-ja model needs {SOURCE_HINT}") from None
        _imported(source, target, progress)
    supplement = resolve_corpus(SUPPLEMENT_NAME)
    return combined_corpus(f"{IMPORTED_NAME}+{SUPPLEMENT_NAME}", [target, supplement], cache_dir())


def _imported(source: Path, target: Path, progress) -> Path:
    """`source` imported into `target` (written whole, then moved into place), warnings as notes."""
    import tempfile

    def note(err: PseudogenError) -> None:
        if progress is not None:
            progress.note(f"warning: {err}")

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.name}.") as partial:
        report = import_multiese(source, Path(partial) / "corpus", on_warning=note)
        if target.exists():
            shutil.rmtree(target)
        Path(partial, "corpus").rename(target)
    if progress is not None:
        progress.note(f"imported {source} into {target}: {report.summary()}")
    return target
