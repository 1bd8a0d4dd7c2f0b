"""``gongkai serve`` over real HTTP: the same bytes as the CLI, clean errors, isolation, limits.

Each server is a real ``gongkai serve`` process on a free port of 127.0.0.1 (tests/serve_server.py);
the requests are httpx's. The CLI's outputs for comparison come from the CLI itself, run once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

httpx = pytest.importorskip("httpx", reason="httpx is not installed (pip install 'gongkai[test]')")
pytest.importorskip("starlette", reason="the serve extra is not installed (pip install 'gongkai[serve]')")
pytest.importorskip("uvicorn", reason="the serve extra is not installed (pip install 'gongkai[serve]')")

from serve_server import Server  # noqa: E402

from gongkai.bulk.worker import CRASH_HOOK, HANG_HOOK  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
# every bundled sample but the scanned PDF (OCR takes half a minute on a busy machine; the
# benchmark covers it): docx, pdf, txt in three encodings and dumps, four kinds of HTML
DOCUMENTS = sorted(
    p for p in SAMPLES.iterdir() if p.suffix in (".docx", ".pdf", ".txt", ".html") and not p.name.endswith(".scan.pdf")
)
ONE_PER_FORMAT = ["sample-2021-badtotal.docx", "sample-2021.pdf", "sample-2019.gbk.txt", "sample-2021.site.html"]
TIMEOUT = 8.0  # the test server's per-request limit: the hanging input is cut off after this


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], capture_output=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def cli_outputs(tmp_path_factory) -> Path:
    """What ``gongkai convert DOCUMENTS -o OUT --to md,yaml,html,docx`` writes."""
    out = tmp_path_factory.mktemp("cli-out")
    result = cli("convert", *map(str, DOCUMENTS), "-o", str(out), "--to", "md,yaml,html,docx", "-j", "2")
    assert result.returncode == 0, result.stderr.decode()
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("serve") / "server.log"
    temporary = tmp_path_factory.mktemp("serve-tmp")
    instance = Server(
        "-j", "2", "--timeout", str(TIMEOUT),
        env={CRASH_HOOK: "crash.txt", HANG_HOOK: "hang.txt", "TMPDIR": str(temporary)},
        log=log,
    )  # fmt: skip
    instance.temporary = temporary  # type: ignore[attr-defined]
    yield instance
    instance.stop()


def post(server: Server, path: str, files: list[tuple[str, bytes]], **params: str) -> httpx.Response:
    multipart = [("file", (name, data)) for name, data in files]
    return httpx.post(server.url + path, files=multipart, params=params, timeout=120)


def error_of(response: httpx.Response) -> dict:
    assert response.headers["content-type"] == "application/json"
    return response.json()["error"]


# --- the same bytes as the CLI ---------------------------------------------------------------


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_convert_gives_the_cli_yaml_byte_for_byte(server, cli_outputs, path):
    response = post(server, "/v1/convert", [(path.name, path.read_bytes())], to="yaml")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/yaml; charset=utf-8"
    assert response.content == (cli_outputs / f"{path.name}.yaml").read_bytes()


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
@pytest.mark.parametrize("name", ONE_PER_FORMAT)
def test_convert_gives_the_cli_md_html_docx_byte_for_byte(server, cli_outputs, name, fmt):
    response = post(server, "/v1/convert", [(name, (SAMPLES / name).read_bytes())], to=fmt)
    assert response.status_code == 200, response.text
    assert response.content == (cli_outputs / f"{name}.{fmt}").read_bytes()


def test_a_raw_body_named_by_filename_is_the_same_as_multipart(server, cli_outputs):
    name = "sample-2021.pdf"
    response = httpx.post(
        server.url + "/v1/convert", params={"to": "yaml", "filename": f"some/folder/{name}"},
        content=(SAMPLES / name).read_bytes(), timeout=120,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.content == (cli_outputs / f"{name}.yaml").read_bytes()  # folders of the name are dropped
    assert response.headers["x-gongkai-input-format"] == "pdf"


def test_json_is_the_canonical_yaml_data_and_schema_valid(server, cli_outputs):
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    from gongkai.canonical import yamlio

    name = "sample-2021-badtotal.docx"
    response = post(server, "/v1/convert", [(name, (SAMPLES / name).read_bytes())], to="json")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    data = response.json()
    schema = json.loads(yamlio.SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    loaded = yaml.load((cli_outputs / f"{name}.yaml").read_text(encoding="utf-8"), Loader=yamlio.LOADER)
    assert data == json.loads(
        json.dumps(loaded, default=lambda v: v.isoformat() if hasattr(v, "isoformat") else float(v))
    )
    assert data["report"]["requests"]["results"]["total"]["natural_person"] == 39
    assert data["report"]["active_disclosure"]["art20_8"]["administrative_fees"]["fee_amount"] == 12.35
    assert response.headers["x-gongkai-failed-checks"] == "3"


@pytest.mark.parametrize("name", ["sample-2021-badtotal.docx", "sample-2019.txt"])
def test_check_text_is_what_gongkai_check_prints(server, name):
    expected = cli("check", str(SAMPLES / name))
    response = post(server, "/v1/check", [(name, (SAMPLES / name).read_bytes())], to="text")
    assert response.status_code == 200
    assert response.content == expected.stdout
    assert response.headers["x-gongkai-check"] == ("fail" if expected.returncode == 1 else "pass")


def test_check_json_lists_the_failing_checks(server):
    name = "sample-2021-badtotal.docx"
    data = post(server, "/v1/check", [(name, (SAMPLES / name).read_bytes())]).json()
    assert data["failed"] is True and data["template"] == "gov-2021"
    assert data["counts"] == {"pass": 39, "fail": 3, "not_assessable": 0}
    failing = [c for c in data["checks"] if c["status"] == "fail"]
    assert failing == [
        {"id": "T3-BAL", "scope": "natural_person", "status": "fail", "expected": 41, "found": 42},
        {"id": "T3-RESULTS", "scope": "natural_person", "status": "fail", "expected": 38, "found": 39},
        {"id": "T3-ROWSUM", "scope": "results.total", "status": "fail", "expected": 51, "found": 50},
    ]


@pytest.mark.parametrize("fmt", ["yaml", "md", "html"])
def test_compare_gives_the_cli_bytes(server, fmt):
    names = ["sample-2021.docx", "sample-2019.txt"]
    expected = cli("compare", *names, "--to", fmt, cwd=SAMPLES)
    response = post(server, "/v1/compare", [(n, (SAMPLES / n).read_bytes()) for n in names], to=fmt)
    assert response.status_code == 200
    assert response.content == expected.stdout
    assert response.headers["x-gongkai-check"] == ("fail" if expected.returncode == 1 else "pass")


def test_compare_json_is_the_yaml_data(server):
    import yaml

    names = ["sample-2021.docx", "sample-2019.txt"]
    files = [(n, (SAMPLES / n).read_bytes()) for n in names]
    as_yaml = yaml.safe_load(post(server, "/v1/compare", files, to="yaml").text)
    as_json = post(server, "/v1/compare", files, to="json").json()
    assert as_json == json.loads(json.dumps(as_yaml, default=float))
    assert [r["year"] for r in as_json["reports"]] == [2019, 2022]


def test_canonical_yaml_and_markdown_read_back_as_the_cli_does(server, cli_outputs):
    for suffix in ("yaml", "md"):
        name = f"sample-2021.pdf.{suffix}"
        response = post(server, "/v1/convert", [(name, (cli_outputs / name).read_bytes())], to=suffix)
        assert response.status_code == 200 and response.headers["x-gongkai-input-format"] == suffix
        assert response.content == (cli_outputs / name).read_bytes()  # byte for byte, as the CLI reads it back


def test_compare_needs_two_files(server):
    response = post(server, "/v1/compare", [("sample-2019.txt", (SAMPLES / "sample-2019.txt").read_bytes())])
    assert response.status_code == 400 and error_of(response)["kind"] == "BadRequest"


def test_view_carries_figures_checks_and_every_output(server, cli_outputs):
    name = "sample-2021-badtotal.docx"
    data = post(server, "/v1/view", [(name, (SAMPLES / name).read_bytes())]).json()
    assert data["outputs"]["yaml"] == (cli_outputs / f"{name}.yaml").read_text(encoding="utf-8")
    assert data["outputs"]["md"] == (cli_outputs / f"{name}.md").read_text(encoding="utf-8")
    assert [t["table"] for t in data["figures"]] == ["active_disclosure", "requests", "review_litigation"]
    rows = {r["path"]: r for t in data["figures"] for r in t["rows"]}
    assert rows["requests.results.total.natural_person"]["value"] == 39
    assert rows["requests.results.total.natural_person"]["label"] == "三、本年度办理结果 / （七）总计 / 自然人"
    first_fail = data["checks"][0]
    assert (first_fail["id"], first_fail["status"]) == ("T3-BAL", "fail")
    assert first_fail["href"] == "#fig-requests-new_received-natural_person"
    assert data["main_figures"]["requests.new_received.total"]["value"] == 50


# --- errors ----------------------------------------------------------------------------------

BAD_INPUTS = {
    "garbage.bin": (bytes(range(256)) * 10, 415, "UnsupportedFormat"),
    "broken.docx": ((SAMPLES / "sample-2021.docx").read_bytes()[:3000], 422, "CorruptInput"),  # a truncated Word file
    "empty.txt": (b"\n", 422, "CorruptInput"),
    "bad.pdf": (b"%PDF-1.4 garbage", 422, "CorruptInput"),
    "crash.txt": ((SAMPLES / "sample-2019.txt").read_bytes(), 500, "WorkerDied"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_inputs_get_their_error_kind_as_json(server, name):
    data, status, kind = BAD_INPUTS[name]
    response = post(server, "/v1/convert", [(name, data)])
    assert response.status_code == status, response.text
    error = error_of(response)
    assert error["kind"] == kind and error["file"] == name and error["message"]


def test_bad_requests_get_400_or_404_as_json(server):
    sample = [("sample-2019.txt", (SAMPLES / "sample-2019.txt").read_bytes())]
    assert error_of(post(server, "/v1/convert", sample, to="pdf"))["kind"] == "BadRequest"
    no_file = httpx.post(server.url + "/v1/convert", timeout=30)
    assert no_file.status_code == 400 and "no file" in error_of(no_file)["message"]
    wrong_field = httpx.post(server.url + "/v1/convert", files=[("other", ("x.txt", b"x"))], timeout=30)
    assert wrong_field.status_code == 400
    missing = httpx.get(server.url + "/v1/nothing", timeout=30)
    assert missing.status_code == 404 and error_of(missing)["kind"] == "NotFound"
    wrong_method = httpx.get(server.url + "/v1/convert", timeout=30)
    assert wrong_method.status_code == 405 and error_of(wrong_method)["kind"] == "MethodNotAllowed"


def test_a_crashing_and_a_stalling_input_fail_alone(server, cli_outputs):
    """Sent together with good files: the crash and the stall get their errors, the others their bytes."""
    names = ["sample-2019.docx", "sample-2021.pdf", "sample-2019.txt"]

    async def run() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=server.url, timeout=120) as client:
            jobs = [client.post("/v1/convert", files=[("file", ("hang.txt", b"x"))])]
            jobs += [client.post("/v1/convert", files=[("file", ("crash.txt", b"x"))])]
            jobs += [client.post("/v1/convert", files=[("file", (n, (SAMPLES / n).read_bytes()))]) for n in names]
            return await asyncio.gather(*jobs)

    start = time.monotonic()
    hang, crash, *good = asyncio.run(run())
    assert hang.status_code == 504 and error_of(hang)["kind"] == "Timeout"
    assert crash.status_code == 500 and error_of(crash)["kind"] == "WorkerDied"
    for name, response in zip(names, good, strict=True):
        assert response.status_code == 200 and response.content == (cli_outputs / f"{name}.yaml").read_bytes()
    assert time.monotonic() - start < TIMEOUT + 60
    health = httpx.get(server.url + "/v1/health", timeout=30).json()
    assert health["status"] == "ok" and health["replaced"] >= 2


def test_32_concurrent_mixed_uploads_all_get_their_answer(server, cli_outputs):
    good = ["sample-2019.docx", "sample-2021.pdf", "sample-2021-badtotal.gbk.txt", "sample-2019.site.html",
            "sample-2021.lo.html", "sample-2021-badtotal.docx"]  # fmt: skip
    bad = ["garbage.bin", "broken.docx", "empty.txt", "bad.pdf", "crash.txt"]
    plan = [(good + bad)[i % (len(good) + len(bad))] for i in range(32)]

    async def send(client: httpx.AsyncClient, name: str) -> httpx.Response:
        data = BAD_INPUTS[name][0] if name in BAD_INPUTS else (SAMPLES / name).read_bytes()
        return await client.post("/v1/convert", files=[("file", (name, data))])

    async def run() -> list[httpx.Response]:
        async with httpx.AsyncClient(
            base_url=server.url, timeout=300, limits=httpx.Limits(max_connections=32)
        ) as client:
            return await asyncio.gather(*(send(client, name) for name in plan))

    responses = asyncio.run(run())
    for name, response in zip(plan, responses, strict=True):
        if name in BAD_INPUTS:
            assert (response.status_code, error_of(response)["kind"]) == BAD_INPUTS[name][1:], name
        else:
            assert response.status_code == 200, (name, response.text)
            assert response.content == (cli_outputs / f"{name}.yaml").read_bytes(), name
    assert httpx.get(server.url + "/v1/health", timeout=30).json()["status"] == "ok"
    after = post(server, "/v1/convert", [("sample-2019.txt", (SAMPLES / "sample-2019.txt").read_bytes())])
    assert after.content == (cli_outputs / "sample-2019.txt.yaml").read_bytes()


def test_uploads_are_removed_when_each_request_ends(server):
    sample = (SAMPLES / "sample-2019.txt").read_bytes()
    assert post(server, "/v1/convert", [("sample-2019.txt", sample)]).status_code == 200
    assert post(server, "/v1/convert", [("garbage.bin", BAD_INPUTS["garbage.bin"][0])]).status_code == 415
    assert post(server, "/v1/compare", [("a.txt", sample), ("b.txt", sample)]).status_code == 200
    assert post(server, "/v1/convert", [("crash.txt", sample)]).status_code == 500
    assert sorted(server.temporary.glob("gongkai-serve-*")) == []


# --- limits: upload size, the queue ----------------------------------------------------------


@pytest.fixture(scope="module")
def small_server(tmp_path_factory):
    """One worker, one waiting, 1 MiB uploads, a 3 s time limit."""
    log = tmp_path_factory.mktemp("serve-small") / "server.log"
    instance = Server(
        "-j", "1", "--queue", "1", "--max-upload", "1", "--timeout", "3", env={HANG_HOOK: "hang.txt"}, log=log
    )
    yield instance
    instance.stop()


def _raw_exchange(port: int, head: bytes, body_parts: list[bytes], pause: float = 0.0) -> tuple[bytes, int]:
    """Send ``head`` and body parts on a socket until the server answers; (answer, bytes of body sent)."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(head)
        sock.setblocking(False)
        answer = b""
        for part in body_parts:
            with contextlib.suppress(BlockingIOError):
                answer += sock.recv(65536)
            if answer:
                break
            try:
                sock.sendall(part)
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                break
            sent += len(part)
            time.sleep(pause)
        sock.setblocking(True)
        sock.settimeout(20)
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer, sent


