"""Minimum error rate training: exact line search over corpus BLEU (Och 2003).

The decoder picks, for each sentence, the hypothesis e that maximises the
linear score w . f(e). Along a line w + gamma d in weight space each
hypothesis's score is a line in gamma::

    score_e(gamma) = (w . f(e)) + gamma (d . f(e)) = a_e + gamma b_e

so the chosen hypothesis is the top of the *upper envelope* of these lines,
and it only changes at the envelope's breakpoints. Corpus BLEU is a function of
the summed sufficient statistics of the chosen hypotheses, hence piecewise
constant in gamma, and it can be maximised exactly:

1. For every sentence, the envelope: start at gamma = -inf with the line of
   least slope (highest intercept among equals); the next breakpoint is the
   nearest intersection with a steeper line, which then takes over (at a tie,
   the steepest). All sentences are stepped together with numpy, in groups of
   sentences with about as many hypotheses (a merged pool's lists differ in
   length several times over, and a step costs the group's rows times its
   width).
2. Each breakpoint changes the corpus statistics by (stats of the new best -
   stats of the old best). Sorting the breakpoints of all sentences and
   accumulating those changes gives the statistics, hence BLEU, of every
   interval between consecutive breakpoints.
3. The best interval wins; the step is its midpoint (an unbounded end interval:
   its finite end -/+ 1). Among equally good intervals, the one nearest the
   current point (gamma = 0) is taken, so the weights do not drift.

The search over directions is Och's/Moses' coordinate ascent: at each sweep
the line search runs along every feature axis and a few random directions,
and the best of them is applied, until no direction improves BLEU. It starts
from the current weights and from `restarts` random points (uniform in
[-1, 1] per feature) and keeps the best end point (the first of equals). The
climbs are independent, so they run in worker processes when the tuner is
given some (`MertTuner(workers=...)`); each draws its start and its random
directions from its own generator, seeded by (seed, optimisation, start
index), so the result is the same for any number of processes. BLEU depends
only on the ranking, so the result is scaled to L1 norm 1 as Moses does; the
scale the decoder sees is therefore the L1-normalised one.

References: Och 2003, "Minimum error rate training in statistical machine
translation", ACL; Bertoldi, Haddow & Fouet 2009, "Improved minimum error rate
training in Moses" (random restarts and directions).
"""
from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from pseudogen.evaluate.bleu import bleu_of_rows
from pseudogen.tune.nbest import NbestPool, PaddedPool, load_padded, save_padded

if TYPE_CHECKING:
    from pseudogen.workers import ParallelMap

IMPROVEMENT = 1e-9  # smaller BLEU gains are rounding, not progress
UNBOUNDED_STEP = 1.0
GROUP_RATIO = 0.35  # a sentence joins a width group if its hypotheses reach this share of its widest


class LineSearchResult(NamedTuple):
    gamma: float
    bleu: float


class Envelope(NamedTuple):
    """The upper envelopes of all sentences along one line."""

    start_stats: np.ndarray   # (STATS_SIZE,) summed stats of each sentence's best at gamma = -inf
    breakpoints: np.ndarray   # (m,) gamma where some sentence's best hypothesis changes
    deltas: np.ndarray        # (m, STATS_SIZE) the change of corpus statistics there


