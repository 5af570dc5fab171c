"""Fixtures that many test files share.

Markers (registered in setup.cfg): `slow` marks the end-to-end tests that train
models; `pytest -m "not slow"` leaves them out.
"""
import pytest
from click.testing import CliRunner


@pytest.fixture
def runner() -> CliRunner:
    """Runs a click command in this process: `runner.invoke(main, args, input=...)`.

    With click >= 8.2 a result's `output` is stdout and stderr as a terminal
    shows them, and `stdout` and `stderr` hold each stream alone.
    """
    return CliRunner()
