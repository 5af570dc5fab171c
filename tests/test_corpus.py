import hashlib
import http.server
import threading
from functools import partial
from pathlib import Path

import pytest

from pseudogen.corpus import resolve
from pseudogen.corpus.fetch import Manifest, SourceFile, fetch_corpus, load_manifest, prefix_sha256
from pseudogen.corpus.jsonl import import_jsonl, read_jsonl
from pseudogen.corpus.parallel import Pair, read_split, write_split
from pseudogen.corpus.spoc import import_spoc, read_spoc
from pseudogen.corpus.stats import code_tokens, copyable, corpus_stats
from pseudogen.errors import PseudogenError
from pseudogen.text import get_tokenizer

SPOC_HEADER = "text\tcode\tworkerid\tprobid\tsubid\tline\tindent\n"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


# --- parallel directories ---


def test_split_round_trip(tmp_path):
    pairs = [Pair("x = 1", "x is integer 1."), Pair("return x", "return x.")]
    write_split(tmp_path, "dev", pairs)
    assert read_split(tmp_path, "dev") == pairs
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dev.anno", "dev.code"]


@pytest.mark.parametrize(
    "code, anno, message",
    [
        ("a\nb\n", "A\n", r"train.code: 2 lines, but .*train.anno has 1"),
        ("", "", r"train.code: the file is empty"),
        ("a\n", b"ok\n\xff\n", r"train.anno:2: bytes that are not UTF-8"),
    ],
)
def test_split_errors_name_file_and_line(tmp_path, code, anno, message):
    write(tmp_path / "train.code", code)
    write(tmp_path / "train.anno", anno)
    with pytest.raises(PseudogenError, match=message):
        read_split(tmp_path, "train")


def test_write_split_refuses_line_breaks(tmp_path):
    with pytest.raises(PseudogenError, match="pair 2: a corpus line cannot hold a line break"):
        write_split(tmp_path, "train", [Pair("a", "b"), Pair("if x:\n  y", "c")])
    assert not (tmp_path / "train.code").exists()


# --- SPoC ---

SPOC_ROWS = (
    "declare int n\tint n;\t1\t1A\t100\t0\t0\n"
    "\tint main() {\t1\t1A\t100\t1\t0\n"
    "read n\tcin >> n;\t1\t1A\t100\t2\t1\n"
    "print \"YES\"\tcout << \"YES\" << endl;\t2\t1A\t200\t0\t1\n"
)


def test_spoc_skips_unannotated_lines_and_keeps_programs(tmp_path):
    lines = list(read_spoc(write(tmp_path / "a.tsv", SPOC_HEADER + SPOC_ROWS)))
    assert [line.pair for line in lines] == [
        Pair("int n;", "declare int n"),
        Pair("cin >> n;", "read n"),
        Pair('cout << "YES" << endl;', 'print "YES"'),
    ]
    assert [(line.program, line.line, line.indent) for line in lines] == [("1A/100", 0, 0), ("1A/100", 2, 1), ("1A/200", 0, 1)]


@pytest.mark.parametrize(
    "content, message",
    [
        ("text\tcode\n", r"a.tsv:1: expected the SPoC header"),
        (SPOC_HEADER + "x\ty\t1\n", r"a.tsv:2: expected 7 tab-separated fields, found 3"),
        (SPOC_HEADER + "x\ty\t1\tP\t1\tone\t0\n", r"a.tsv:2: line 'one' and indent '0' must be whole numbers"),
        (SPOC_HEADER + "x\t \t1\tP\t1\t0\t0\n", r"a.tsv:2: pseudo-code given for an empty line of code"),
        ("", r"a.tsv: the file is empty"),
    ],
)
def test_spoc_errors(tmp_path, content, message):
    with pytest.raises(PseudogenError, match=message):
        list(read_spoc(write(tmp_path / "a.tsv", content)))


