"""The models a server offers: each one's name, languages and training figures, checked at start-up.

Each `--model` directory (a statistical model or a neural checkpoint) is read
here once, in the server's own process, for what `GET /api/models` shows; its
translator is opened by every worker (`web.worker`). A missing or corrupt
model is a `PseudogenError` before the server listens. A model is named by its
languages (`python-en`), or by its directory's name where two share them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from pseudogen.errors import PseudogenError

LANGUAGE_NAMES = {"python": "Python", "cpp": "C++", "en": "English", "ja": "Japanese", "space": "text"}
FIGURES = ("bleu", "bleu_tokenised", "scored_set", "rules", "seconds", "tuning_set")


class NotServed(Exception):
    """A request named a model or a language that no served model has: the request's `field` and why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ServedModel:
    """One model as the API describes it (its directory stays private to the server)."""

    name: str
    path: str
    kind: str
    code_language: str
    text_language: str
    training: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        code = LANGUAGE_NAMES.get(self.code_language, self.code_language)
        text = LANGUAGE_NAMES.get(self.text_language, self.text_language)
        return f"{code} → {text}"

    def describe(self) -> dict:
        return {"name": self.name, "label": self.label, "kind": self.kind, "code_language": self.code_language,
                "text_language": self.text_language, "training": self.training}


class Catalog:
    """The served models by name, in the order given; the first is the default."""

    def __init__(self, models: Sequence[ServedModel]):
        if not models:
            raise PseudogenError("no model to serve")
        self.models = {model.name: model for model in models}
        self.default = models[0]

    def paths(self) -> dict[str, str]:
        return {name: model.path for name, model in self.models.items()}

    def choose(self, name: str | None, language: str | None) -> ServedModel:
        """The model called `name`, else the first that reads `language`, else the default model."""
        if name is not None:
            if name not in self.models:
                raise NotServed("model", f"no model called {name!r} is served; GET /api/models lists them")
            found = self.models[name]
            if language is not None and found.code_language != language:
                raise NotServed("language", f"model {name!r} reads {found.code_language}, not {language}")
            return found
        if language is None:
            return self.default
        for model in self.models.values():
            if model.code_language == language:
                return model
        served = ", ".join(sorted({m.code_language for m in self.models.values()}))
        raise NotServed("language", f"no model reads {language!r}; the served models read {served}")


def open_catalog(paths: Sequence[str]) -> Catalog:
    """The catalog of the model directories at `paths` (a PseudogenError naming the first bad one)."""
    found = [_served(str(path)) for path in paths]
    languages = [f"{m.code_language}-{m.text_language}" for m in found]
    named, seen = [], set()
    for model, pair in zip(found, languages):
        name = pair if languages.count(pair) == 1 else f"{pair}-{Path(model.path).name}"
        while name in seen:
            name += "'"
        seen.add(name)
        named.append(ServedModel(name, model.path, model.kind, model.code_language, model.text_language,
                                 model.training))
    return Catalog(named)


def _served(path: str) -> ServedModel:
    from pseudogen.model_kinds import model_kind

    kind = model_kind(path)
    if kind == "statistical":
        from pseudogen.model import ModelDirectory

        model = ModelDirectory.load(path)
        training = model.signature.get("training", {})
        figures = {key: training[key] for key in FIGURES if key in training}
        return ServedModel("", path, kind, model.source_language, model.target_language, figures)
    from pseudogen.model_kinds import load_translator

    translator = load_translator(path)
    if translator.direction != "code2text":
        raise PseudogenError("this neural checkpoint writes code from text; the server translates code to text",
                             path)
    return ServedModel("", path, kind, translator.code_language, translator.text_language, {})