def _first_best(intercepts: np.ndarray, slopes: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Per sentence, the hypothesis on top at gamma = -inf: least slope, then highest intercept."""
    slopes = np.where(mask, slopes, np.inf)
    least = slopes.min(axis=1, keepdims=True)
    on_least = mask & (slopes == least)
    return np.where(on_least, intercepts, -np.inf).argmax(axis=1)


class WidthGroup(NamedTuple):
    """Sentences whose hypotheses reach about as far: stepped together over their own width."""

    rows: np.ndarray   # (n,) the sentences' rows in the pool
    width: int         # the widest of them reaches this column
    mask: np.ndarray   # (n, width) pool.mask of those rows and columns


def width_groups(mask: np.ndarray, ratio: float = GROUP_RATIO) -> list[WidthGroup]:
    """The sentences with hypotheses, grouped by how wide their hypotheses reach.

    Sorted by that width, a new group starts where it falls below `ratio` times
    the group's first (widest). The padding of a wide pool (merged n-best lists
    of very different lengths) is mostly left out of the envelope's steps.
    """
    extents = np.where(mask.any(axis=1), mask.shape[1] - mask[:, ::-1].argmax(axis=1), 0)
    order = np.argsort(-extents, kind="stable")
    order = order[extents[order] > 0]
    groups, first = [], 0
    for index in range(1, len(order) + 1):
        if index == len(order) or extents[order[index]] < ratio * extents[order[first]]:
            rows, width = np.sort(order[first:index]), int(extents[order[first]])
            groups.append(WidthGroup(rows, width, mask[rows, :width]))
            first = index
    return groups


def upper_envelope(pool: PaddedPool, weights: np.ndarray, direction: np.ndarray,
                   groups: list[WidthGroup] | None = None, intercepts: np.ndarray | None = None) -> Envelope:
    """The breakpoints of every sentence's upper envelope along weights + gamma * direction.

    `groups` (from `width_groups`) and `intercepts` (pool.features @ weights),
    when the caller has them, spare computing them again. Both products are
    taken over the whole pool, so that their rounding is the same whatever the
    groups.
    """
    if intercepts is None:
        intercepts = pool.features @ weights
    slopes = pool.features @ direction
    start_stats = np.zeros(pool.stats.shape[2], dtype=pool.stats.dtype)
    found_x, found_delta = [], []
    for group in width_groups(pool.mask) if groups is None else groups:
        group_intercepts = intercepts[group.rows, :group.width]
        group_slopes = np.where(group.mask, slopes[group.rows, :group.width], -np.inf)  # padding is never steeper
        best = _first_best(group_intercepts, group_slopes, group.mask)
        start_stats += pool.stats[group.rows, best].sum(axis=0)
        x, delta = _group_breakpoints(pool.stats, group.rows, group_intercepts, group_slopes, best)
        found_x += x
        found_delta += delta
    breakpoints = np.concatenate(found_x) if found_x else np.zeros(0)
    deltas = np.concatenate(found_delta) if found_delta else np.zeros((0, pool.stats.shape[2]), dtype=np.int64)
    return Envelope(start_stats, breakpoints, deltas)


def _group_breakpoints(stats: np.ndarray, active: np.ndarray, intercepts: np.ndarray, slopes: np.ndarray,
                       best: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Step the envelopes of some sentences (rows `active` of the pool) from gamma = -inf to +inf."""
    found_x, found_delta = [], []
    while len(active):
        x, steepest = _next_breakpoints(intercepts, slopes, best)
        moving = np.isfinite(x)
        found_x.append(x[moving])
        found_delta.append(stats[active[moving], steepest[moving]] - stats[active[moving], best[moving]])
        if not moving.all():
            active, intercepts, slopes = active[moving], intercepts[moving], slopes[moving]
        best = steepest[moving]
    return found_x, found_delta


def _next_breakpoints(intercepts: np.ndarray, slopes: np.ndarray, best: np.ndarray):
    """For each sentence, the nearest gamma where a steeper line overtakes the current best, and that line."""
    rows = np.arange(len(best))
    rise = slopes - slopes[rows, best][:, None]
    steeper = rise > 0
    crossing = np.full(rise.shape, np.inf)
    np.divide(intercepts[rows, best][:, None] - intercepts, rise, out=crossing, where=steeper)
    nearest = crossing.min(axis=1)
    tolerance = 1e-12 * np.maximum(1.0, np.abs(nearest))
    at_nearest = crossing <= (nearest + tolerance)[:, None]
    steepest = np.where(at_nearest, slopes, -np.inf).argmax(axis=1)
    return nearest, steepest


def interval_scores(envelope: Envelope, smooth: str = "exp") -> tuple[np.ndarray, np.ndarray]:
    """Distinct sorted breakpoints, and the corpus BLEU of the len+1 intervals they bound."""
    order = np.argsort(envelope.breakpoints, kind="stable")
    points = envelope.breakpoints[order]
    running = envelope.start_stats + np.cumsum(envelope.deltas[order], axis=0)
    last_of_group = np.r_[points[1:] != points[:-1], True] if len(points) else np.zeros(0, dtype=bool)
    stats = np.vstack([envelope.start_stats[None, :], running[last_of_group]])
    return points[last_of_group], bleu_of_rows(stats, smooth)


def _interval_point(points: np.ndarray, index: int) -> float:
    """A gamma inside interval `index` (0 = before the first breakpoint)."""
    if not len(points):
        return 0.0
    if index == 0:
        return float(points[0] - UNBOUNDED_STEP)
    if index == len(points):
        return float(points[-1] + UNBOUNDED_STEP)
    return float((points[index - 1] + points[index]) / 2)


def line_search(pool: PaddedPool, weights: np.ndarray, direction: np.ndarray, smooth: str = "exp",
                groups: list[WidthGroup] | None = None, intercepts: np.ndarray | None = None) -> LineSearchResult:
    """The step along direction that maximises corpus BLEU, and that BLEU (groups, intercepts: see upper_envelope)."""
    points, scores = interval_scores(upper_envelope(pool, weights, direction, groups, intercepts), smooth)
    best_score = scores.max()
    candidates = np.flatnonzero(scores >= best_score - IMPROVEMENT * 1e-3)
    gammas = [_interval_point(points, index) for index in candidates]
    gamma = min(gammas, key=abs)
    return LineSearchResult(gamma, float(best_score))


def corpus_bleu_at(pool: PaddedPool, weights: np.ndarray, smooth: str = "exp") -> float:
    """Corpus BLEU of the hypotheses that `weights` ranks first (ties: the earliest)."""
    scores = np.where(pool.mask, pool.features @ weights, -np.inf)
    best = scores.argmax(axis=1)
    stats = pool.stats[np.arange(len(best)), best].sum(axis=0)
    return float(bleu_of_rows(stats[None, :], smooth)[0])


