"""The HMM alignment model (Vogel, Ney & Tillmann 1996), with NULL as in Och & Ney 2003.

IBM Model 1 ignores word order. The HMM model makes the source position of
target word j depend on that of word j-1: the alignment a_1..a_J is a Markov
chain whose transition probability depends only on the jump width a_j - a_{j-1}:

    P(f, a | e) = prod_j  p(a_j | a_{j-1}, I) * t(f_j | e_{a_j})
    p(i' | i, I) = c(i' - i) / sum_{i''=1..I} c(i'' - i)

so that words next to each other in the description tend to come from tokens
next to each other in the code, and monotone stretches are cheap.

Jump widths are bucketed: each width |d| <= `exact_jumps` has its own
parameter, longer ones share one per doubling of the width ((7, 14], (14, 28],
...), spread evenly over the widths of the bucket, so long sentences do not
starve the estimate and a far jump is not over-counted.

NULL uses the 2I-state trick of Och & Ney 2003 (section 3.1): state i + I is
"NULL, having last been at source position i". Entering it has probability p0
(fixed, an option, or learned as the expected share of words that NULL
generates); leaving it jumps as if from position i. So the NULL word does not
break the chain of jump widths.

Training is EM with the forward-backward algorithm (Rabiner 1989), scaled per
position. Sentence pairs with the same source length I share their transition
matrix, so they are batched (and padded to a common target length, padding
emits 1 and is masked out of the counts): each target position is then one
(B, 2I) x (2I, 2I) matrix product for the whole batch, the expected jump
counts one matrix product per batch, and the expected lexical counts one
`np.bincount` over the corpus. The lexical table t(f|e) starts from IBM Model
1's and keeps its identical-token prior. The final alignment is the Viterbi
path, batched the same way.

References:
  Vogel, Ney, Tillmann 1996. HMM-Based Word Alignment in Statistical Translation. COLING.
  Och & Ney 2003. A Systematic Comparison of Various Statistical Alignment Models.
  Computational Linguistics 29(1).
  Rabiner 1989. A Tutorial on Hidden Markov Models. Proceedings of the IEEE 77(2).
"""
from __future__ import annotations

from typing import Iterable, NamedTuple, Sequence

import numpy as np
from threadpoolctl import threadpool_limits

from pseudogen.align.alignment import Alignment
from pseudogen.align.cooccurrence import IDENTICAL_PRIOR
from pseudogen.align.ibm1 import UNSEEN_PROB, Bitext, IBMModel1, Progress
from pseudogen.errors import PseudogenError

#: Batches hold at most this many (sentence, position, state) cells; bounds memory.
BATCH_CELLS = 1 << 20
#: Number of doubling buckets for jumps longer than `exact_jumps` (covers 7 * 2**10 words).
FAR_BUCKETS = 10
#: The default probability of NULL (Django: 0.4 agrees best with eflomal and between directions).
P0 = 0.4


