"""``gongkai serve`` against clients that misbehave: a stalled upload, a refused one that would
have been large, file names that are not UTF-8. Real server processes, real sockets."""

from __future__ import annotations

import socket
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
READ_TIMEOUT = 1.5  # the test server's limit on an upload that stops sending

# ``gongkai serve`` with a short read time-out (the default, 60 s, is too long for a test)
SHORT_READ_TIMEOUT = f"""
import dataclasses
import sys

import gongkai.serve
from gongkai.cli import main

_run = gongkai.serve.run


def run(settings, **options):
    return _run(dataclasses.replace(settings, read_timeout={READ_TIMEOUT}), **options)


gongkai.serve.run = run
if __name__ == "__main__":  # worker processes import this file again
    sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One worker, nobody waiting, 1 MiB uploads, a 6 s time limit, a hanging input."""
    folder = tmp_path_factory.mktemp("serve-hostile")
    temporary = folder / "tmp"
    temporary.mkdir()
    launcher = folder / "launch.py"
    launcher.write_text(SHORT_READ_TIMEOUT, encoding="utf-8")
    instance = Server(
        "-j", "1", "--queue", "0", "--max-upload", "1", "--timeout", "6",
        env={HANG_HOOK: "hang.txt", "TMPDIR": str(temporary)}, launcher=launcher, log=folder / "server.log",
    )  # fmt: skip
    instance.temporary = temporary  # type: ignore[attr-defined]
    yield instance
    instance.stop()


def _answer(sock: socket.socket) -> bytes:
    answer = b""
    while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        answer += chunk
    return answer


def _wait_busy(server: Server, count: int) -> None:
    for _ in range(200):
        if httpx.get(server.url + "/v1/health", timeout=30).json()["busy"] == count:
            return
        time.sleep(0.05)
    raise AssertionError(f"the service never had {count} conversion(s) admitted")


def test_an_upload_that_stops_sending_gets_408_and_its_folder_is_removed(server):
    head = (
        b"POST /v1/convert?filename=slow.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(head + b"first bytes, then nothing")
        _wait_busy(server, 1)  # received, its place reserved, its folder made
        assert len(list(server.temporary.glob("gongkai-serve-*"))) == 1
        start = time.monotonic()
        answer = _answer(sock)
        waited = time.monotonic() - start
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert b'"kind":"RequestTimeout"' in answer
    assert READ_TIMEOUT - 0.5 < waited < READ_TIMEOUT + 10
    assert list(server.temporary.glob("gongkai-serve-*")) == []
    assert httpx.get(server.url + "/v1/health", timeout=30).json() == {
        "status": "ok", "workers": 1, "busy": 0, "queue": 0, "replaced": 0,
    }  # fmt: skip
    sample = (SAMPLES / "sample-2019.txt").read_bytes()
    after = httpx.post(server.url + "/v1/convert", files=[("file", ("sample-2019.txt", sample))], timeout=60)
    assert after.status_code == 200 and after.text.startswith("format: gongkai/1\n")


def test_a_request_past_the_queue_is_refused_before_its_body_is_sent(server):
    """The one worker stalled: a 900 KiB upload (under the limit) is refused from its header alone,
    so the client need not send a byte of it and the service stores none."""
    with httpx.Client(base_url=server.url, timeout=60) as client:
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as stall:
            stall.sendall(
                b"POST /v1/convert?filename=hang.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\n\r\nx"
            )
            _wait_busy(server, 1)
            with socket.create_connection(("127.0.0.1", server.port), timeout=30) as refused:
                refused.sendall(
                    b"POST /v1/convert?filename=big.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    b"Content-Type: application/octet-stream\r\nContent-Length: 921600\r\n\r\n"
                )
                start = time.monotonic()
                answer = _answer(refused)
                assert time.monotonic() - start < 10
            assert answer.startswith(b"HTTP/1.1 503 "), answer[:200]
            assert b"retry-after: 5" in answer.lower() and b'"kind":"Busy"' in answer
            assert len(list(server.temporary.glob("gongkai-serve-*"))) == 1  # the stalled one's only
            stalled = _answer(stall)
        assert stalled.startswith(b"HTTP/1.1 504 ") and b'"kind":"Timeout"' in stalled
        # its worker is being replaced: the service is not down meanwhile (it was 503 with -j 1)
        assert client.get("/v1/health").json()["status"] == "ok"


def _source_name(yaml_text: str) -> str:
    line = next(line for line in yaml_text.splitlines() if line.startswith("  name: "))
    return line.removeprefix("  name: ")


def test_a_gbk_file_name_in_the_query_is_read_as_chinese(server):
    sample = (SAMPLES / "sample-2019.txt").read_bytes()
    gbk = httpx.post(server.url + "/v1/convert?filename=%B1%A8%B8%E6.txt&to=docx", content=sample, timeout=60)
    assert gbk.status_code == 200
    assert gbk.headers["content-disposition"] == "attachment; filename*=UTF-8''%E6%8A%A5%E5%91%8A.txt.docx"
    as_yaml = httpx.post(server.url + "/v1/convert?filename=%B1%A8%B8%E6.txt", content=sample, timeout=60)
    assert _source_name(as_yaml.text) == "报告.txt"
    utf8 = httpx.post(server.url + "/v1/convert", params={"filename": "报告 2019.txt"}, content=sample, timeout=60)
    assert _source_name(utf8.text) == "报告 2019.txt"


@pytest.mark.parametrize(
    "name, kept",
    [
        ("../../escaped.txt", "escaped.txt"),
        ("..\\..\\escaped.txt", "escaped.txt"),
        ("/etc/passwd\x00.txt", "passwd.txt"),
        ("..", "upload"),
        ("a/\x01\x7f", "upload"),
    ],
)
def test_a_client_file_name_is_only_a_name(server, name, kept):
    """Its folders and control characters are dropped, in the query and in multipart alike, and
    nothing is written where its folders point."""
    sample = (SAMPLES / "sample-2019.txt").read_bytes()
    raw = httpx.post(server.url + "/v1/convert", params={"filename": name}, content=sample, timeout=60)
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="'
        + name.encode()
        + b'"\r\n\r\n'
        + sample
        + b"\r\n--b--\r\n"
    )  # by hand: httpx would escape the control characters itself
    headers = {"Content-Type": "multipart/form-data; boundary=b"}
    multipart = httpx.post(server.url + "/v1/convert", content=body, headers=headers, timeout=60)
    for response in (raw, multipart):
        assert response.status_code == 200, response.text
        assert _source_name(response.text) == kept
    assert not (server.temporary / "escaped.txt").exists() and not (server.temporary.parent / "escaped.txt").exists()
    assert list(server.temporary.glob("gongkai-serve-*")) == []