def test_a_declared_oversize_upload_gets_413_before_its_body(small_server):
    head = (
        b"POST /v1/convert?filename=big.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/octet-stream\r\nContent-Length: 314572800\r\n\r\n"
    )
    answer, sent = _raw_exchange(small_server.port, head, [b"x" * 65536] * 4800, pause=0.001)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert sent <= 4 * 2**20  # answered at once from the header: of the 300 MiB offered, a few socket buffers went
    assert b'"kind":"TooLarge"' in answer or b"TooLarge" in answer


def test_a_chunked_oversize_upload_is_cut_off_at_the_limit(small_server):
    head = (
        b"POST /v1/convert?filename=big.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"10000\r\n" + b"x" * 65536 + b"\r\n"
    answer, sent = _raw_exchange(small_server.port, head, [chunk] * 4800, pause=0.002)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert sent <= 8 * 2**20  # stopped just past the 1 MiB limit, not after the 300 MiB offered
    assert httpx.get(small_server.url + "/v1/health", timeout=30).json()["status"] == "ok"


def test_a_multipart_oversize_upload_gets_413(small_server):
    response = post(small_server, "/v1/convert", [("big.txt", b"x" * (2 * 2**20))])
    assert response.status_code == 413 and error_of(response)["kind"] == "TooLarge"


def test_past_the_queue_a_request_gets_503_with_retry_after(small_server):
    """One worker stalled, one request waiting (in the queue or the stalled worker's pipe): the
    third is refused; the waiting one is converted once the stalled one is cut off."""
    sample = (SAMPLES / "sample-2019.txt").read_bytes()

    async def busy(client: httpx.AsyncClient, count: int) -> None:
        for _ in range(200):
            if (await client.get("/v1/health")).json()["busy"] == count:
                return
            await asyncio.sleep(0.05)

    async def run() -> tuple[httpx.Response, httpx.Response, httpx.Response]:
        async with httpx.AsyncClient(base_url=small_server.url, timeout=60) as client:
            stalled = asyncio.ensure_future(client.post("/v1/convert", files=[("file", ("hang.txt", b"x"))]))
            await busy(client, 1)
            waiting = asyncio.ensure_future(client.post("/v1/convert", files=[("file", ("sample-2019.txt", sample))]))
            await busy(client, 2)
            refused = await client.post("/v1/convert", files=[("file", ("a.txt", b"x"))])
            return await stalled, await waiting, refused

    stalled, waiting, refused = asyncio.run(run())
    assert refused.status_code == 503 and refused.headers["retry-after"] == "5"
    assert error_of(refused)["kind"] == "Busy"
    assert stalled.status_code == 504 and error_of(stalled)["kind"] == "Timeout"
    assert waiting.status_code == 200
    assert waiting.content == cli("convert", str(SAMPLES / "sample-2019.txt"), "--to", "yaml").stdout
    ok = post(small_server, "/v1/convert", [("sample-2019.txt", (SAMPLES / "sample-2019.txt").read_bytes())])
    assert ok.status_code == 200


# --- safe defaults: the API key, CORS, the address -------------------------------------------


def test_cors_is_off_unless_configured(server):
    preflight = httpx.options(
        server.url + "/v1/convert",
        headers={"Origin": "http://other.example", "Access-Control-Request-Method": "POST"},
        timeout=30,
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_an_api_key_guards_the_api_but_not_health_and_cors_allows_its_origin(tmp_path):
    keyed = Server("-j", "1", "--api-key", "s3cret", "--cors-origin", "http://gk.example", log=tmp_path / "server.log")
    try:
        sample = [("file", ("sample-2019.txt", (SAMPLES / "sample-2019.txt").read_bytes()))]
        refused = httpx.post(keyed.url + "/v1/convert", files=sample, timeout=60)
        assert refused.status_code == 401 and error_of(refused)["kind"] == "Unauthorized"
        wrong = httpx.post(keyed.url + "/v1/convert", files=sample, headers={"X-API-Key": "nope"}, timeout=60)
        assert wrong.status_code == 401
        bearer = httpx.post(
            keyed.url + "/v1/convert", files=sample, headers={"Authorization": "Bearer s3cret"}, timeout=60
        )
        header = httpx.post(keyed.url + "/v1/convert", files=sample, headers={"X-API-Key": "s3cret"}, timeout=60)
        assert bearer.status_code == header.status_code == 200 and bearer.content == header.content
        assert httpx.get(keyed.url + "/v1/health", timeout=30).status_code == 200
        assert httpx.get(keyed.url + "/v1/version", timeout=30).status_code == 401
        asked = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
        allowed = httpx.options(keyed.url + "/v1/convert", headers={"Origin": "http://gk.example", **asked}, timeout=30)
        assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == "http://gk.example"
        other = httpx.options(
            keyed.url + "/v1/convert", headers={"Origin": "http://other.example", **asked}, timeout=30
        )
        assert "access-control-allow-origin" not in other.headers
        cross = httpx.post(
            keyed.url + "/v1/convert",
            files=sample,
            headers={"X-API-Key": "s3cret", "Origin": "http://gk.example"},
            timeout=60,
        )
        assert cross.headers["access-control-allow-origin"] == "http://gk.example"
        assert "X-Gongkai-Failed-Checks" in cross.headers["access-control-expose-headers"]
    finally:
        keyed.stop()


def test_serve_binds_to_127_0_0_1_by_default():
    from gongkai.cli import build_parser

    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.max_upload, args.api_key, args.cors_origin) == ("127.0.0.1", 8000, 200, None, [])


def test_a_taken_port_is_one_line_and_exit_2():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--port", str(port), "-j", "1")
    assert result.returncode == 2
    assert result.stderr.decode() == f"gongkai: cannot listen on 127.0.0.1:{port}: Address already in use\n"


def test_openapi_schema_and_docs_page(server):
    schema = httpx.get(server.url + "/openapi.json", timeout=30).json()
    assert schema["openapi"] == "3.1.0"
    assert set(schema["paths"]) == {
        "/v1/convert",
        "/v1/check",
        "/v1/audit",
        "/v1/compare",
        "/v1/view",
        "/v1/health",
        "/v1/version",
    }
    assert schema["paths"]["/v1/convert"]["post"]["parameters"][0]["schema"]["enum"] == [
        "yaml",
        "json",
        "md",
        "html",
        "docx",
    ]
    assert {"413", "415", "422", "503"} <= set(schema["paths"]["/v1/convert"]["post"]["responses"])
    docs = httpx.get(server.url + "/docs", timeout=30)
    assert docs.status_code == 200 and "POST /v1/convert" in docs.text and "<script" not in docs.text
    version = httpx.get(server.url + "/v1/version", timeout=30).json()
    assert version["format"] == "gongkai/1"


# --- audit (engineer i28's gongkai.api.audit; runs where this gongkai has it) ------------------


def test_audit_without_the_audit_function_is_501(server):
    from gongkai import api

    if hasattr(api, "audit"):
        pytest.skip("gongkai.api has audit: test_audit_gives_the_api_result covers it")
    response = post(server, "/v1/audit", [("sample-2019.txt", (SAMPLES / "sample-2019.txt").read_bytes())])
    assert response.status_code == 501 and error_of(response)["kind"] == "NotImplemented"


def test_audit_gives_the_api_result(server):
    from gongkai import api

    if not hasattr(api, "audit") or not hasattr(api, "render_audit"):
        pytest.skip("gongkai.api has no audit/render_audit yet (issue: gongkai audit)")
    names = ["sample-2021-badtotal.docx", "sample-2019.txt"]
    docs = [api.convert(SAMPLES / n) for n in names]
    expected = api.audit(docs)
    response = post(server, "/v1/audit", [(n, (SAMPLES / n).read_bytes()) for n in names])
    assert response.status_code == 200
    from gongkai.serve.routes import json_default

    assert response.json() == json.loads(json.dumps(expected, ensure_ascii=False, default=json_default))
    md = post(server, "/v1/audit", [(n, (SAMPLES / n).read_bytes()) for n in names], to="md")
    assert md.text == api.render_audit(expected, "md")


FAKE_AUDIT = """
import sys

import gongkai.api
from gongkai.cli import main


def audit(documents):
    return {
        "format": "gongkai-audit/1",
        "documents": [d.source.name for d in documents],
        "new_received": [d.report["requests"]["new_received"]["total"] for d in documents],
    }


def render_audit(result, to):
    return f"{to}: " + ", ".join(result["documents"])


gongkai.api.audit, gongkai.api.render_audit = audit, render_audit
if __name__ == "__main__":  # worker processes import this file again
    sys.exit(main(sys.argv[1:]))
"""


def test_audit_and_the_view_call_gongkai_api_audit_where_it_exists(tmp_path):
    """The wiring, with stand-ins for gongkai.api.audit/render_audit set before the service starts:
    the converted documents reach audit(), its mapping is the JSON, render_audit() the other formats."""
    launcher = tmp_path / "launch.py"
    launcher.write_text(FAKE_AUDIT, encoding="utf-8")
    with_audit = Server("-j", "1", launcher=launcher, log=tmp_path / "server.log")
    try:
        names = ["sample-2021-badtotal.docx", "sample-2019.txt"]
        files = [(n, (SAMPLES / n).read_bytes()) for n in names]
        answer = post(with_audit, "/v1/audit", files)
        assert answer.status_code == 200
        assert answer.json() == {"format": "gongkai-audit/1", "documents": names, "new_received": [50, 15]}
        assert post(with_audit, "/v1/audit", files, to="md").text == "md: sample-2021-badtotal.docx, sample-2019.txt"
        view = post(with_audit, "/v1/view", files[:1]).json()
        assert view["audit"] == {
            "result": {"format": "gongkai-audit/1", "documents": names[:1], "new_received": [50]},
            "html": "html: sample-2021-badtotal.docx",
        }
        assert httpx.get(with_audit.url + "/v1/version", timeout=30).json()["audit"] is True
    finally:
        with_audit.stop()