class JumpTable:
    """The jump-width parameters c(d), bucketed, and the transition matrices they give."""

    def __init__(self, exact_jumps: int = 7, p0: float = P0):
        self.exact = exact_jumps
        self.p0 = p0
        self.size = 2 * (exact_jumps + FAR_BUCKETS) + 1
        self.weights = np.ones(self.size)
        self._cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def bucket(self, jump: np.ndarray) -> np.ndarray:
        """Bucket number of each jump width (0 in the middle of the table is d = 0)."""
        width = np.abs(jump)
        far = self.exact + np.ceil(np.log2(np.maximum(width, 1) / self.exact)).astype(np.int64)
        level = np.where(width <= self.exact, width, np.minimum(far, self.exact + FAR_BUCKETS))
        return self.exact + FAR_BUCKETS + np.sign(jump) * level

    def bucket_width(self) -> np.ndarray:
        """How many jump widths share each bucket."""
        level = np.abs(np.arange(self.size) - (self.exact + FAR_BUCKETS))
        return np.where(level <= self.exact, 1, self.exact * 2.0 ** (level - self.exact - 1))

    def estimate(self, counts: np.ndarray, null_share: float | None = None, smoothing: float = 1.0) -> None:
        """M-step: c(d) = expected jumps in d's bucket / the bucket's width; p0 = `null_share` if given."""
        self.weights = (counts + smoothing) / self.bucket_width()
        if null_share is not None:
            self.p0 = float(np.clip(null_share, 0.01, 0.9))
        self._cache.clear()

    def matrices(self, length: int) -> tuple[np.ndarray, np.ndarray]:
        """(initial distribution, transition matrix) over the 2I states for source length I."""
        if length not in self._cache:
            self._cache[length] = self._build(length)
        return self._cache[length]

    def _build(self, length: int) -> tuple[np.ndarray, np.ndarray]:
        positions = np.arange(length)
        jumps = self.weights[self.bucket(positions[None, :] - positions[:, None])]
        jumps /= jumps.sum(axis=1, keepdims=True)
        stay_null = np.eye(length) * self.p0
        row = np.concatenate([(1 - self.p0) * jumps, stay_null], axis=1)
        transition = np.concatenate([row, row], axis=0)
        start = self.weights[self.bucket(positions + 1)]
        initial = np.concatenate([(1 - self.p0) * start / start.sum(), np.full(length, self.p0 / length)])
        return initial, transition

    def jump_counts(self, length: int, expected: np.ndarray, first: np.ndarray) -> np.ndarray:
        """Expected jumps per bucket from the summed transition posteriors of one batch.

        `expected` is the (2I, 2I) sum of P(a_{j-1}=s, a_j=s'); a jump into a real
        word from NULL state i + I counts from position i. `first` is P(a_1 = i)
        summed, a jump from the virtual position -1.
        """
        positions = np.arange(length)
        into_words = expected[:length, :length] + expected[length:, :length]
        grid = self.bucket(positions[None, :] - positions[:, None])
        counts = np.bincount(grid.ravel(), weights=into_words.ravel(), minlength=self.size)
        counts += np.bincount(self.bucket(positions + 1), weights=first, minlength=self.size)
        return counts


class Batch(NamedTuple):
    """Sentence pairs with the same source length, padded to one target length."""
    members: np.ndarray   # sentence numbers, shape (B,)
    pairs: np.ndarray     # pair number of every cell, (B, J, I + 1); column 0 is NULL
    lengths: np.ndarray   # true target lengths, (B,)

    @property
    def source_length(self) -> int:
        return self.pairs.shape[2] - 1


def make_batches(grids: Sequence[np.ndarray], padding: int) -> list[Batch]:
    """Group the (J, I + 1) pair grids by I, and by similar J, into padded batches."""
    shapes = np.array([g.shape for g in grids], dtype=np.int64).reshape(-1, 2)
    usable = np.flatnonzero((shapes[:, 0] > 0) & (shapes[:, 1] > 1))
    order = usable[np.lexsort((shapes[usable, 0], shapes[usable, 1]))]
    batches, members = [], []
    for n in order:
        if members and not _fits(shapes[members[0]], shapes[n], len(members)):
            batches.append(_pad(grids, members, padding))
            members = []
        members.append(n)
    if members:
        batches.append(_pad(grids, members, padding))
    return batches


