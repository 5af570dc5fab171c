"""The web API through FastAPI's test client: every endpoint, every limit, and the requests that go wrong.

One worker pool (a real worker process with the sample model) serves every
test here; each test makes its application with the limits it needs.
"""
import json
import time

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from pseudogen.web.app import create_app  # noqa: E402
from pseudogen.web.catalog import open_catalog  # noqa: E402
from pseudogen.web.limits import Limits  # noqa: E402
from pseudogen.web.pool import WorkerPool  # noqa: E402

FILE = "import os\n\ndef f(x):\n    # a comment\n    if x > 5:\n        return x\n    return None\n"


@pytest.fixture(scope="module")
def served(sample_model):
    catalog = open_catalog([str(sample_model)])
    pool = WorkerPool(catalog.paths(), processes=1).start()
    yield catalog, pool
    pool.stop()


@pytest.fixture
def client(served):
    return make_client(served)


def make_client(served, **limits):
    catalog, pool = served
    return TestClient(create_app(catalog, Limits(**limits), pool=pool))


def post(client, body, **kwargs):
    return client.post("/api/translate", json=body, **kwargs)


def test_translate_gives_the_json_format_of_the_command_line(client, sample_model, runner, tmp_path):
    from pseudogen.cli import main

    answer = post(client, {"code": FILE})
    assert answer.status_code == 200
    document = answer.json()
    (tmp_path / "f.py").write_text(FILE)
    result = runner.invoke(main, ["translate", str(tmp_path / "f.py"), "-m", str(sample_model), "--format", "json"])
    expected = json.loads(result.stdout)["files"][0]["segments"]
    assert document["segments"] == expected and document["model"] == "python-en"
    assert "path" not in document and document["statements"] == 5
    statement = next(s for s in document["segments"] if s["code"] == "if x > 5:")
    assert statement["depth"] == 1 and statement["words"] and statement["pseudo_code"]


@pytest.mark.parametrize("format, media, needle", [("comments", "text/plain", "# "), ("markdown", "text/plain", "| line |"),
                                                   ("text", "text/plain", ""), ("html", "text/html", "<table>")])
def test_the_other_formats_are_the_command_lines(client, format, media, needle):
    answer = post(client, {"code": FILE, "format": format})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(media)
    assert needle in answer.text
    if format == "comments":
        import ast
        assert ast.dump(ast.parse(answer.text)) == ast.dump(ast.parse(FILE))


def test_a_syntax_error_in_the_middle_is_marked_and_the_rest_translated(client):
    code = "x = 1\nprint('a' 'b' x)\ny = 2\n"
    segments = post(client, {"code": code}).json()["segments"]
    kinds = [(s["line"], s["kind"]) for s in segments]
    assert kinds == [(1, "statement"), (2, "error"), (3, "statement")]
    assert segments[1]["error"] and segments[0]["pseudo_code"] and segments[2]["pseudo_code"]


@pytest.mark.parametrize("code", ["", "\n\n", "# only a comment\n"])
def test_empty_code_is_an_empty_translation(client, code):
    answer = post(client, {"code": code})
    assert answer.status_code == 200 and answer.json()["statements"] == 0


def test_nbest_and_the_model_by_name_or_language(client):
    answer = post(client, {"code": "x = 1\n", "nbest": 3, "model": "python-en", "language": "python"})
    assert answer.status_code == 200 and len(answer.json()["segments"][0]["nbest"]) >= 1


