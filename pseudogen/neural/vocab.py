"""Token vocabularies, with an extended vocabulary per sentence for copying.

A `Vocab` maps tokens to ids. Ids 0-3 are the special tokens `<pad>`, `<unk>`,
`<s>` (start of a target sentence) and `</s>` (its end). Following the
reference study, a token enters the vocabulary when it is seen more than
`min_count` times in the training data (default 10); every other token becomes
`<unk>`.

The pointer-generator (See et al. 2017) can output a source token that is not
in the vocabulary. As in their implementation, each sentence gets an *extended
vocabulary*: its out-of-vocabulary source tokens receive the temporary ids
`len(vocab)`, `len(vocab) + 1`, ... in order of first appearance, so that the
copy distribution can put probability on them and the decoder can turn such an
id back into the source token (`Vocab.decode(ids, source_oovs)`).
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from pseudogen.errors import PseudogenError
from pseudogen.neural.config import read_json

PAD, UNK, BOS, EOS = "<pad>", "<unk>", "<s>", "</s>"
SPECIALS = (PAD, UNK, BOS, EOS)
PAD_ID, UNK_ID, BOS_ID, EOS_ID = range(4)


class Vocab:
    """A fixed token↔id mapping whose first four entries are the special tokens."""

    def __init__(self, tokens: Sequence[str]):
        if tuple(tokens[:4]) != SPECIALS:
            raise PseudogenError(f"a vocabulary must start with {', '.join(SPECIALS)}")
        self.tokens = list(tokens)
        self.ids = {token: i for i, token in enumerate(self.tokens)}
        if len(self.ids) != len(self.tokens):
            raise PseudogenError("a vocabulary lists a token twice")

    @classmethod
    def build(cls, sentences: Iterable[Sequence[str]], min_count: int = 10, max_size: int | None = None) -> Vocab:
        """The tokens seen more than `min_count` times, most frequent first (ties alphabetical)."""
        counts = Counter(token for sentence in sentences for token in sentence)
        kept = sorted((t for t, c in counts.items() if c > min_count and t not in SPECIALS), key=lambda t: (-counts[t], t))
        if max_size is not None:
            kept = kept[: max(0, max_size - len(SPECIALS))]
        return cls(list(SPECIALS) + kept)

    def __len__(self) -> int:
        return len(self.tokens)

    def __contains__(self, token: str) -> bool:
        return token in self.ids

    def encode(self, tokens: Sequence[str]) -> list[int]:
        """Ids of the tokens; unknown tokens become `<unk>`."""
        return [self.ids.get(token, UNK_ID) for token in tokens]

    def source_oovs(self, tokens: Sequence[str]) -> list[str]:
        """The sentence's out-of-vocabulary tokens, once each, in order of first appearance."""
        return list(dict.fromkeys(t for t in tokens if t not in self.ids))

    def encode_extended(self, tokens: Sequence[str], source_oovs: Sequence[str]) -> list[int]:
        """Ids in the extended vocabulary: an OOV token listed in `source_oovs` gets its temporary id."""
        extra = {token: len(self.tokens) + i for i, token in enumerate(source_oovs)}
        return [self.ids.get(token, extra.get(token, UNK_ID)) for token in tokens]

    def decode(self, ids: Iterable[int], source_oovs: Sequence[str] = ()) -> list[str]:
        """Tokens of the ids up to the first `</s>`, without `<s>` and `<pad>`."""
        tokens = []
        for i in ids:
            if i == EOS_ID:
                break
            if i in (BOS_ID, PAD_ID):
                continue
            if i < len(self.tokens):
                tokens.append(self.tokens[i])
            elif i - len(self.tokens) < len(source_oovs):
                tokens.append(source_oovs[i - len(self.tokens)])
            else:
                tokens.append(UNK)
        return tokens

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.tokens, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Vocab:
        path = Path(path)
        tokens = read_json(path, "vocabulary")
        if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
            raise PseudogenError("a vocabulary file must hold a JSON list of strings", str(path))
        return cls(tokens)
