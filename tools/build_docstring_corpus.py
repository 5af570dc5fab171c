"""Build the docstring → code corpus at a size where neural models can be compared: the standard library plus
named, version-pinned pure-Python packages.

    python tools/build_docstring_corpus.py -o ~/.cache/pseudogen/corpora/docstrings-large [--download-dir DIR]

The standard library alone gives about 5,000 pairs, too few to rank models
(every model then outputs `<unk>` almost everywhere). This script fetches the
wheels listed in `PACKAGES` (exact versions, checked against their SHA-256
with pip's `--require-hashes`, `--no-deps`, wheels only) into a temporary
folder, unpacks them (a wheel is a zip archive; nothing is installed or run),
and builds the corpus with `pseudogen corpus docstrings` over the running
Python's standard library and the unpacked packages, in that order
(`pseudogen.corpus.docstrings.build_docstring_corpus`: pairs deduplicated by
code, split 80/10/10 by file path). The result is the same on every machine
with the same Python version (the standard library differs between
versions); the corpus directory gets a `RECIPE.json` with the Python version,
the packages and hashes, the settings and the counts.

Downloads happen only here, never in the tests. Prints progress, time, peak
memory and the corpus's size.
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from pseudogen.corpus.docstrings import build_docstring_corpus, default_source_roots
from pseudogen.errors import PseudogenError

# name, version, SHA-256 of the py3-none-any wheel on PyPI. Pure Python, with many documented functions.
PACKAGES = (
    ("sympy", "1.13.3", "54612cf55a62755ee71824ce692986f23c88ffa77207b30c1368eda4a7060f73"),
    ("networkx", "3.4.2", "df5d4365b724cf81b8c6a7312509d0c22386097011ad1abe274afd5e9d3bbc5f"),
    ("Django", "5.1.4", "236e023f021f5ce7dee5779de7b286565fdea5f4ab86bae5338e3f7b69896cf0"),
    ("docutils", "0.21.2", "dafca5b9e384f0e419294eb4d2ff9fa826435bf15f15b7bd45723e8ad76811b2"),
    ("Twisted", "24.11.0", "fe403076c71f04d5d2d789a755b687c5637ec3bcd3b2b8252d76f2ba65f54261"),
    ("nltk", "3.9.1", "4fa26829c5b00715afe3061398a8989dc643b92ce7dd93fb4585a70930d168a1"),
    ("Sphinx", "8.1.3", "09719015511837b76bf6e03e42eb7595ac8c2e41eeb9c29c5b755c6b677992a2"),
    ("pylint", "3.3.2", "77f068c287d49b8683cd7c6e624243c74f92890f767f106ffa1ddf3c0a54cb7a"),
    ("astroid", "3.3.6", "db676dc4f3ae6bfe31cda227dc60e03438378d7a896aec57422c95634e8d722f"),
    ("hypothesis", "6.122.3", "f0f57036d3b95b979491602b32c95b6725c3af678cccb6165d8de330857f3c83"),
    ("setuptools", "75.6.0", "ce74b49e8f7110f9bf04883b730f4765b774ef3ef28f722cce7c273d253aaf7d"),
    ("openpyxl", "3.1.5", "5282c12b107bffeef825f4617dc029afaf41d0ea60823bbb665ef3079dc79de2"),
    ("ipython", "8.30.0", "85ec56a7e20f6c38fce7727dcca699ae4ffc85985aa7b23635a8008f918ae321"),
    ("jedi", "0.19.2", "a8ef22bde8490f57fe5c7681a3c83cb58874daf72b4784de3cce5b6ef6edb5b9"),
    ("parso", "0.8.4", "a418670a20291dacd2dddc80c377c5c3791378ee1e8d12bffc35420643d43f18"),
    ("pyparsing", "3.2.0", "93d9577b88da0bbea8cc8334ee8b918ed014968fd2ec383e868fb8afb1ccef84"),
    ("pip", "24.3.1", "3790624780082365f47549d032f3770eeb2b1e8bd1f7b2e02dace1afa361b4ed"),
    ("Pygments", "2.18.0", "b8e6aca0523f3ab76fee51799c488e38782ac06eafcf95e7ba832985c8e7b13a"),
    ("Jinja2", "3.1.4", "bc5dd2abb727a5319567b7a813e6a2e7318c39f4f487cfe6c89c6f9c7d25197d"),
    ("Werkzeug", "3.1.3", "54b78bf3716d19a65be4fceccc0d1d7b89e608834989dfae50ea87564639213e"),
    ("Scrapy", "2.12.0", "c33e2dc7da42e727390bacb32dd9938a54ac210fa71972b5c392754f478669cd"),
)
MIN_PAIRS = 30_000


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, required=True, help="corpus directory to write")
    parser.add_argument("--download-dir", type=Path, help="keep the wheels here (default: a temporary folder)")
    parser.add_argument("--max-source", type=int, default=50, help="at most this many docstring tokens")
    parser.add_argument("--max-target", type=int, default=80, help="at most this many code tokens")
    return parser.parse_args()


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", flush=True)


def download(directory: Path) -> list[Path]:
    """The pinned wheels in `directory`, fetched by pip with their hashes checked (already there: checked only)."""
    requirements = directory / "requirements.txt"
    requirements.write_text("".join(f"{name}=={version} --hash=sha256:{digest}\n" for name, version, digest in PACKAGES),
                            encoding="utf-8")
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--require-hashes",
               "--disable-pip-version-check", "-q", "-d", str(directory), "-r", str(requirements)]
    log(f"fetching {len(PACKAGES)} wheels: {', '.join(f'{n}=={v}' for n, v, _ in PACKAGES)}")
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise PseudogenError(f"pip download failed: {result.stderr.strip().splitlines()[-1] if result.stderr else result.returncode}")
    wheels = []
    for name, version, _ in PACKAGES:
        found = sorted(directory.glob(f"{name}-{version}-*.whl"), key=str) + sorted(directory.glob(f"{name.lower()}-{version}-*.whl"))
        if not found:
            raise PseudogenError(f"pip reported success but no wheel of {name} {version} is in {directory}")
        wheels.append(found[0])
    return wheels


def unpack(wheels: list[Path], directory: Path) -> list[Path]:
    """Each wheel's files under directory/<wheel name>/ (the packages' own relative paths, as installed)."""
    roots = []
    for wheel in wheels:
        root = directory / wheel.stem
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(root)
        roots.append(root)
    return roots


def main() -> None:
    args = parse_arguments()
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="pseudogen-docstrings-") as scratch:
            downloads = args.download_dir or Path(scratch) / "wheels"
            downloads.mkdir(parents=True, exist_ok=True)
            wheels = download(downloads)
            roots = default_source_roots() + unpack(wheels, Path(scratch) / "src")
            log(f"reading {len(roots)} source trees")
            report = build_docstring_corpus(roots, args.output, args.max_source, args.max_target)
    except PseudogenError as err:
        sys.exit(f"error: {err}")
    total = sum(report.pairs.values())
    recipe = {
        "python": platform.python_version(), "standard_library": str(default_source_roots()[0]),
        "packages": [{"name": n, "version": v, "sha256": d} for n, v, d in PACKAGES],
        "max_source": args.max_source, "max_target": args.max_target,
        "files": report.files, "files_parsed": report.files_parsed, "pairs": report.pairs, "total_pairs": total,
        "command": "python tools/build_docstring_corpus.py " + " ".join(sys.argv[1:]),
    }
    (args.output / "RECIPE.json").write_text(json.dumps(recipe, indent=1) + "\n", encoding="utf-8")
    print(report.summary())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"wrote {args.output}: {total:,} pairs ({', '.join(f'{s} {n:,}' for s, n in report.pairs.items())}); "
          f"{time.monotonic() - started:.0f} s wall, {usage.ru_utime + usage.ru_stime:.0f} s CPU, peak memory {peak:.0f} MiB")
    if total < MIN_PAIRS:
        print(f"note: fewer than {MIN_PAIRS:,} pairs", file=sys.stderr)


if __name__ == "__main__":
    main()