@pytest.mark.parametrize("body, field", [
    ({"code": 5}, "code"), ({"code": "x", "nbest": "3"}, "nbest"), ({"code": "x", "nbest": -1}, "nbest"),
    ({"code": "x", "nbest": 1000}, "nbest"), ({"code": "x", "format": "pdf"}, "format"), ({}, "code"),
    ({"code": "x", "surprise": 1}, "surprise"), ({"code": "x", "model": "nope"}, "model"),
    ({"code": "x", "language": "cobol"}, "language"), ({"code": None}, "code"), ([1, 2], "body"),
])
def test_wrong_types_and_unknown_names_are_422_naming_the_field(client, body, field):
    answer = post(client, body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["field"] == field and answer.json()["detail"].startswith(field)


@pytest.mark.parametrize("raw", [b'{"code": ', b"\xff\xfe\x00junk\x80" * 50, b"", b"null"])
def test_malformed_json_and_binary_junk_are_422(client, raw):
    answer = client.post("/api/translate", content=raw, headers={"Content-Type": "application/json"})
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "body"
    assert post(client, {"code": "x = 1"}).status_code == 200  # and the server goes on


def test_a_body_that_is_not_json_says_to_send_json(client):
    answer = client.post("/api/translate", data={"code": "x = 1"})
    assert answer.status_code == 422 and "Content-Type: application/json" in answer.json()["detail"]


def test_junk_inside_the_code_is_marked_not_fatal(client):
    code = "x = 1\n\x00\x01\ud7ff garbage \u202e\ny = 2\n"
    answer = post(client, {"code": code})
    assert answer.status_code == 200
    assert any(s["kind"] == "error" for s in answer.json()["segments"])


def test_a_body_over_the_limit_is_413(served):
    client = make_client(served, max_body_bytes=1000)
    answer = post(client, {"code": "x = 1\n" * 500})
    assert answer.status_code == 413 and "--max-body-bytes" in answer.json()["detail"]
    chunked = client.post("/api/translate", content=iter([b'{"code": "', b"x" * 2000, b'"}']),
                          headers={"Content-Type": "application/json"})
    assert chunked.status_code == 413
    assert post(client, {"code": "x = 1\n"}).status_code == 200


def test_huge_code_is_refused_by_the_default_limit(client):
    answer = post(client, {"code": "x = 1\n" * 100_000})
    assert answer.status_code == 413


def test_too_many_statements_is_413(served):
    client = make_client(served, max_statements=3)
    answer = post(client, {"code": "a = 1\nb = 2\nc = 3\nd = 4\n"})
    assert answer.status_code == 413 and "--max-statements" in answer.json()["detail"]
    assert post(client, {"code": "a = 1\nb = 2\n"}).status_code == 200


def test_a_long_statement_is_marked_not_translated(served):
    client = make_client(served, max_statement_chars=20)
    segments = post(client, {"code": "x = 1\ny = " + " + ".join(["a"] * 20) + "\n"}).json()["segments"]
    assert segments[0]["error"] is None and "--max-statement-chars" in segments[1]["error"]


def test_over_the_time_limit_is_504_and_the_server_goes_on(served):
    client = make_client(served, time_limit=0.01)
    code = "".join(f"value_{time.time_ns()}_{i} = compute(item_{i})\n" for i in range(30))  # not in the cache
    answer = post(client, {"code": code})
    assert answer.status_code == 504 and "--time-limit" in answer.json()["detail"]
    assert make_client(served).get("/api/health").json()["status"] == "ok"


def test_models_health_examples_and_the_schema(client):
    models = client.get("/api/models").json()
    assert models["default"] == "python-en"
    assert models["models"][0]["label"] == "Python → English" and "path" not in models["models"][0]
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["workers"] == 1
    examples = client.get("/api/examples").json()["examples"]
    assert examples and all(e["code"] for e in examples)
    schema = client.get("/openapi.json").json()
    assert "/api/translate" in schema["paths"] and client.get("/docs").status_code == 200


def test_the_page_and_its_files_come_from_this_server_only(client):
    page = client.get("/")
    assert page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    for asset in ("/static/page.js", "/static/page.css"):
        assert client.get(asset).status_code == 200
    text = page.text + client.get("/static/page.js").text + client.get("/static/page.css").text
    assert "http://" not in text and "https://" not in text and "innerHTML" not in text


def test_the_code_is_not_logged_unless_asked(served, caplog):
    secret = "password_1234 = 'hunter2'\n"
    with caplog.at_level("INFO", logger="pseudogen.serve"):
        post(make_client(served), {"code": secret})
    assert caplog.records and "hunter2" not in caplog.text
    with caplog.at_level("INFO", logger="pseudogen.serve"):
        post(make_client(served, log_code=True), {"code": secret})
    assert "hunter2" in caplog.text


def test_a_missing_or_corrupt_model_fails_at_start_up(tmp_path, sample_model):
    import shutil

    from pseudogen.errors import PseudogenError

    with pytest.raises(PseudogenError, match="no such model directory"):
        open_catalog([str(tmp_path / "missing")])
    broken = tmp_path / "broken"
    shutil.copytree(sample_model, broken)
    (broken / "rules.sqlite").write_bytes(b"not a database")
    with pytest.raises(PseudogenError):
        open_catalog([str(broken)])


def test_serve_fails_with_one_line_for_a_bad_model_or_port(runner, tmp_path, sample_model):
    import socket

    from pseudogen.cli import main

    result = runner.invoke(main, ["serve", "-m", str(tmp_path / "missing")])
    assert result.exit_code == 1 and "no such model directory" in result.output and "Traceback" not in result.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(main, ["serve", "-m", str(sample_model), "--port", str(port)])
    assert result.exit_code == 1 and "choose another --port" in result.output


def test_every_interface_is_warned_about(runner, tmp_path):
    from pseudogen.cli import main

    result = runner.invoke(main, ["serve", "-m", str(tmp_path / "missing"), "--host", "0.0.0.0"])
    assert "warning: listening on every interface" in result.output and result.exit_code == 1
