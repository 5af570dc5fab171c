import builtins

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pseudogen.errors import PseudogenError
from pseudogen.text import JOINER, JOINERS, get_tokenizer, join_tokens, split_tokens
from pseudogen.text.en import EnglishTokenizer


@pytest.fixture(scope="module")
def en():
    return EnglishTokenizer()


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("from django.conf import settings.", ["from", "django", "@.@", "conf", "import", "settings", "."]),
        ("substitute it for self._cache.", ["substitute", "it", "for", "self", "@.@", "_cache", "."]),
        ("call a.b.c_d, e.g. now", ["call", "a", "@.@", "b", "@.@", "c_d", ",", "e", "@.@", "g", ".", "now"]),
        ("call the function x.y() now,", ["call", "the", "function", "x.y()", "now", ","]),
        ("value under kwargs['LOCATION'] key:", ["value", "under", "kwargs['LOCATION']", "key", ":"]),
        ("define the __init__ method;", ["define", "the", "__init__", "method", ";"]),
        ("pi is 3.14.", ["pi", "is", "3.14", "."]),
        ("replace '%s' with name.", ["replace", "'%s'", "with", "name", "."]),
        ("string 'abc def'.", ["string", "'abc def'", "."]),
        ('string "x", then', ["string", '"x"', ",", "then"]),
        ("string \"You must define a '%s' cache\" as", ["string", "\"You must define a '%s' cache\"", "as"]),
        ("strings u'a b' and b'c'", ["strings", "u'a b'", "and", "b'c'"]),
        ("it doesn't matter (see f(x)).", ["it", "doesn't", "matter", "(", "see", "f(x)", ")", "."]),
        ("the users' names", ["the", "users'", "names"]),
        ("a string '.' or ')'", ["a", "string", "'.'", "or", "')'"]),
        ("wait...", ["wait", ".", ".", "."]),
        ("a - b", ["a", "-", "b"]),
        ("", []),
    ],
)
def test_english_tokens(en, text, tokens):
    assert en.tokenize(text) == tokens
    assert en.detokenize(tokens) == text


def test_english_collapses_whitespace(en):
    assert en.detokenize(en.tokenize("  two  spaces\there. ")) == "two spaces here."


@given(st.lists(st.sampled_from(["call", "x.y()", "'a b'", "3.14", "self._c", "kwargs['k']", "f(x)"]), min_size=1),
       st.sampled_from(["", ".", ",", ":", ";"]))
def test_english_round_trip_of_code_words(words, end):
    en = EnglishTokenizer()
    text = " ".join(words) + end
    assert en.detokenize(en.tokenize(text)) == text


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_english_tokens_lose_only_whitespace(text):
    assume(not any(joiner in text for joiner in JOINERS))  # a joiner standing alone reads as its symbol (documented)
    tokens = EnglishTokenizer().tokenize(text)
    assert "".join("".join(JOINERS.get(t, t) for t in tokens).split()) == "".join(text.split())
    assert all(token for token in tokens)


def test_token_lines_keep_spaces_inside_tokens():
    tokens = ["string", "'a b'", "."]
    assert join_tokens(tokens) == "string 'a\u2581b' ."
    assert split_tokens(join_tokens(tokens)) == tokens


def test_registry_knows_languages():
    assert get_tokenizer("en").tokenize("a b.") == ["a", "b", "."]
    assert get_tokenizer("space").tokenize("a  b.") == ["a", "b."]
    with pytest.raises(PseudogenError, match="no tokenizer for language 'xx'; known: en, ja, space"):
        get_tokenizer("xx")


def test_japanese_keeps_code_whole():
    pytest.importorskip("fugashi")
    ja = get_tokenizer("ja")
    tokens = ja.tokenize("変数self._cacheに'default value'を代入する。")
    assert tokens == ["変数", "self._cache", "に", "'default value'", "を", "代入", "する", "。"]
    assert ja.detokenize(tokens) == "変数self._cacheに'default value'を代入する。"


def test_japanese_keeps_the_code_tokens_it_is_given_whole():
    pytest.importorskip("fugashi")
    from pseudogen.text import tokenize_about

    ja = get_tokenizer("ja")
    assert ja.tokenize("文字列2を大文字にする")[:3] == ["文字", "列", "2"]
    assert ja.tokenize("文字列2を大文字にする", keep=["文字列2", "upper"])[:2] == ["文字列2", "を"]
    assert tokenize_about(ja, "文字列を文字列2に連結する", ["文字列", "文字列2"])[:4] == ["文字列", "を", "文字列2", "に"]
    assert tokenize_about(get_tokenizer("en"), "add x2 to x", ["x2"]) == ["add", "x2", "to", "x"]


