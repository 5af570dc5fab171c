"""The output formats of `pseudogen translate`, on files translated by a stand-in translator (no model)."""
import ast
import json
import sysconfig
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pseudogen.files.format_json import token_places
from pseudogen.files.format_text import FormatOptions, commented_source, side_by_side_rows
from pseudogen.files.formats import FORMATS
from pseudogen.files.translate import StatementCache, StatementTranslation, read_file
from pseudogen.files.word_sources import code_tokens

SOURCE = '''\
"""Tools."""
import os  # the os module


def f(a, *, b=2):
    # check a
    if a % 5 == 0: return b; x = 1
    total = sum(a,
                b)
    return total
'''


def stand_in(statements):
    """A translation per statement: its words reversed; every word points at the statement's first token."""
    return [StatementTranslation(text=" ".join(reversed(s.split())), words=list(reversed(s.split())),
                                 sources=[[0]] * len(s.split()), score=-1.5) for s in statements]


def translated(tmp_path, text=SOURCE, name="mod.py"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    found = read_file(str(path))
    StatementCache(stand_in).fill([found])
    return found


def render(file, name, **options):
    import io

    out = io.StringIO()
    FORMATS[name]([file], out, FormatOptions(**options))
    return out.getvalue()


def test_text_is_indented_by_block_and_keeps_blank_lines_and_comments(tmp_path):
    lines = render(translated(tmp_path), "text").splitlines()
    assert lines[:4] == ["documentation: Tools.", "os import", "# the os module", ""]
    assert lines[5] == ": ) 2 = b , * , a ( f def"
    assert lines[6] == "    # check a"
    assert lines[7] == "    : 0 == 5 % a if"
    assert lines[8] == "        b return"
    assert "    ) b , a ( sum = total" in lines
    assert "# check a" not in render(translated(tmp_path), "text", comments=False)


def test_comments_format_adds_a_line_before_each_statement_at_its_indentation(tmp_path):
    text = commented_source(translated(tmp_path))
    assert text.splitlines()[:4] == ['# documentation: Tools.', '"""Tools."""', "# os import", "import os  # the os module"]
    assert "    # : 0 == 5 % a if\n    # b return\n    # 1 = x\n    if a % 5 == 0: return b; x = 1\n" in text
    assert ast.dump(ast.parse(text)) == ast.dump(ast.parse(SOURCE))


def stdlib_sample():
    root = Path(sysconfig.get_paths()["stdlib"])
    return sorted(root.glob("*.py"))[::6] + sorted((root / "email").glob("*.py"))[:4]


@pytest.mark.parametrize("path", stdlib_sample(), ids=lambda p: p.name)
def test_comments_format_parses_to_the_same_ast_on_real_files(path):
    found = read_file(str(path))
    StatementCache(stand_in).fill([found])
    commented = commented_source(found)
    assert ast.dump(ast.parse(commented)) == ast.dump(ast.parse(found.source))


def test_side_by_side_fits_the_width(tmp_path):
    rows = side_by_side_rows(translated(tmp_path), 60)
    assert all(len(left) + 3 + len(right) <= 60 for left, right in rows)
    assert rows[1] == ("import os  # the os module".ljust(28), "os import")
    assert all(left.startswith("#") or not left.strip().startswith("# check") for left, _ in rows[:5])


def test_json_has_places_depths_scores_and_word_sources(tmp_path):
    data = json.loads(render(translated(tmp_path), "json", model="M"))
    assert data["model"] == "M" and data["files"][0]["path"].endswith("mod.py")
    segments = data["files"][0]["segments"]
    total = next(s for s in segments if s["code"].startswith("total"))
    assert (total["line"], total["column"], total["end_line"], total["depth"]) == (8, 4, 9, 1)
    assert total["pseudo_code"] == ") b , a ( sum = total" and total["score"] == -1.5
    assert total["words"][0] == {"word": ")", "tokens": [[8, 4, 8, 9]]}
    comment = next(s for s in segments if s["kind"] == "comment")
    assert comment["comment"] == "the os module"


def test_token_places_follow_the_source(tmp_path):
    total = next(s for s in translated(tmp_path).segments if s.code.startswith("total"))
    places = token_places(total)
    assert len(places) == len(code_tokens(total.text)) == 8
    assert places[-1] == [9, 17, 9, 18]  # the closing parenthesis on the second line


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.sources, self.open = set(), [], []
        self.external = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in ("meta", "col", "br"):
            self.open.append(tag)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if "data-src" in attrs:
            self.sources.extend(attrs["data-src"].split())
        if tag in ("script", "link", "img") and (attrs.get("src") or attrs.get("href")):
            self.external.append(attrs)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, (tag, self.open[-3:])
        self.open.pop()


def test_html_is_one_standalone_well_formed_page_whose_words_point_at_tokens(tmp_path):
    page = render(translated(tmp_path, SOURCE + "s = '<b>&'\n"), "html")
    parser = _Collector()
    parser.feed(page)
    assert parser.open == [] and parser.external == []
    assert parser.sources and set(parser.sources) <= parser.ids
    assert "&lt;b&gt;&amp;" in page and "<b>&" not in page


def test_markdown_is_a_table_per_file(tmp_path):
    lines = render(translated(tmp_path), "markdown").splitlines()
    assert lines[0].startswith("## ") and lines[2] == "| line | code | pseudo-code |"
    assert "| 7 | &emsp;`if a % 5 == 0:` | &emsp;: 0 == 5 % a if |" in lines
    assert "| 7 | &emsp;&emsp;`return b` | &emsp;&emsp;b return |" in lines
