"""The web pages and JSON API over HTTP: routes, escaping, read-only, errors as messages."""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from catalogue_data import write_plans
from pipeline.export import catalogue as cat
from pipeline.web import server


def start_server(tmp_path):
    write_plans(tmp_path / "out")
    db = tmp_path / "cat.sqlite"
    cat.load(cat.connect(db), [tmp_path / "out"])
    httpd = server.make_server(db, "127.0.0.1", 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    httpd, url = start_server(tmp_path_factory.mktemp("web"))
    yield url
    httpd.shutdown()
    httpd.server_close()


def get(url, method="GET"):
    req = urllib.request.Request(urllib.parse.quote(url, safe=":/?&=%+"), method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8")


def api(base, path):
    status, _, body = get(base + path)
    return status, json.loads(body)


def plan_id(base, number):
    _, data = api(base, "/api/search?q=thanh+nien")
    return next(h["id"] for h in data["hits"] if h["number"] == number)


def test_web_serves_on_loopback_by_default():
    import inspect
    assert inspect.signature(server.make_server).parameters["host"].default == "127.0.0.1"


def test_web_plan_page_escapes_document_text(base):
    status, headers, html = get(f"{base}/plan/{plan_id(base, '14')}")
    assert status == 200
    assert "<script>alert" not in html and "<b>đậm" not in html
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in html
    assert "default-src 'none'" in headers["Content-Security-Policy"]


def test_web_search_page_escapes_query_and_snippets(base):
    status, _, html = get(base + "/?q=%3Cscript%3Ealert")
    assert status == 200
    assert "<script>" not in html and "&lt;script&gt;alert" in html
    assert "&lt;<mark>script&gt;alert</mark>(&#34;xss&#34;)" in html


def test_web_plan_page_marks_every_kind_of_fact_and_links_it(base):
    _, _, html = get(f"{base}/plan/{plan_id(base, '14')}")
    for anchor in ("target-t1", "target-t2", "date-d2", "legal-l1", "body-b2", "assignment-a1"):
        assert f'href="#{anchor}"' in html, anchor          # text -> list entry
        assert f'id="{anchor}"' in html, anchor             # the list entry
        assert f'id="at-{anchor}"' in html, anchor          # list entry -> text
    assert 'class="fact k-target in-target"' in html
    assert f'href="/plan/{plan_id(base, "2763")}"' in html  # legal ref -> cited plan


def test_web_search_facets_filter_results(base):
    _, _, html = get(base + "/?q=thanh+nien&year=2017")
    assert 'id="count">1 kế hoạch' in html
    _, data = api(base, "/api/search?q=ho+tro&section=funding")
    assert [h["number"] for h in data["hits"]] == ["2763"]
    _, data = api(base, "/api/search?cites=2763/QĐ-UBND")
    assert [h["number"] for h in data["hits"]] == ["14"]
    _, facets = api(base, "/api/facets")
    assert {f["value"] for f in facets["year"]} == {2017, 2018, 2020}
    _, facets = api(base, "/api/facets?q=thanh+ni%C3%AAn&year=2017")  # each counted under the others
    assert facets["year"] == [{"value": 2018, "count": 1}, {"value": 2017, "count": 1}]
    assert facets["doc_type"] == [{"value": "Quyết định", "count": 1}]


def test_web_api_mirrors_pages(base):
    pid = plan_id(base, "2763")
    status, plan = api(base, f"/api/plans/{pid}")
    assert status == 200 and plan["number"] == "2763" and [c["number"] for c in plan["cited_by"]] == ["14"]
    _, page2 = api(base, "/api/search?q=thanh+nien&page=2")  # past the end: no hits, the total
    assert (page2["total"], page2["hits"]) == (3, [])
    status, audit = api(base, "/api/audit")
    assert [t["id"] for t in audit["without_owner"]] == ["t2"]
    _, _, html = get(base + "/audit")
    assert "100% xã có câu lạc bộ khởi nghiệp" in html


@pytest.mark.parametrize("path, status, word", [
    ("/api/search?q=%22open", 400, "ngoặc kép"),
    ("/api/search?q=x&year=abc", 400, "Năm"),
    ("/api/search?q=x&page=%C2%B2", 400, "Trang"),
    ("/api/search?q=x&section=bogus", 400, "Loại mục"),
    ("/api/plans/99999", 404, "Không có kế hoạch"),
    ("/api/nothing", 404, "Không có API"),
])
def test_web_api_errors_are_json_messages(base, path, status, word):
    got, data = api(base, path)
    assert got == status and word in data["error"]


def test_web_malformed_query_shows_message_not_crash(base):
    status, _, html = get(base + "/?q=%22open")
    assert status == 200 and 'role="alert"' in html and "ngoặc kép" in html
    assert get(base + "/plan/99999")[0] == 404


def test_web_is_read_only(base):
    assert get(base + "/", method="POST")[0] == 405
    assert get(base + "/api/search?q=x", method="DELETE")[0] == 405