def _fits(first: np.ndarray, shape: np.ndarray, size: int) -> bool:
    same_source = first[1] == shape[1]
    little_padding = shape[0] - first[0] <= max(2, first[0] // 4)
    states = 2 * (shape[1] - 1)
    # the Viterbi step holds (B, S, S) scores, forward-backward (B, J, S) arrays
    return same_source and little_padding and (size + 1) * states * max(shape[0], states) <= BATCH_CELLS


def _pad(grids: Sequence[np.ndarray], members: list[int], padding: int) -> Batch:
    lengths = np.array([grids[n].shape[0] for n in members], dtype=np.int64)
    pairs = np.full((len(members), lengths.max(), grids[members[0]].shape[1]), padding, dtype=np.int64)
    for row, n in enumerate(members):
        pairs[row, :lengths[row]] = grids[n]
    return Batch(np.array(members, dtype=np.int64), pairs, lengths)


class HMMAligner:
    """The HMM alignment model in one direction: source words generate target words."""

    name = "hmm"

    def __init__(self, iterations: int = 5, ibm1_iterations: int = 5, p0: float = P0, learn_p0: bool = False,
                 exact_jumps: int = 7, identical_prior: float = IDENTICAL_PRIOR, progress: Progress | None = None):
        if iterations < 0:
            raise PseudogenError(f"iterations must be 0 or more, not {iterations}")
        if not 0 < p0 < 1:
            raise PseudogenError(f"p0 (the NULL probability) must be between 0 and 1, not {p0}")
        self.iterations = iterations
        self.ibm1 = IBMModel1(ibm1_iterations, null=True, identical_prior=identical_prior, progress=progress)
        self.exact_jumps, self.p0, self.learn_p0 = exact_jumps, p0, learn_p0
        self.jumps = JumpTable(exact_jumps, p0)
        self.progress = progress
        self.log_likelihoods: list[float] = []

    def fit(self, bitext: Bitext) -> HMMAligner:
        """IBM Model 1 for t(f|e), then HMM EM for t and the jumps; returns self."""
        self.ibm1.fit(bitext)
        self.data, self.prob = self.ibm1.data, self.ibm1.prob
        self.jumps = JumpTable(self.exact_jumps, self.p0)
        batches = make_batches([self.data.pairs_of(n) for n in range(len(self.data))], len(self.data.table))
        self.log_likelihoods = []
        for iteration in range(self.iterations):
            with single_threaded_blas():
                lexical, jumps, null_share, log_likelihood = self.expected_counts(batches)
            self.prob = self.ibm1.maximize(self.data, lexical)
            self.jumps.estimate(jumps, null_share if self.learn_p0 else None)
            self.log_likelihoods.append(log_likelihood)
            if self.progress:
                self.progress(f"hmm iteration {iteration + 1}: log-likelihood {log_likelihood:.1f}")
        return self

    def expected_counts(self, batches: Iterable[Batch]) -> tuple[np.ndarray, np.ndarray, float, float]:
        """E-step over all batches: lexical counts per pair, jump counts per bucket,
        the share of target words generated by NULL, and the log-likelihood."""
        n_pairs = len(self.data.table)
        lexical = np.zeros(n_pairs + 1)
        jumps = np.zeros(self.jumps.size)
        log_likelihood = null_mass = words = 0.0
        for batch in batches:
            emission = self.emissions(batch)
            initial, transition = self.jumps.matrices(batch.source_length)
            posterior, transitions, scale = forward_backward(initial, transition, emission, batch.lengths)
            lexical += np.bincount(batch.pairs.ravel(), weights=fold_null(posterior).ravel(), minlength=n_pairs + 1)
            first = posterior[:, 0, :batch.source_length].sum(axis=0)
            jumps += self.jumps.jump_counts(batch.source_length, transitions, first)
            log_likelihood += float(np.log(scale).sum())
            null_mass += float(posterior[..., batch.source_length:].sum())
            words += float(batch.lengths.sum())
        return lexical[:n_pairs], jumps, null_mass / max(words, 1.0), log_likelihood

    def emissions(self, batch: Batch) -> np.ndarray:
        """t(f_j | state) for every cell, (B, J, 2I): real words, then I copies of NULL.

        Pair number `len(table)` is padding (emits 1), -1 an unseen pair.
        """
        table = np.concatenate([self.prob, [1.0, UNSEEN_PROB]])
        prob = np.maximum(table[batch.pairs], UNSEEN_PROB)
        null = np.broadcast_to(prob[..., :1], prob[..., 1:].shape)
        return np.concatenate([prob[..., 1:], null], axis=-1)

    def probability(self, trg_word: str, src_word: str | None) -> float:
        """t(trg_word | src_word) after HMM training; `None` is NULL, `UNSEEN_PROB` for a pair never seen."""
        pair = self.data.table.find(*self.data.word_ids(src_word, trg_word))[0]
        return float(self.prob[pair]) if pair >= 0 else UNSEEN_PROB

    def translation_table(self, min_prob: float = 0.0) -> dict[tuple[str | None, str], float]:
        """t(f|e) of every co-occurring pair at least `min_prob`, as {(e, f): p}; e is None for NULL."""
        return self.data.word_table(self.prob, min_prob)

    def align(self, src: Sequence[str], trg: Sequence[str]) -> Alignment:
        return self.align_all([(src, trg)])[0]

    def align_all(self, bitext: Bitext) -> list[Alignment]:
        """Viterbi alignments: each target word to one source word, or to NULL (left out)."""
        grids = self.data.pair_grids(bitext)
        alignments = [Alignment() for _ in grids]
        with single_threaded_blas():
            for batch in make_batches(grids, len(self.data.table)):
                initial, transition = self.jumps.matrices(batch.source_length)
                states = viterbi(initial, transition, self.emissions(batch), batch.lengths)
                for row, n in enumerate(batch.members):
                    path = states[row, :batch.lengths[row]]
                    words = np.flatnonzero(path < batch.source_length)
                    alignments[n] = Alignment(zip(path[words].tolist(), words.tolist()))
        return alignments


def single_threaded_blas():
    """BLAS on one thread: the products here are small, and threads only spin (measured: 2x the CPU time)."""
    return threadpool_limits(limits=1, user_api="blas")


def fold_null(posterior: np.ndarray) -> np.ndarray:
    """(B, J, 2I) state posteriors as (B, J, I + 1) word posteriors, NULL (summed) first."""
    length = posterior.shape[2] // 2
    return np.concatenate([posterior[..., length:].sum(axis=-1, keepdims=True), posterior[..., :length]], axis=-1)


def forward_backward(initial: np.ndarray, transition: np.ndarray, emission: np.ndarray, lengths: np.ndarray):
    """Scaled forward-backward for a padded batch.

    Returns the state posteriors (B, J, S) (zero at padding), the summed
    transition posteriors (S, S), and the per-position scale factors (B, J),
    whose logs add up to the log-likelihood (padding scales by 1).
    """
    size, steps, _ = emission.shape
    alpha = np.empty_like(emission)
    scale = np.empty((size, steps))
    current = initial[None, :] * emission[:, 0]
    for j in range(steps):
        if j:
            current = (alpha[:, j - 1] @ transition) * emission[:, j]
        scale[:, j] = current.sum(axis=1)
        alpha[:, j] = current / scale[:, j, None]
    beta = np.empty_like(emission)
    beta[:, -1] = 1.0
    for j in range(steps - 2, -1, -1):
        beta[:, j] = ((emission[:, j + 1] * beta[:, j + 1]) @ transition.T) / scale[:, j + 1, None]
    real = np.arange(steps)[None, :] < lengths[:, None]
    posterior = alpha * beta * real[:, :, None]
    ahead = emission[:, 1:] * beta[:, 1:] / scale[:, 1:, None] * real[:, 1:, None]
    states = emission.shape[2]
    transitions = transition * (alpha[:, :-1].reshape(-1, states).T @ ahead.reshape(-1, states))
    return posterior, transitions, scale


def viterbi(initial: np.ndarray, transition: np.ndarray, emission: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The most probable state sequence of every sentence in a padded batch, (B, J)."""
    size, steps, states = emission.shape
    log_transition = np.log(np.maximum(transition, 1e-300))
    log_emission = np.log(emission)
    score = np.log(np.maximum(initial, 1e-300))[None, :] + log_emission[:, 0]
    back = np.empty((size, steps, states), dtype=np.int64)
    back[:, 0] = np.arange(states)
    for j in range(1, steps):
        candidates = score[:, :, None] + log_transition[None]
        best = candidates.argmax(axis=1)
        moved = np.take_along_axis(candidates, best[:, None, :], axis=1)[:, 0] + log_emission[:, j]
        active = (j < lengths)[:, None]
        score = np.where(active, moved, score)
        back[:, j] = np.where(active, best, np.arange(states))
    path = np.empty((size, steps), dtype=np.int64)
    path[:, -1] = score.argmax(axis=1)
    rows = np.arange(size)
    for j in range(steps - 1, 0, -1):
        path[:, j - 1] = back[rows, j, path[:, j]]
    return path
