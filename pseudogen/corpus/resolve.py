"""Finding a corpus directory from a path or a name.

A command that takes a corpus accepts either a directory path or a name such as
`django`. A name is looked up, in this order, in:

1. `$PSEUDOGEN_DATA/<name>`, where the user keeps corpora;
2. `<repo>/../shared/corpora/<name>`, the corpora beside a checkout (the
   repository root is the directory that holds the `pseudogen` package; this
   place counts only if that directory exists);
3. `<repo>/corpora/<name>`, the corpora shipped with the source (`sample`);
4. the user cache, `$XDG_CACHE_HOME/pseudogen/corpora/<name>` (default
   `~/.cache/pseudogen/corpora/<name>`), where `pseudogen corpus fetch` puts them.

If none exists the error lists every place tried. Names joined by `+`
(`django+python-extra`) stand for the corpora one after the other, split by
split (`pseudogen.corpus.combine`), kept in the user cache.
"""
from __future__ import annotations

import os
from pathlib import Path

from pseudogen.errors import PseudogenError

REPO_ROOT = Path(__file__).resolve().parent.parent.parent


def cache_dir() -> Path:
    """Where fetched corpora are kept: `$XDG_CACHE_HOME/pseudogen/corpora` or `~/.cache/pseudogen/corpora`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pseudogen" / "corpora"


def data_roots() -> list[Path]:
    """The directories searched for named corpora, in order."""
    roots = []
    if os.environ.get("PSEUDOGEN_DATA"):
        roots.append(Path(os.environ["PSEUDOGEN_DATA"]))
    shared = REPO_ROOT.parent / "shared" / "corpora"
    if shared.is_dir():
        roots.append(shared)
    roots.append(REPO_ROOT / "corpora")
    roots.append(cache_dir())
    return roots


def corpora_root(explicit: str | Path | None = None) -> Path:
    """The directory that holds the shared corpora (`django/`, `spoc/`), for benchmarks and tools.

    In order: `explicit`, `$PSEUDOGEN_DATA`, `<repo>/../shared/corpora`.
    """
    candidates = [Path(explicit)] if explicit else []
    if os.environ.get("PSEUDOGEN_DATA"):
        candidates.append(Path(os.environ["PSEUDOGEN_DATA"]))
    candidates.append(REPO_ROOT.parent / "shared" / "corpora")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise PseudogenError(f"no corpora directory; tried {', '.join(map(str, candidates))}")


def resolve_corpus(name_or_path: str | None) -> Path:
    """The directory of a corpus given as a path or a name (see the module docstring)."""
    if not name_or_path:
        raise PseudogenError("no corpus given: name a corpus directory, or a corpus such as django or sample")
    given = Path(name_or_path).expanduser()
    if given.is_dir():
        return given
    if given.exists():
        raise PseudogenError("a corpus is a directory, not a file", str(given))
    if _looks_like_path(name_or_path):
        raise PseudogenError("no such corpus directory", name_or_path)
    if "+" in name_or_path:
        from pseudogen.corpus.combine import combined_corpus

        return combined_corpus(name_or_path, [resolve_corpus(part) for part in name_or_path.split("+")], cache_dir())
    candidates = [root / name_or_path for root in data_roots()]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    tried = ", ".join(str(candidate) for candidate in candidates)
    raise PseudogenError(f"no corpus named {name_or_path!r}; tried {tried}")


def _looks_like_path(name: str) -> bool:
    return os.sep in name or (os.altsep is not None and os.altsep in name) or name.startswith(".")
