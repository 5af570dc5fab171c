"""`pseudogen translate PATH...` on whole files: layout, many files, formats, and inputs that must not break it."""
import json
import subprocess
import sys

import pytest

from pseudogen.cli import main

GOOD = "import os\n\n\ndef area(width, height):\n    # the product\n    return width * height\n"
BROKEN = "x = 1\ny = (2 +\nz = 3\n"


def write(folder, name, text, encoding="utf-8"):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_a_file_comes_out_laid_out_as_its_blocks(runner, sample_model, tmp_path):
    path = write(tmp_path, "good.py", GOOD)
    result = runner.invoke(main, ["translate", str(path), "-m", str(sample_model), "-j", "1"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 6 and lines[1] == lines[2] == ""
    assert lines[3].startswith("define") and lines[4] == "    # the product" and lines[5].startswith("    ")


def test_stdin_is_read_as_a_file(runner, sample_model):
    result = runner.invoke(main, ["translate", "-m", str(sample_model)], input="if x:\n    y = 1\n")
    assert result.exit_code == 0 and result.stdout.splitlines()[1].startswith("    ")


def test_a_directory_is_translated_file_by_file_and_bad_files_are_reported(runner, sample_model, tmp_path):
    write(tmp_path, "pkg/a.py", GOOD)
    write(tmp_path, "pkg/sub/b.py", "return_value = compute(x)\n")
    write(tmp_path, "pkg/test_c.py", "x = 1\n")
    write(tmp_path, "pkg/latin.py", "# -*- coding: latin-1 -*-\nname = 'é'\n", "latin-1")
    write(tmp_path, "pkg/bad.py", b"x = 1\n" * 3 + b"s = '\xff'\n")
    write(tmp_path, "pkg/broken.py", BROKEN)
    result = runner.invoke(main, ["translate", str(tmp_path / "pkg"), "-m", str(sample_model), "--exclude",
                                  "test_*", "-j", "1"])
    assert result.exit_code == 1
    headers = [line for line in result.stdout.splitlines() if line.startswith("==> ")]
    assert [h.split("/pkg/")[1] for h in headers] == ["a.py <==", "bad.py <==", "broken.py <==", "latin.py <==",
                                                      "sub/b.py <=="]
    errors = result.stderr.splitlines()
    assert any(e.endswith("bad.py: bytes that are not utf-8 at byte offset 23 (line 4); declare the file's "
                          "encoding (PEP 263) or convert it") for e in errors)
    assert any("broken.py:2: '(' was never closed" in e for e in errors)
    assert len(errors) == 2 and "Traceback" not in result.output
    broken = result.stdout.split("broken.py <==\n")[1].splitlines()
    assert broken[1].startswith("[cannot parse: '(' was never closed") and broken[2] and broken[0]


def test_limits_are_checked_before_the_work(runner, sample_model, tmp_path):
    long = write(tmp_path, "long.py", "x = [" + ", ".join(["1"] * 500) + "]\ny = 2\n")
    result = runner.invoke(main, ["translate", str(long), "-m", str(sample_model), "--max-statement-chars", "100"])
    assert result.exit_code == 1
    assert "over the limit of 100 (--max-statement-chars)" in result.stderr
    assert result.stdout.splitlines()[0].startswith("[not translated: a statement of 2,005 characters")
    result = runner.invoke(main, ["translate", "/dev/zero", str(long), "-m", str(sample_model),
                                  "--max-file-bytes", "1000"])
    assert result.exit_code == 1 and "/dev/zero: larger than the limit of 1,000 bytes" in result.stderr
    assert "--max-file-bytes" in result.stderr and "x = " not in result.stdout


@pytest.mark.parametrize("form, check", [
    ("comments", lambda out: out.splitlines()[0].startswith("# ") and "import os" in out),
    ("side-by-side", lambda out: " │ " in out.splitlines()[0]),
    ("json", lambda out: json.loads(out)["files"][0]["segments"][0]["pseudo_code"]),
    ("html", lambda out: out.startswith("<!DOCTYPE html>") and 'class="w" data-src=' in out),
    ("markdown", lambda out: "| line | code | pseudo-code |" in out),
])
def test_every_format(runner, sample_model, tmp_path, form, check):
    path = write(tmp_path, "good.py", GOOD)
    result = runner.invoke(main, ["translate", str(path), "-m", str(sample_model), "--format", form,
                                  "--width", "100"])
    assert result.exit_code == 0, result.output
    assert check(result.stdout)


def test_nbest_and_explain_in_json_and_text(runner, sample_model, tmp_path):
    path = write(tmp_path, "one.py", "x = f(y)\n")
    data = json.loads(runner.invoke(main, ["translate", str(path), "-m", str(sample_model), "--format", "json",
                                           "--nbest", "3"]).stdout)
    assert len(data["files"][0]["segments"][0]["nbest"]) == 3
    text = runner.invoke(main, ["translate", str(path), "-m", str(sample_model), "--explain"]).stdout
    assert "    | [0," in text and "rule:" in text


def test_identical_statements_are_decoded_once(sample_model, tmp_path):
    from pseudogen.files.translate import FileTranslator, read_file

    path = write(tmp_path, "same.py", "import os\n" * 50 + "x = 1\n")
    with FileTranslator(str(sample_model)) as translator:
        files = [read_file(str(path)), read_file(str(path))]
        translator.translate(files)
        assert len(translator.cache.known) == 2
        assert files[1].translations[0].text == files[0].translations[49].text


def test_several_processes_give_what_one_gives(sample_model, tmp_path):
    from pseudogen.files.translate import FileTranslator, read_file

    text = "".join(f"value_{n} = compute(item_{n}, {n})\n" for n in range(300))
    path = write(tmp_path, "many.py", text)
    outputs = []
    for processes in (1, 2):
        with FileTranslator(str(sample_model), processes=processes) as translator:
            found = read_file(str(path))
            translator.translate([found])
            outputs.append([found.pseudo_code(i) for i in range(len(found.segments))])
    assert outputs[0] == outputs[1]


def test_a_full_disk_is_one_clear_error(sample_model, tmp_path):
    path = write(tmp_path, "good.py", GOOD)
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "pseudogen", "translate", str(path), "-m", str(sample_model)],
                              stdout=full, stderr=subprocess.PIPE, text=True)
    assert done.returncode == 1
    assert done.stderr.strip() == "error: cannot write the output: No space left on device"


def test_with_lines_a_bad_byte_costs_its_line_only(runner, sample_model, tmp_path):
    path = write(tmp_path, "lines.txt", b"x = 1\n" * 1000 + b"s = '\xff'\n" + b"y = 2\n")
    result = runner.invoke(main, ["translate", "--lines", str(path), "-m", str(sample_model)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1002 and lines[1000] == "" and lines[0] and lines[1001]
    assert result.stderr.strip() == f"error: {path}:1001: bytes that are not utf-8 at column 6"


@pytest.mark.parametrize("form", ["html", "json"])
def test_the_model_may_be_a_path(sample_model, tmp_path, form):
    import io

    from pseudogen.files.run import translate_to

    path = write(tmp_path, "good.py", GOOD)
    out = tmp_path / f"out.{form}"
    assert translate_to([str(path)], sample_model, output=str(out), format=form, quiet=True) == 0
    assert str(sample_model) in out.read_text()
