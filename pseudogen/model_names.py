"""Models by name: `python-en`, and one per pair of languages that the project can build.

A named model is a model directory in the user cache,
`$XDG_CACHE_HOME/pseudogen/models/<name>` (default `~/.cache/...`), that
`pseudogen train --default` builds from a known corpus: `--model python-en`
then means that directory, wherever the user runs from. Each entry says which
languages it translates between and how to get its corpus (a function, named
as `module:function` so that asking for one model never imports the code of
another's corpus, that returns the corpus directory and builds it in the user
cache first if it is not there).

`--model` takes a path or a name: an existing directory is always a path; a
name is looked up here. Without `--model`, a command uses the named model of
its code's language (`translate x.cpp` the C++ model), else `python-en`.
"""
from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Callable, NamedTuple, Optional

from pseudogen.errors import PseudogenError


class NamedModel(NamedTuple):
    """A model that `pseudogen train --default` can build and `--model NAME` finds."""

    name: str
    code_language: str
    text_language: str
    corpus: str  # "module:function", a function (explicit corpus or None, progress) -> corpus directory
    about: str
    settings: dict = {}  # training settings under the command line's, e.g. {"tune-lines": 1500}

    def corpus_dir(self, explicit: Optional[str], progress=None) -> Path:
        """The corpus this model trains on: `explicit` (a path or a corpus name) if given, else its own."""
        module_name, function_name = self.corpus.split(":")
        function: Callable = getattr(importlib.import_module(module_name), function_name)
        return function(explicit, progress)


NAMED_MODELS: dict[str, NamedModel] = {
    model.name: model for model in (
        NamedModel("python-en", "python", "en", "pseudogen.pipeline:default_corpus_dir",
                   "Python -> English, from the Django corpus and the modern-Python supplement"),
        NamedModel("python-ja", "python", "ja", "pseudogen.corpus.multiese:python_ja_corpus",
                   "Python -> Japanese, from the multiese corpus and the hand-written statement supplement"),
        NamedModel("cpp-en", "cpp", "en", "pseudogen.corpus.spoc:spoc_corpus_dir",
                   "C++ -> English, from SPoC (tuned on 1,501 lines of whole dev programs)",
                   {"tune-lines": "1-1501"}),
    )
}
DEFAULT_NAME = "python-en"
COMMAND = "pseudogen train --default"


def models_dir() -> Path:
    """Where named models live: `$XDG_CACHE_HOME/pseudogen/models` or `~/.cache/pseudogen/models`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pseudogen" / "models"


def model_dir(name: str = DEFAULT_NAME) -> Path:
    """The directory of the named model `name` (whether or not it has been built)."""
    return models_dir() / name


def named_model(name: str) -> NamedModel:
    """The entry for `name`, or an error that lists the names there are."""
    if name not in NAMED_MODELS:
        raise PseudogenError(f"no model named {name!r} (named models: {', '.join(NAMED_MODELS)}; "
                             "or give a model directory)")
    return NAMED_MODELS[name]


def for_languages(code_language: Optional[str] = None, text_language: Optional[str] = None) -> NamedModel:
    """The named model with these languages (either may be left open: Python and English come first)."""
    for model in NAMED_MODELS.values():
        if code_language in (None, model.code_language) and text_language in (None, model.text_language):
            return model
    pairs = ", ".join(f"{model.code_language} -> {model.text_language} ({model.name})"
                      for model in NAMED_MODELS.values())
    wanted = f"{code_language or 'any language'} -> {text_language or 'any language'}"
    raise PseudogenError(f"no named model for {wanted}; there are: {pairs}")


def build_command(model: NamedModel) -> str:
    """The command that builds `model` into the user cache."""
    options = "".join(f" {flag} {value}" for flag, value, default in (
        ("--code-language", model.code_language, "python"), ("-l", model.text_language, "en"))
        if value != default)
    return COMMAND + options


def built(name: str, asked: bool = True) -> Path:
    """The directory of the named model `name`, or an error that says which command builds it (and, when the
    user did not ask for this model, that --model chooses another)."""
    model = named_model(name)
    path = model_dir(name)
    if not (path / "model.toml").is_file():
        demo = " (or `make demo`)" if name == DEFAULT_NAME else ""
        raise PseudogenError(("" if asked else "no model given, and ") +
                             f"the model {name!r} ({model.about}) is not built yet (no {path}); "
                             f"make it with `{build_command(model)}`{demo}" + ("" if asked else ", or give --model"))
    return path


def resolve_model(value: Optional[str | Path], code_language: Optional[str] = None) -> Path:
    """The model directory that `--model value` means: a path, else a name; without one, the named model of
    `code_language` (Python when not known)."""
    if value is None:
        return built(for_languages(code_language or "python").name, asked=False)
    path = Path(value).expanduser()
    if path.exists() or len(path.parts) > 1 or str(value).startswith("."):
        return path  # a path: whether it holds a model is for the loader to say
    if str(value) in NAMED_MODELS:
        return built(str(value))
    raise PseudogenError(f"no model directory or checkpoint {str(value)!r}, and no model of that name "
                         f"(named models: {', '.join(NAMED_MODELS)})")