def test_spoc_import_reports_bad_rows_and_goes_on(tmp_path):
    tsv = write(tmp_path / "a.tsv", SPOC_HEADER + "x\ty\n" + SPOC_ROWS)
    errors = []
    lines = import_spoc([tsv], tmp_path / "out", "dev", errors.append)
    assert [str(err) for err in errors] == [f"{tsv}:2: expected 7 tab-separated fields, found 2"]
    assert len(lines) == 3
    assert read_split(tmp_path / "out", "dev")[1] == Pair("cin >> n;", "read n")
    assert (tmp_path / "out" / "dev.programs").read_text().splitlines() == ["1A\t100\t0\t0", "1A\t100\t2\t1", "1A\t200\t0\t1"]


# --- JSON Lines ---


def test_jsonl_reads_configured_keys(tmp_path):
    path = write(tmp_path / "d.jsonl", '{"snippet": "f(x)", "intent": "call f"}\n\n{"snippet": "g()", "intent": "call g"}\n')
    assert list(read_jsonl(path, "snippet", "intent")) == [Pair("f(x)", "call f"), Pair("g()", "call g")]


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"code": "x"', r"d.jsonl:2: not JSON: Expecting ',' delimiter at column 13"),
        ('["x", "y"]', r"d.jsonl:2: expected a JSON object, found list"),
        ('{"code": "x"}', r"d.jsonl:2: no key 'text' \(keys: 'code'\)"),
        ('{"code": 1, "text": "y"}', r"d.jsonl:2: the value of 'code' must be a string, not int"),
    ],
)
def test_jsonl_errors(tmp_path, line, message):
    path = write(tmp_path / "d.jsonl", '{"code": "a", "text": "b"}\n' + line + "\n")
    with pytest.raises(PseudogenError, match=message):
        list(read_jsonl(path))


def test_jsonl_import_skips_bad_and_multiline_records(tmp_path):
    path = write(tmp_path / "d.jsonl", '{"code": "a", "text": "b"}\nnot json\n{"code": "if x:\\n  y", "text": "c"}\n')
    errors = []
    pairs = import_jsonl(path, tmp_path / "out", on_error=errors.append)
    assert pairs == [Pair("a", "b")]
    assert [err.place for err in errors] == [f"{path}:2", f"{path}:3"]
    assert read_split(tmp_path / "out") == [Pair("a", "b")]


# --- resolution ---


@pytest.fixture
def places(tmp_path, monkeypatch):
    """Separate data, repository-side and cache roots, with the environment pointing at them."""
    roots = {name: tmp_path / name for name in ("data", "repo", "cache")}
    monkeypatch.setenv("PSEUDOGEN_DATA", str(roots["data"]))
    monkeypatch.setenv("XDG_CACHE_HOME", str(roots["cache"]))
    monkeypatch.setattr(resolve, "REPO_ROOT", roots["repo"] / "pseudogen-checkout")
    return roots


def test_resolution_order(places):
    shared = places["repo"] / "shared" / "corpora" / "toy"
    bundled = places["repo"] / "pseudogen-checkout" / "corpora" / "toy"
    cached = places["cache"] / "pseudogen" / "corpora" / "toy"
    data = places["data"] / "toy"
    expected = []
    for directory in (cached, bundled, shared, data):
        directory.mkdir(parents=True)
        expected.append(resolve.resolve_corpus("toy"))
    assert expected == [cached, bundled, shared, data]


def test_explicit_directory_wins(places, tmp_path):
    (places["data"] / "toy").mkdir(parents=True)
    explicit = tmp_path / "toy"
    explicit.mkdir()
    assert resolve.resolve_corpus(str(explicit)) == explicit


def test_resolution_error_lists_places(places):
    with pytest.raises(PseudogenError) as caught:
        resolve.resolve_corpus("toy")
    message = str(caught.value)
    assert message.startswith("no corpus named 'toy'; tried ")
    assert str(places["data"] / "toy") in message
    assert str(places["cache"] / "pseudogen" / "corpora" / "toy") in message
    assert "shared" not in message  # no shared/ beside this checkout


def test_corpora_root_order(places, tmp_path):
    assert resolve.corpora_root(tmp_path) == tmp_path
    places["data"].mkdir()
    assert resolve.corpora_root() == places["data"]
    shared = places["repo"] / "shared" / "corpora"
    shared.mkdir(parents=True)
    assert resolve.corpora_root() == places["data"]
    places["data"].rmdir()
    assert resolve.corpora_root() == shared


