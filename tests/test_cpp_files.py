"""Whole C++ files: segments from the tree-sitter parse, and `pseudogen translate file.cpp` end to end.

The end-to-end tests train a small model on the SPoC slice `corpora/sample-cpp` (the session fixture
`sample_cpp_model`, seconds) and translate files with it in every format."""
import json

import pytest

pytest.importorskip("tree_sitter_cpp")

from pseudogen.cli import main  # noqa: E402
from pseudogen.files.cpp_segments import segment_cpp, statement_tokens  # noqa: E402
from pseudogen.syntax.cpp import parser  # noqa: E402

PROGRAM = """\
#include <bits/stdc++.h>
using namespace std;

// a node of the list
struct node {
  int x;
};

int main() {
  int n;
  cin >> n;  // how many
  for (int i = 0; i < n; i++) {
    if (a[i] > m) m = a[i];
    if (x) {
      y++;
    } else if (z) {
      w--;
    } else {
      q = 1;
    }
  }
  do {
    x++;
  } while (x < 3);
  switch (x) {
    case 1:
      break;
  }
  cout << n
       << endl;
  return 0;
}
"""


def _rows(source: str) -> list[tuple]:
    return [(s.kind, s.line, s.depth, s.text) for s in segment_cpp(source)]


def test_segments_follow_the_blocks():
    assert _rows(PROGRAM) == [
        ("statement", 1, 0, "#include <bits/stdc++.h>"),
        ("statement", 2, 0, "using namespace std ;"),
        ("blank", 3, 0, ""),
        ("comment", 4, 0, "a node of the list"),
        ("header", 5, 0, "struct node"),
        ("statement", 6, 1, "int x ;"),
        ("blank", 8, 0, ""),
        ("header", 9, 0, "int main ( )"),
        ("statement", 10, 1, "int n ;"),
        ("statement", 11, 1, "cin >> n ;"),
        ("comment", 11, 1, "how many"),
        ("header", 12, 1, "for ( int i = 0 ; i < n ; i ++ )"),
        ("statement", 13, 2, "if ( a [ i ] > m ) m = a [ i ] ;"),   # on one line: one statement, as SPoC writes it
        ("header", 14, 2, "if ( x )"),
        ("statement", 15, 3, "y ++ ;"),
        ("header", 16, 2, "else if ( z )"),
        ("statement", 17, 3, "w -- ;"),
        ("header", 18, 2, "else"),
        ("statement", 19, 3, "q = 1 ;"),
        ("header", 22, 1, "do"),
        ("statement", 23, 2, "x ++ ;"),
        ("statement", 24, 1, "while ( x < 3 ) ;"),
        ("header", 25, 1, "switch ( x )"),
        ("header", 26, 2, "case 1 :"),
        ("statement", 27, 3, "break ;"),
        ("statement", 29, 1, "cout << n << endl ;"),                   # over two lines: one statement
        ("statement", 31, 1, "return 0 ;"),
    ]


def test_a_syntax_error_is_marked_and_the_rest_segmented():
    rows = _rows("int main() {\n  x = 1 +;\n  y = 2;\n}\n")
    assert rows[1][0] == "error" and rows[1][1] == 2 and "cannot parse as C++" in rows[1][3]
    assert rows[2] == ("statement", 3, 1, "y = 2 ;")


def test_statement_tokens_have_places():
    tokens = statement_tokens('cout << "a b"\n  << x; // note')
    assert [t.string for t in tokens] == ["cout", "<<", '"a b"', "<<", "x", ";"]
    assert tokens[2].start == (1, 8) and tokens[3].start == (2, 2)


def _tokens(source: str) -> list[str]:
    """The file's tokens less comments, and whether tree-sitter found any error."""
    tree = parser().parse(source.encode())
    found, stack = [], [tree.root_node]
    while stack:
        node = stack.pop()
        if node.child_count == 0 or node.type in ("string_literal", "char_literal"):
            if node.type != "comment":
                found.append(node.text.decode())
        else:
            stack.extend(reversed(node.children))
    assert not tree.root_node.has_error
    return found


def test_a_pseudo_code_comment_never_continues_onto_the_next_line():
    from pseudogen.files.languages import file_language

    assert file_language("cpp").comment_line("print a \\") == "// print a "  # `\` at the end would join lines
    assert file_language("python").comment_line("print a \\") == "# print a \\"


