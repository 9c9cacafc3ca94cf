"""POST /api/extract (kehoach serve --allow-extract): real uploads, limits, the OpenAPI document."""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import pipeline
from catalogue_data import write_plans
from pipeline.executors import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT
from pipeline.export import catalogue as cat
from pipeline.web import server
from pipeline.web.extract_api import Extractor, parse_multipart

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "corpus" / "000_97020d20aea53fc8.txt"
PDF = ROOT / "tests" / "fixtures" / "seed000.pdf"
MAX_MB = 0.1  # about 100 KB: the fixtures fit, a bigger body does not


def serve(tmp_path, extractor):
    write_plans(tmp_path / "out")
    db = tmp_path / "cat.sqlite"
    cat.load(cat.connect(db), [tmp_path / "out"])
    httpd = server.make_server(db, "127.0.0.1", 0, extractor)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    ext = Extractor(max_upload_mb=MAX_MB, timeout=3, jobs=2)
    httpd, url = serve(tmp_path_factory.mktemp("extract"), ext)
    yield url
    httpd.shutdown()
    httpd.server_close()


def multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "kehoach-test-boundary-7d1f"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode("utf-8") + data + \
           f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def post(url: str, body: bytes, ctype: str = "application/octet-stream") -> tuple[int, dict]:
    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": ctype})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def upload(base: str, name: str, data: bytes) -> tuple[int, dict]:
    return post(f"{base}/api/extract", *multipart(name, data))


def test_endpoint_real_upload_gives_the_cli_result(base):
    status, body = upload(base, "kế hoạch 14.txt", PLAN.read_bytes())
    assert status == 200
    res = pipeline.load_result(json.dumps(body))
    assert res.source.path == "kế hoạch 14.txt"
    expected = pipeline.extract_path(PLAN)
    skip = {"source": {"path"}, "pipeline_version": True}  # made in a worker process: see test_api.py
    assert res.model_dump(exclude=skip) == expected.model_dump(exclude=skip)


def test_endpoint_raw_pdf_body_is_sniffed(base):
    status, body = post(f"{base}/api/extract", PDF.read_bytes())
    assert status == 200 and body["source"]["format"] == "pdf" and body["source"]["path"] == "<upload>"
    assert body["source"]["sha256"] == pipeline.extract_path(PDF).source.sha256  # bytes intact
    assert body["document"]["number"]


def test_endpoint_oversized_upload_gets_413(base):
    status, body = upload(base, "big.txt", PLAN.read_bytes() * 20)
    assert status == 413 and "quá lớn" in body["error"] and f"{MAX_MB:g} MB" in body["error"]


def test_endpoint_non_plan_file_is_a_failed_result_with_422(base):
    status, body = upload(base, "photo.bin", b"\x00\x01 not a document")
    assert status == 422
    res = pipeline.load_result(json.dumps(body))
    assert res.status == "failed" and res.errors[0].code == "unsupported_format"
    status, body = upload(base, "broken.docx", b"PK\x03\x04 not a zip")
    assert status == 422 and body["status"] == "failed"


def test_endpoint_request_without_a_file_is_400(base):
    body, ctype = multipart("x.txt", b"")
    assert post(f"{base}/api/extract", body, ctype)[0] == 400
    no_file = b"--b\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nhello\r\n--b--\r\n"
    assert post(f"{base}/api/extract", no_file, "multipart/form-data; boundary=b")[0] == 400


def test_endpoint_time_limit_gives_a_failed_result(tmp_path, monkeypatch):
    monkeypatch.setenv("KEHOACH_TEST_HANG_SUFFIX", "hang-forever.txt")  # pipeline/worker.py test hook
    httpd, url = serve(tmp_path, Extractor(timeout=2, jobs=1))  # its workers see the hook
    try:
        status, body = upload(url, "hang-forever.txt", b"KE HOACH")
        assert status == 422 and body["errors"][0]["code"] == "timeout"
        status, _ = upload(url, "after.txt", PLAN.read_bytes())  # the next upload still works
        assert status == 200
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_endpoint_is_described_in_openapi(base):
    with urllib.request.urlopen(f"{base}/api/openapi.json", timeout=10) as r:
        doc = json.loads(r.read())
    assert doc["openapi"].startswith("3.")
    op = doc["paths"]["/api/extract"]["post"]
    assert {"200", "413", "422"} <= set(op["responses"])
    assert op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/DocumentResult"
    assert "Target" in doc["components"]["schemas"]


def test_endpoint_is_off_by_default(tmp_path):
    httpd, url = serve(tmp_path, None)
    try:
        req = urllib.request.Request(f"{url}/api/extract", data=PLAN.read_bytes(), method="POST")
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(req, timeout=10)
        assert e.value.code == 405
        with urllib.request.urlopen(f"{url}/api/openapi.json", timeout=10) as r:
            assert "/api/extract" not in json.loads(r.read())["paths"]
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_endpoint_limits_are_the_batch_defaults():
    ext = Extractor()
    assert (ext.timeout, ext.max_memory_mb) == (DEFAULT_TIMEOUT, DEFAULT_MAX_MEMORY_MB)


def test_endpoint_multipart_keeps_binary_bytes_and_the_file_name():
    data = bytes(range(256)) * 4 + b"\r\n--not-the-boundary\r\n"
    body, ctype = multipart("dir\\sub/Kế hoạch.pdf", data)
    assert parse_multipart(ctype, body) == ("Kế hoạch.pdf", data)
