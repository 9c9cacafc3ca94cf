"""`kehoach serve`: search, plan and audit pages plus a JSON API, from the standard library.

Why http.server: a read-only, local, few-user tool needs no framework; Jinja2 gives templates
that escape by default. The catalogue is opened read-only (a pool of warm connections);
only GET and HEAD are answered. Pages and /api/ share the functions of pipeline.export.
The one exception, POST /api/extract, exists only with `--allow-extract` (extract_api.py).
"""
from __future__ import annotations

import json
import logging
import queue
import re
import threading
from dataclasses import asdict
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..export import catalogue as cat, fts, plans, search as srch
from . import highlight

log = logging.getLogger("kehoach")
HERE = Path(__file__).resolve().parent
PER_PAGE = 20
ROLES = {"lead": "chủ trì", "coordinate": "phối hợp", "report": "báo cáo"}
DATE_KINDS = {"date": "ngày", "range": "khoảng", "period": "giai đoạn", "deadline": "thời hạn",
              "recurring": "định kỳ"}
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")

env = Environment(loader=FileSystemLoader(HERE / "templates"),
                  autoescape=select_autoescape(default=True, default_for_string=True))


def _num(v):
    """8000.0 -> '8000', 1.3 -> '1,3' (the Vietnamese decimal comma)."""
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v).replace(".", ",")
    return v


env.filters["num"] = _num


def _docnum(item) -> str:
    """A plan's number as the office writes it: "2763/QĐ-UBND", "14-KH/TĐTN-BCN"."""
    from ..extract.docnumber import display

    get = item.get if isinstance(item, dict) else (lambda k: getattr(item, k, None))
    return display(get("number"), None, get("symbol"))


env.filters["docnum"] = _docnum


class BadRequest(Exception):
    pass


class NotFound(Exception):
    pass


def _filters(params: dict) -> srch.Filters:
    year = params.get("year") or None
    if year is not None:
        if not re.fullmatch(r"[0-9]{4}", year):
            raise BadRequest(f"Năm không hợp lệ: {year!r}")
        year = int(year)
    return srch.Filters(issuer=params.get("issuer") or None, year=year,
                        doc_type=params.get("doc_type") or None,
                        section=params.get("section") or None, cites=params.get("cites") or None)


def _page(params: dict) -> int:
    p = params.get("page", "1")
    if not re.fullmatch(r"[0-9]{1,6}", p) or int(p) < 1:
        raise BadRequest(f"Trang không hợp lệ: {p!r}")
    return int(p)