@pytest.mark.parametrize("given, message", [("./nowhere", "no such corpus directory"), (None, "no corpus given")])
def test_resolution_of_bad_paths(places, given, message):
    with pytest.raises(PseudogenError, match=message):
        resolve.resolve_corpus(given)


# --- fetch ---


@pytest.fixture
def server(tmp_path):
    """An HTTP server on 127.0.0.1 serving the directory `tmp_path/www`."""
    root = tmp_path / "www"
    root.mkdir()
    handler = partial(QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def toy_manifest(code_lines: list[str], anno_lines: list[str]) -> Manifest:
    def source(side, lines):
        digest = prefix_sha256([line.encode() for line in lines], 4)
        return SourceFile(side, f"all.{side}", 4, digest)

    return Manifest("toy", "", "http://unused.invalid/", 5, (source("code", code_lines), source("anno", anno_lines)),
                    {"train": (1, 3), "dev": (4, 4), "test": (5, 5)})


CODE = ["a = 1", "b = 2", "c = 3", "d = 4", "e = 5"]
ANNO = ["a is 1.", "b is 2.", "c is 3.", "d is 4.", "e is 5."]


def test_fetch_downloads_checks_and_splits(server, tmp_path):
    root, url = server
    write(root / "all.code", "".join(f"{line}\n" for line in CODE))
    write(root / "all.anno", "".join(f"{line}\r\n" for line in ANNO))
    seen = []
    dest = fetch_corpus(toy_manifest(CODE, ANNO), tmp_path / "toy", url, lambda *args: seen.append(args))
    assert read_split(dest, "train") == [Pair(c, a) for c, a in zip(CODE[:3], ANNO[:3])]
    assert read_split(dest, "dev") == [Pair("d = 4", "d is 4.")]
    assert read_split(dest, "test") == [Pair("e = 5", "e is 5.")]
    assert (dest / "all.anno").read_text() == "".join(f"{line}\n" for line in ANNO)
    assert seen[-1] == (url + "all.anno", 45, 45)


def test_fetch_checksum_mismatch_writes_nothing(server, tmp_path):
    root, url = server
    write(root / "all.code", "".join(f"{line}\n" for line in CODE))
    write(root / "all.anno", "".join(f"{line}\n" for line in ["a is one."] + ANNO[1:]))
    with pytest.raises(PseudogenError, match=r"all.anno: checksum mismatch: the first 4 lines have SHA-256 "):
        fetch_corpus(toy_manifest(CODE, ANNO), tmp_path / "toy", url)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["www"]


def test_fetch_errors(server, tmp_path):
    root, url = server
    write(root / "all.code", "".join(f"{line}\n" for line in CODE[:4]))
    with pytest.raises(PseudogenError, match=r"all.code: expected 5 lines, found 4"):
        fetch_corpus(toy_manifest(CODE, ANNO), tmp_path / "toy", url)
    write(root / "all.code", "".join(f"{line}\n" for line in CODE))
    with pytest.raises(PseudogenError, match=r"all.anno: download failed: HTTP 404"):
        fetch_corpus(toy_manifest(CODE, ANNO), tmp_path / "toy", url)
    (tmp_path / "toy").mkdir()
    with pytest.raises(PseudogenError, match="already there; use --force"):
        fetch_corpus(toy_manifest(CODE, ANNO), tmp_path / "toy", url)


def test_django_manifest_matches_the_shared_copy():
    manifest = load_manifest("django")
    assert manifest.lines == 18805
    assert manifest.splits == {"train": (1, 16000), "dev": (16001, 17000), "test": (17001, 18805)}
    try:
        shared = resolve.corpora_root() / "django"
    except PseudogenError:
        pytest.skip("no shared corpora here")
    for source in manifest.files:
        data = b"".join((shared / f"{split}.{source.side}").read_bytes() for split in ("train", "dev"))
        assert source.checked_lines == 17000
        assert hashlib.sha256(data).hexdigest() == source.sha256


def test_unknown_manifest():
    with pytest.raises(PseudogenError, match="no corpus 'nope' to fetch; known: django"):
        load_manifest("nope")


# --- statistics ---


def test_code_tokens_and_copyable_stretches():
    assert code_tokens("x += f(a.b, 'c d') ** 2") == ["x", "+=", "f", "(", "a", ".", "b", ",", "'c d'", ")", "**", "2"]
    assert {"a.b", "f(a.b", "'c d'"} <= copyable(code_tokens("f(a.b, 'c d')"))


def test_corpus_stats(tmp_path):
    write_split(tmp_path, "train", [Pair("x = y.z", "substitute y.z for x."), Pair("return", "return.")])
    (stats,) = corpus_stats(tmp_path, get_tokenizer("en"))
    assert (stats.split, stats.pairs) == ("train", 2)
    assert (stats.code.mean_tokens, stats.code.max_tokens, stats.code.vocabulary) == (3.0, 5, 6)
    # y.z is three tokens, y @.@ z (pseudogen.text.en)
    assert (stats.text.mean_tokens, stats.text.max_tokens, stats.text.vocabulary) == (4.5, 7, 8)
    assert stats.copy_rate == pytest.approx(4 / 6)  # words only: y, z, x, return of 6


# --- command line ---


@pytest.fixture
def cli(runner):
    from pseudogen.cli import main

    return lambda *args, **kwargs: runner.invoke(main, [str(arg) for arg in args], **kwargs)


def test_cli_stats_of_the_sample(cli):
    result = cli("corpus", "stats", "sample")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("corpora/sample")
    assert lines[2].split()[:2] == ["train", "270"]
    assert lines[3].split()[:2] == ["dev", "54"]


def test_cli_stats_error_is_one_line(cli, places):
    result = cli("corpus", "stats", "toy")
    assert result.exit_code == 1
    assert result.output.startswith("error: no corpus named 'toy'; tried ")
    assert len(result.output.splitlines()) == 1


def test_cli_import_spoc_goes_on_past_bad_rows(cli, tmp_path):
    tsv = write(tmp_path / "a.tsv", SPOC_HEADER + SPOC_ROWS + "broken\n")
    result = cli("corpus", "import-spoc", tsv, "-o", tmp_path / "out", "--into-split", "dev")
    assert result.exit_code == 0, result.output
    assert f"warning: {tsv}:6: expected 7 tab-separated fields, found 1" in result.output
    assert f"wrote 3 pairs from 2 programs to {tmp_path / 'out'}/dev.*; skipped 1 bad lines" in result.output
    assert len(read_split(tmp_path / "out", "dev")) == 3


def test_cli_import_jsonl(cli, tmp_path):
    path = write(tmp_path / "d.jsonl", '{"c": "f(x)", "t": "call f"}\n')
    result = cli("corpus", "import-jsonl", path, "-o", tmp_path / "out", "--code-key", "c", "--text-key", "t")
    assert result.exit_code == 0, result.output
    assert read_split(tmp_path / "out") == [Pair("f(x)", "call f")]
    result = cli("corpus", "import-jsonl", path, "-o", tmp_path / "out", "--code-key", "c", "--text-key", "t",
                 "--split", "dev")  # the old spelling of --into-split
    assert result.exit_code == 0 and "--split is deprecated" in result.output
    assert read_split(tmp_path / "out", "dev") == [Pair("f(x)", "call f")]


def test_cli_fetch_django_from_a_local_mirror(cli, server, tmp_path):
    try:
        shared = resolve.corpora_root() / "django"
    except PseudogenError:
        pytest.skip("no shared corpora here")
    root, url = server
    test_code = [f"x{i} = {i}" for i in range(1805)]
    test_anno = [f"x{i} is integer {i}." for i in range(1805)]
    for side, extra in (("code", test_code), ("anno", test_anno)):
        original = (shared / f"train.{side}").read_bytes() + (shared / f"dev.{side}").read_bytes()
        write(root / f"all.{side}", original + "".join(f"{line}\n" for line in extra).encode())
    result = cli("corpus", "fetch", "django", "--base-url", url, "-o", tmp_path / "django")
    assert result.exit_code == 0, result.output
    assert read_split(tmp_path / "django", "dev") == read_split(shared, "dev")
    assert read_split(tmp_path / "django", "test")[-1] == Pair("x1804 = 1804", "x1804 is integer 1804.")
    assert len(read_split(tmp_path / "django", "train")) == 16000