@pytest.mark.slow
def test_translate_a_file_in_every_format(runner, sample_cpp_model, tmp_path):
    code = tmp_path / "a.cpp"
    code.write_text(PROGRAM, encoding="utf-8")
    text = runner.invoke(main, ["translate", str(code), "-m", str(sample_cpp_model)])
    assert text.exit_code == 0, text.output
    lines = text.stdout.splitlines()
    segments = segment_cpp(code.read_text())
    assert len(lines) == len([s for s in segments if s.kind != "blank"]) + 2  # and the 2 blank lines
    assert lines[11].startswith("    ") and not lines[11].startswith("        ")  # `for` is one block deep
    commented = runner.invoke(main, ["translate", str(code), "-m", str(sample_cpp_model), "--format", "comments"])
    assert commented.exit_code == 0
    assert _tokens(commented.stdout) == _tokens(code.read_text())  # the same program, with comments added
    assert commented.stdout.count("\n// ") + commented.stdout.count("  // ") > 20
    for name in ("side-by-side", "markdown", "html"):
        result = runner.invoke(main, ["translate", str(code), "-m", str(sample_cpp_model), "--format", name])
        assert result.exit_code == 0
    document = json.loads(runner.invoke(main, ["translate", str(code), "-m", str(sample_cpp_model),
                                              "--format", "json"]).stdout)
    words = [w for s in document["files"][0]["segments"] for w in s.get("words", [])]
    assert any(w["tokens"] for w in words)  # words point at the places of their tokens


@pytest.mark.slow
def test_broken_and_undecodable_files_are_marked_and_the_others_go_on(runner, sample_cpp_model, tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "broken.cpp").write_text("int main() {\n  x = 1 +;\n  cin >> n;\n}\n", encoding="utf-8")
    (tmp_path / "src" / "latin1.cpp").write_bytes("// caf\xe9\nint x;\n".encode("latin-1"))
    (tmp_path / "src" / "good.cc").write_text("int main() {\n  return 0;\n}\n", encoding="utf-8")
    (tmp_path / "src" / "skipped.py").write_text("x = 1\n", encoding="utf-8")
    result = runner.invoke(main, ["translate", str(tmp_path / "src"), "-m", str(sample_cpp_model)])
    assert result.exit_code == 1
    assert "broken.cpp:2: cannot parse as C++" in result.stderr
    assert "latin1.cpp: bytes that are not utf-8 at byte offset 6 (line 1)" in result.stderr
    assert "skipped.py" not in result.output + result.stderr  # a directory gives its C++ files only
    assert "==> " + str(tmp_path / "src" / "good.cc") in result.stdout
    assert "[cannot parse: cannot parse as C++" in result.stdout
    wrong = runner.invoke(main, ["translate", str(tmp_path / "src" / "skipped.py"), "-m", str(sample_cpp_model)])
    assert wrong.exit_code == 1 and "a python file, but the model translates cpp" in wrong.stderr


@pytest.mark.slow
def test_size_limits(runner, sample_cpp_model, tmp_path):
    big = tmp_path / "big.cpp"
    big.write_text("int x;\n" * 1000, encoding="utf-8")
    result = runner.invoke(main, ["translate", str(big), "-m", str(sample_cpp_model), "--max-file-bytes", "100"])
    assert result.exit_code == 1 and "larger than the limit of 100 bytes" in result.stderr
    long = tmp_path / "long.cpp"
    long.write_text("int x = " + " + ".join(["1"] * 400) + ";\n", encoding="utf-8")
    result = runner.invoke(main, ["translate", str(long), "-m", str(sample_cpp_model), "--max-statement-chars", "100"])
    assert result.exit_code == 1 and "over the limit of 100" in result.stderr


@pytest.mark.slow
def test_evaluate_by_construct_groups_cpp_lines(runner, sample_cpp_model):
    from pathlib import Path

    corpus = Path(__file__).resolve().parent.parent / "corpora" / "sample-cpp"
    result = runner.invoke(main, ["evaluate", str(corpus), "-m", str(sample_cpp_model), "--by-construct", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "input" in result.stdout and "declaration" in result.stdout and "if/else" in result.stdout
    assert "augmented assignment" not in result.stdout  # Python's groups
    rules = runner.invoke(main, ["rules", "query", "cin >> a;", "-m", str(sample_cpp_model), "--code-language", "cpp"])
    assert rules.exit_code == 0 and "(binary_expression (Name cin) (>> >>) (Name a))" in rules.stdout