class App:
    """Routes -> (status, content type, body); independent of the HTTP plumbing."""

    def __init__(self, db: str | Path):
        self.db = Path(db)
        cat.connect(self.db, readonly=True).close()  # fail now, clearly, if it is not a catalogue
        self._pool: queue.SimpleQueue = queue.SimpleQueue()  # warm connections, reused
        self._local = threading.local()

    @property
    def conn(self):
        """This request's connection (each request runs in its own thread)."""
        c = getattr(self._local, "conn", None)
        if c is None:
            try:
                c = self._pool.get_nowait()
            except queue.Empty:
                c = cat.connect(self.db, readonly=True)
            self._local.conn = c
        return c

    def release(self) -> None:
        c = getattr(self._local, "conn", None)
        if c is not None:
            self._local.conn = None
            self._pool.put(c)

    def _html(self, name: str, **ctx) -> str:
        count = self.conn.execute("SELECT count(*) FROM plans").fetchone()[0]
        return env.get_template(name).render(plan_count=count, **ctx)

    def handle(self, path: str, params: dict) -> tuple[int, str, bytes]:
        api = path.startswith("/api/")
        try:
            if api:
                data = self.api(path[4:], params)
                return 200, "application/json; charset=utf-8", _json(data)
            return 200, "text/html; charset=utf-8", self.page(path, params).encode("utf-8")
        except (BadRequest, fts.QueryError, cat.CatalogueError) as e:
            status, msg = 400, str(e)
        except NotFound as e:
            status, msg = 404, str(e) or "Không tìm thấy trang."
        if api:
            return status, "application/json; charset=utf-8", _json({"error": msg})
        return status, "text/html; charset=utf-8", self._html("error.html", message=msg).encode("utf-8")

    # --- JSON API -------------------------------------------------------------------------

    def api(self, path: str, params: dict):
        if path == "/search":
            page = _page(params)
            res = srch.search(self.conn, params.get("q", ""), _filters(params), limit=PER_PAGE,
                              offset=(page - 1) * PER_PAGE)
            return {"query": res.query, "exact": res.exact, "total": res.total, "page": page,
                    "hits": [asdict(h) for h in res.hits]}
        if path == "/facets":
            return srch.facets(self.conn, params.get("q", ""), _filters(params))
        if path == "/audit":
            return plans.audit(self.conn)
        m = re.fullmatch(r"/plans/(\d+)", path)
        if m:
            return self._plan(int(m.group(1)))
        raise NotFound("Không có API này. Có: /api/search, /api/facets, /api/plans/<id>, /api/audit")

    def _plan(self, plan_id: int) -> dict:
        p = plans.plan(self.conn, plan_id)
        if p is None:
            raise NotFound(f"Không có kế hoạch số {plan_id} trong danh mục.")
        return p

    # --- pages --------------------------------------------------------------------------------

    def page(self, path: str, params: dict) -> str:
        if path in ("/", "/search"):
            return self._search_page(params)
        if path == "/audit":
            return self._html("audit.html", audit=plans.audit(self.conn))
        m = re.fullmatch(r"/plan/(\d+)", path)
        if m:
            p = self._plan(int(m.group(1)))
            text_html = highlight.render(p["text"], highlight.facts_of(p))
            return self._html("plan.html", plan=p, text_html=text_html, roles=ROLES, date_kinds=DATE_KINDS)
        raise NotFound("Không tìm thấy trang.")

    def _search_page(self, params: dict) -> str:
        q = params.get("q", "")
        error = results = None
        page = 1
        filters = srch.Filters()
        try:
            filters = _filters(params)
            page = _page(params)
            if q.strip() or filters.any():
                results = srch.search(self.conn, q, filters, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
        except (BadRequest, fts.QueryError, cat.CatalogueError) as e:
            error = str(e)

        def query_string(**changes):
            kept = {k: v for k, v in params.items() if v}
            kept.update({k: str(v) for k, v in changes.items()})
            return urlencode(kept)

        return self._html("search.html", q=q, filters=filters, facets=self._facets(q, filters, error),
                          results=results, error=error, page=page, per_page=PER_PAGE,
                          query_string=query_string)

    def _facets(self, q: str, filters: srch.Filters, error) -> dict:
        """Facet counts for this query; the chosen values stay listed even when they give 0."""
        facets = srch.facets(self.conn) if error else srch.facets(self.conn, q, filters)
        for key in ("issuer", "year", "doc_type"):
            chosen = getattr(filters, key)
            if chosen and chosen not in [f["value"] for f in facets[key]]:
                facets[key].insert(0, {"value": chosen, "count": 0})
        return facets


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    server_version = "kehoach"

    def _send(self, status: int, ctype: str, body: bytes, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _get(self, head: bool) -> None:
        url = urlsplit(self.path)
        if url.path == "/api/openapi.json":
            from . import extract_api
            self._send(200, "application/json; charset=utf-8",
                       _json(extract_api.openapi(self.server.extractor)), head)
            return
        if url.path == "/static/app.css":
            self._send(200, "text/css; charset=utf-8", (HERE / "static" / "app.css").read_bytes(), head)
            return
        params = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        try:
            reply = self.server.app.handle(url.path, params)
        except Exception:  # a bug must not leave the browser without an answer
            log.exception("internal error serving %s", self.path)
            reply = (500, "text/plain; charset=utf-8", "Lỗi nội bộ; chi tiết trong nhật ký máy chủ.".encode())
        finally:
            self.server.app.release()
        self._send(*reply, head=head)

    def do_GET(self) -> None:
        self._get(head=False)

    def do_HEAD(self) -> None:
        self._get(head=True)

    def _read_only(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                   "Chỉ đọc: chỉ hỗ trợ GET.".encode("utf-8"))

    def do_POST(self) -> None:  # only POST /api/extract, and only with --allow-extract
        if urlsplit(self.path).path != "/api/extract" or self.server.extractor is None:
            return self._read_only()
        from . import extract_api
        try:
            reply = extract_api.handle(self, self.server.extractor)
        except Exception:
            log.exception("internal error serving %s", self.path)
            reply = (500, "application/json; charset=utf-8", _json({"error": "Lỗi nội bộ; chi tiết trong nhật ký máy chủ."}))
        self._send(*reply)

    do_PUT = do_DELETE = do_PATCH = _read_only

    def log_message(self, format: str, *args) -> None:  # quiet; errors still go to stderr
        if args and str(args[1] if len(args) > 1 else "").startswith("5"):
            super().log_message(format, *args)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, addr, app: App, extractor=None):
        self.app = app
        self.extractor = extractor  # extract_api.Extractor with --allow-extract, else None
        super().__init__(addr, Handler)

    def server_close(self) -> None:
        super().server_close()
        if self.extractor is not None:
            self.extractor.close()


def make_server(db: str | Path, host: str = "127.0.0.1", port: int = 8000, extractor=None) -> Server:
    return Server((host, port), App(db), extractor)