def test_sigterm_stops_the_service_cleanly_leaving_no_temporary_files(tmp_path):
    """As a service manager stops it: exit status 0, and nothing left in the temporary folder
    (uvicorn raised SIGTERM again after its shutdown, which killed the process before its exit
    handlers ran and left multiprocessing's folder behind at every stop)."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    instance = Server("-j", "2", env={"TMPDIR": str(temporary)}, log=tmp_path / "server.log")
    try:
        sample = (SAMPLES / "sample-2019.txt").read_bytes()
        converted = httpx.post(instance.url + "/v1/convert", files=[("file", ("a.txt", sample))], timeout=60)
        assert converted.status_code == 200
        assert list(temporary.iterdir())  # the worker processes' folder, while they run
    finally:
        instance.stop()
    assert instance.process.returncode == 0, (tmp_path / "server.log").read_text()
    assert list(temporary.iterdir()) == []


def test_a_request_whose_client_hangs_up_in_the_queue_is_not_converted(tmp_path):
    """One worker stalled, a second request queued behind it whose client then hangs up: its place
    is given back at once and its file never reaches a worker (it would crash the worker if it did)."""
    instance = Server(
        "-j", "1", "--queue", "2", "--timeout", "4",
        env={HANG_HOOK: "hang.txt", CRASH_HOOK: "crash.txt"}, log=tmp_path / "server.log",
    )  # fmt: skip
    try:
        with socket.create_connection(("127.0.0.1", instance.port), timeout=30) as stall:
            stall.sendall(
                b"POST /v1/convert?filename=hang.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\n\r\nx"
            )
            _wait_busy(instance, 1)
            with socket.create_connection(("127.0.0.1", instance.port), timeout=30) as leaving:
                leaving.sendall(
                    b"POST /v1/convert?filename=crash.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\n\r\nx"
                )
                _wait_busy(instance, 2)
            _wait_busy(instance, 1)  # the hang-up noticed while the worker is still stalled
            stalled = _answer(stall)
        assert stalled.startswith(b"HTTP/1.1 504 ")
        sample = (SAMPLES / "sample-2019.txt").read_bytes()
        after = httpx.post(instance.url + "/v1/convert", files=[("file", ("a.txt", sample))], timeout=60)
        assert after.status_code == 200
        health = httpx.get(instance.url + "/v1/health", timeout=30).json()
        assert (health["busy"], health["replaced"]) == (0, 1)  # the stalled worker only: crash.txt never ran
    finally:
        instance.stop()


def test_more_files_than_the_service_can_ever_hold_is_400_not_a_503_for_ever(server):
    """One worker, no queue: a comparison of two files could never be admitted, so "retry later"
    (503) would be a lie."""
    sample = (SAMPLES / "sample-2019.txt").read_bytes()
    files = [("file", ("a.txt", sample)), ("file", ("b.txt", sample))]
    response = httpx.post(server.url + "/v1/compare", files=files, timeout=60)
    assert response.status_code == 400 and "retry-after" not in response.headers
    assert response.json()["error"] == {
        "kind": "BadRequest",
        "message": "2 files in one request; this service takes at most 1 (its workers and queue)",
    }
    assert httpx.get(server.url + "/v1/health", timeout=30).json()["busy"] == 0