def test_japanese_spaces_between_ascii_tokens():
    pytest.importorskip("fugashi")
    ja = get_tokenizer("ja")
    assert ja.detokenize(ja.tokenize("関数 f(x) と g を呼ぶ")) == "関数f(x)とgを呼ぶ"
    assert ja.detokenize(["x", "と", "a", "b", "。"]) == "xとa b。"


def test_japanese_text_does_not_start_with_a_clause_closer():
    pytest.importorskip("fugashi")
    ja = get_tokenizer("ja")
    assert ja.detokenize(["、", "key", "items"]) == "key items"  # `for` -> 、 (an alignment to a comma) came first
    assert ja.detokenize(["。", "、", "x", "を", "返す"]) == "xを返す"
    assert ja.detokenize(["x", "を", "取り出し", "、", "返す", "。"]) == "xを取り出し、返す。"  # only at the start
    assert ja.detokenize(["、"]) == "" and ja.detokenize([]) == ""


def test_japanese_missing_package_says_what_to_install(monkeypatch):
    real_import = builtins.__import__

    def no_fugashi(name, *args, **kwargs):
        if name == "fugashi":
            raise ImportError("No module named 'fugashi'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_fugashi)
    with pytest.raises(PseudogenError, match=r"pip install 'pseudogen\[ja\]'"):
        get_tokenizer("ja")


def test_cli_tokenize_and_back(runner):
    from pseudogen.cli import main

    text = "call f(x) with string 'a b', ok.\nfrom django.conf import settings.\n"
    tokens = runner.invoke(main, ["tokenize"], input=text)
    assert tokens.exit_code == 0
    assert tokens.output == "call f(x) with string 'a\u2581b' , ok .\nfrom django @.@ conf import settings .\n"
    back = runner.invoke(main, ["tokenize", "--detokenize"], input=tokens.output)
    assert back.output == text
    bad = runner.invoke(main, ["tokenize", "-l", "xx"], input=text)
    assert bad.exit_code == 2 and "Invalid value for '-l' / '--text-language': 'xx' is not one of" in bad.output
    old = runner.invoke(main, ["tokenize", "--lang", "space"], input=text)
    assert old.exit_code == 0 and "--lang is deprecated" in old.stderr


def test_cli_tokenize_reports_a_bad_line_and_goes_on(tmp_path, runner):
    from pseudogen.cli import main

    path = tmp_path / "in.txt"
    path.write_bytes(b"first line.\n\xff\nthird, line\n")
    result = runner.invoke(main, ["tokenize", str(path)])
    assert result.exit_code == 1
    assert result.stdout == "first line .\n\nthird , line\n"
    assert f"warning: {path}:2: bytes that are not UTF-8 (at column 1)" in result.output


# -- text that describes C++ -------------------------------------------------------------

@pytest.mark.parametrize("text, tokens", [
    ("if s[i] != '/'", ["if", "s", "[", "i", "]", "!=", "'/'"]),
    ("set a[i - 1] to b[i][j].", ["set", "a", "[", "i", "-", "1", "]", "to", "b", "[", "i", "]", "[", "j", "]", "."]),
    ("x = arr[i].second", ["x", "=", "arr", "[", "i", "]", "@.@", "second"]),
    ("print \"[x]\" and it->first", ["print", '"[x]"', "and", "it", "@->@", "first"]),
    ("if idx != string::npos", ["if", "idx", "!=", "string", "@::@", "npos"]),
])
def test_cpp_pseudo_code_splits_subscripts_and_comes_back(text, tokens):
    from pseudogen.text import get_tokenizer

    tokenizer = get_tokenizer("en", "cpp")
    assert tokenizer.tokenize(text) == tokens
    assert tokenizer.detokenize(tokens) == text


def test_subscripts_stay_whole_for_python():
    from pseudogen.text import get_tokenizer

    assert get_tokenizer("en", "python").tokenize("kwargs['a'] and s[i]") == ["kwargs['a']", "and", "s[i]"]
    assert get_tokenizer("en").tokenize("p->next") == ["p", "@->@", "next"]
