"""Moved to `pseudogen.workers`; this re-export is kept until stages.py, tune/corpus_tuning.py and
evaluate/run.py import it from there (remove after the merge of issue 10)."""
from pseudogen.workers import ParallelMap  # noqa: F401