def l1_normalised(weights: np.ndarray) -> np.ndarray:
    norm = np.abs(weights).sum()
    return weights / norm if norm > 0 else weights


class ClimbSettings(NamedTuple):
    """What a coordinate ascent needs besides the pool and its start."""

    random_directions: int
    max_sweeps: int
    smooth: str


class Climb(NamedTuple):
    """Where one coordinate ascent ended, and the BLEU there."""

    weights: np.ndarray
    bleu: float


def climb(pool: PaddedPool, weights: np.ndarray, rng: np.random.Generator, settings: ClimbSettings) -> Climb:
    """Coordinate ascent from weights until no direction (axes, then `rng`'s random ones) improves BLEU."""
    weights = l1_normalised(np.array(weights, dtype=np.float64))
    score = corpus_bleu_at(pool, weights, settings.smooth)
    groups = width_groups(pool.mask)
    for _ in range(settings.max_sweeps):
        directions = sweep_directions(len(weights), settings.random_directions, rng)
        step = best_step(pool, weights, score, directions, settings.smooth, groups)
        if step is None:
            break
        direction, result = step
        weights = l1_normalised(weights + result.gamma * direction)
        score = result.bleu
    return Climb(weights, score)


def climb_shared(pool: PaddedPool | str, weights: np.ndarray, rng: np.random.Generator,
                 settings: ClimbSettings) -> Climb:
    """`climb` on a pool given as arrays or as the directory that `save_padded` wrote (in a worker)."""
    return climb(load_padded(pool) if isinstance(pool, str) else pool, weights, rng, settings)


def sweep_directions(dims: int, random_directions: int, rng: np.random.Generator) -> list[np.ndarray]:
    """The feature axes and `random_directions` random unit (L1) directions."""
    axes = list(np.eye(dims))
    return axes + [l1_normalised(rng.uniform(-1.0, 1.0, dims)) for _ in range(random_directions)]


def best_step(pool: PaddedPool, weights: np.ndarray, score: float, directions: list[np.ndarray], smooth: str,
              groups: list[WidthGroup] | None = None):
    """(direction, line search result) of the direction whose step raises BLEU most, or None."""
    best = None
    intercepts = pool.features @ weights  # the same along every direction
    for direction in directions:
        result = line_search(pool, weights, direction, smooth, groups, intercepts)
        if result.bleu > score + IMPROVEMENT and (best is None or result.bleu > best[1].bleu):
            best = (direction, result)
    return best


def best_climb(climbs: list[Climb]) -> Climb:
    """The climb with the highest BLEU; between equal ones (within IMPROVEMENT), the first."""
    best = climbs[0]
    for candidate in climbs[1:]:
        if candidate.bleu > best.bleu + IMPROVEMENT:
            best = candidate
    return best


class MertTuner:
    """Och's MERT: coordinate ascent with exact line searches and random restarts.

    The climbs from the start points are independent, so with `workers` (a
    `pseudogen.workers.ParallelMap`, e.g. the tuning decoders' pool) they run in
    its processes, the pool shared through files; each start point has its own
    random generator, seeded by (seed, optimisation number, start index) and
    made before the work is shared out, so the weights do not depend on the
    number of processes.
    """

    name = "mert"
    uses_workers = True

    def __init__(self, restarts: int = 10, random_directions: int = 3, max_sweeps: int = 100,
                 smooth: str = "exp", seed: int = 0, workers: ParallelMap | None = None):
        self.restarts = restarts
        self.settings = ClimbSettings(random_directions, max_sweeps, smooth)
        self.seed = seed
        self.workers = workers
        self.optimisations = 0

    def optimise(self, pool: NbestPool, weights: np.ndarray) -> np.ndarray:
        """The weights, from `weights` and the random restarts, that maximise BLEU on the pool."""
        starts = self.start_points(np.asarray(weights, dtype=np.float64))
        self.optimisations += 1
        padded = pool.padded()
        if self.workers is None or self.workers.processes == 1:
            climbs = [climb(padded, start, rng, self.settings) for start, rng in starts]
        else:
            climbs = self._climb_in_workers(padded, starts)
        return l1_normalised(best_climb(climbs).weights)

    def start_points(self, weights: np.ndarray) -> list[tuple[np.ndarray, np.random.Generator]]:
        """(start, its generator): the current weights, then `restarts` points uniform in [-1, 1]^d."""
        starts = []
        for index in range(self.restarts + 1):
            rng = np.random.default_rng([self.seed, self.optimisations, index])
            starts.append((weights if index == 0 else rng.uniform(-1.0, 1.0, len(weights)), rng))
        return starts

    def _climb_in_workers(self, padded: PaddedPool,
                          starts: list[tuple[np.ndarray, np.random.Generator]]) -> list[Climb]:
        with tempfile.TemporaryDirectory(prefix="pseudogen-mert-") as directory:
            save_padded(padded, directory)
            tasks = [(directory, start, rng, self.settings) for start, rng in starts]
            return self.workers.starmap(climb_shared, tasks)
