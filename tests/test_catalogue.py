"""The catalogue and search: loading, diacritics, phrases, filters, citations, bad queries."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from catalogue_data import plan_a, plan_b, write_plans
from pipeline.export import catalogue as cat, fts, plans, search as srch

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


@pytest.fixture()
def db(tmp_path):
    write_plans(tmp_path / "out")
    path = tmp_path / "cat.sqlite"
    conn = cat.connect(path)
    cat.load(conn, [tmp_path / "out"])
    conn.close()
    return path


@pytest.fixture()
def conn(db):
    c = cat.connect(db, readonly=True)
    yield c
    c.close()


def numbers(conn, query="", **filters):
    return sorted(h.number for h in srch.search(conn, query, srch.Filters(**filters)).hits)


def test_catalogue_reload_replaces_plans_instead_of_duplicating(tmp_path, db):
    conn = cat.connect(db)
    rep = cat.load(conn, [tmp_path / "out"])
    assert (rep.added, rep.replaced, rep.unchanged) == (0, 0, 3)
    (tmp_path / "out" / "plan_b.json").write_text(plan_b().model_dump_json(), encoding="utf-8")
    rep = cat.load(conn, [tmp_path / "out"])  # the same plan, written again: replaced
    assert (rep.added, rep.replaced, rep.unchanged) == (0, 1, 2)
    changed = plan_a()
    changed.text = changed.text.replace("Kinh phí từ ngân sách tỉnh", "Kinh phí xã hội hóa ngoài ngân sách")
    write_plans(tmp_path / "out2", {"plan_a": changed})
    cat.load(conn, [tmp_path / "out2"])
    assert conn.execute("SELECT count(*) FROM plans").fetchone()[0] == 3
    assert numbers(conn, "xa hoi hoa") == ["14"]
    assert numbers(conn, '"ngân sách tỉnh"') == []  # the old text left the index
    assert numbers(conn, "thanh nien") == ["05", "14", "2763"]


def test_catalogue_tables_answer_plain_sql(db):
    conn = sqlite3.connect(db)  # no functions of ours registered
    rows = conn.execute("SELECT p.number, t.id, b.name FROM targets t JOIN plans p ON p.id = t.plan_id "
                        "JOIN target_owners o ON o.plan_id = t.plan_id AND o.target_id = t.id "
                        "JOIN bodies b ON b.plan_id = t.plan_id AND b.id = o.body_id").fetchall()
    assert rows == [("14", "t1", "Tỉnh Đoàn")]
    cites = conn.execute("SELECT a.number, b.number FROM citations c JOIN plans a ON a.id = c.citing_plan_id "
                         "JOIN plans b ON b.id = c.cited_plan_id").fetchall()
    assert cites == [("14", "2763")]
    for table in ("sections", "dates", "legal_refs", "assignments", "body_mentions", "issuers"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table


def test_catalogue_skips_files_that_are_not_results(tmp_path):
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    (tmp_path / "junk.json").write_text("not json", encoding="utf-8")
    rep = cat.load(cat.connect(tmp_path / "c.sqlite"), [tmp_path])
    assert rep.added == 0 and len(rep.skipped) == 2


def test_search_without_diacritics_matches_any_diacritics(conn):
    assert numbers(conn, "thanh nien khoi nghiep") == ["14"]
    assert numbers(conn, "THANH NIEN") == ["05", "14", "2763"]  # "thành niên" too
    assert numbers(conn, '"doan thanh nien"') == ["2763"]          # đ folds to d


def test_search_with_diacritics_matches_them_exactly(conn):
    assert numbers(conn, "thanh niên") == ["14", "2763"]
    assert numbers(conn, '"thành niên"') == ["05"]
    assert numbers(conn, '"Đoàn THANH NIÊN"') == ["2763"]          # case still ignored
    assert numbers(conn, "hoà nhập") == ["05"]                   # text has "hòa nhập"


def test_search_phrase_in_quotes(conn):
    assert numbers(conn, '"khởi nghiệp thành công"') == ["14"]
    assert numbers(conn, '"thanh nien khoi"') == ["14"]
    assert numbers(conn, '"nghiệp khởi"') == []
    assert numbers(conn, 'khoi* -"thanh cong"') == ["2763"]


def test_search_ranks_and_highlights_a_snippet(conn):
    res = srch.search(conn, "thanh nien khoi nghiep")
    hit = res.hits[0]
    assert "«thanh niên khởi nghiệp»" in hit.snippet
    assert ["thanh niên khởi nghiệp", True] in hit.snippet_parts
    assert hit.score is not None and res.total == 1


@pytest.mark.parametrize("filters, expected", [
    ({"issuer": "tay ninh"}, ["14", "2763"]),
    ({"issuer": "Hội Liên hiệp"}, []),         # "thanh niên" plans are not the women's union's
    ({"year": 2018}, ["14"]),
    ({"year": 2017}, ["2763"]),
    ({"doc_type": "quyet dinh"}, ["2763"]),
    ({"doc_type": "Kế hoạch"}, ["14"]),
])
def test_search_filters(conn, filters, expected):
    assert numbers(conn, "thanh niên", **filters) == expected


def test_search_section_filter_searches_only_that_kind(conn):
    assert numbers(conn, "ho tro", section="funding") == ["2763"]
    assert numbers(conn, "ho tro", section="purpose") == ["14"]
    assert numbers(conn, "ho tro", section="organization") == []
    hit = srch.search(conn, "kinh phí", srch.Filters(section="funding")).hits[0]
    assert hit.section["kind"] == "funding"
    assert numbers(conn, "", section="organization") == ["05", "14"]


def test_search_cites_finds_plans_citing_a_document(conn):
    assert numbers(conn, "", cites="2763/QĐ-UBND") == ["14"]
    assert numbers(conn, "", cites="2763/qd-ubnd") == ["14"]
    assert numbers(conn, "khoi nghiep", cites="2763/QĐ-UBND") == ["14"]
    assert numbers(conn, "", cites="999/QĐ-UBND") == []


def test_citation_links_both_ways(conn):
    ids = {h.number: h.id for h in srch.search(conn, "thanh nien").hits}
    a = plans.plan(conn, ids["14"])
    assert [c["number"] for c in a["legal_refs"][0]["in_catalogue"]] == ["2763"]
    assert [c["number"] for c in plans.plan(conn, ids["2763"])["cited_by"]] == ["14"]
    assert plans.plan(conn, ids["05"])["cited_by"] == []


def test_audit_lists_targets_without_owner_or_deadline(conn):
    audit = plans.audit(conn)
    assert [t["id"] for t in audit["without_owner"]] == ["t2"]
    assert [t["id"] for t in audit["without_deadline"]] == ["t2"]


@pytest.mark.parametrize("query", ['"thanh niên', "", "   ", "OR", "khoi OR", "-nghèo", "***",
                                   "NOT x", "AND", '""', "-\"a b\""])
def test_search_malformed_query_gets_a_clear_message(conn, query):
    with pytest.raises(fts.QueryError) as err:
        srch.search(conn, query)
    assert len(str(err.value)) > 10


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('ab "*-()ORNTDđế:^{}.,\\\'')), max_size=12))
def test_search_arbitrary_queries_never_crash(db, query):
    conn = cat.connect(db, readonly=True)
    try:
        srch.search(conn, query)
    except fts.QueryError:
        pass
    finally:
        conn.close()


def test_search_bad_filters_get_a_clear_message(conn):
    with pytest.raises(cat.CatalogueError, match="Loại mục"):
        srch.search(conn, "x", srch.Filters(section="bogus"))
    with pytest.raises(cat.CatalogueError, match="ký hiệu"):
        srch.search(conn, "x", srch.Filters(cites="bogus"))


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT)


def test_cli_catalogue_and_search_json(tmp_path):
    write_plans(tmp_path / "out")
    db = tmp_path / "c.sqlite"
    r = _cli("catalogue", tmp_path / "out", "--db", db)
    assert r.returncode == 0, r.stderr
    assert "3 added" in r.stderr
    r = _cli("search", "thanh nien khoi nghiep", "--db", db, "--json")
    assert r.returncode == 0, r.stderr
    hits = json.loads(r.stdout)
    assert [h["number"] for h in hits] == ["14"]
    assert {"file", "number", "symbol", "issued_date", "title", "snippet"} <= set(hits[0])
    r = _cli("search", "ho tro", "--db", db, "--section", "funding", "--issuer", "tây ninh",
             "--year", "2017", "--doc-type", "Quyết định", "--json")
    assert [h["number"] for h in json.loads(r.stdout)] == ["2763"]
    r = _cli("search", "", "--cites", "2763/QĐ-UBND", "--db", db, "--json")
    assert [h["number"] for h in json.loads(r.stdout)] == ["14"]
    r = _cli("search", "khoi nghiep", "--db", db)
    assert r.returncode == 0 and "1 kế hoạch" in r.stdout and "14/KH-UBND" in r.stdout


@pytest.mark.parametrize("args, message", [
    (['"thanh niên'], "ngoặc kép"),
    (["x", "--section", "bogus"], "Loại mục"),
    (["x", "--cites", "bogus"], "ký hiệu"),
])
def test_cli_search_malformed_input_exits_2_with_message(tmp_path, args, message):
    write_plans(tmp_path / "out")
    db = tmp_path / "c.sqlite"
    _cli("catalogue", tmp_path / "out", "--db", db)
    r = _cli("search", *args, "--db", db)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr


def test_cli_search_missing_catalogue_is_a_clear_error(tmp_path):
    r = _cli("search", "x", "--db", tmp_path / "none.sqlite")
    assert r.returncode == 2 and "kehoach catalogue" in r.stderr


@pytest.mark.parametrize("command", [["catalogue", "."], ["search", "x"], ["serve", "--port", "0"]])
def test_cli_file_that_is_not_a_database_is_a_clear_error(tmp_path, command):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("this is not a database " * 10, encoding="utf-8")
    r = _cli(*command, "--db", bad)
    assert r.returncode == 2 and "not a database" in r.stderr and "Traceback" not in r.stderr


def test_catalogue_of_the_corpus_finds_the_tay_ninh_plan(tmp_path, corpus_outdir):
    conn = cat.connect(tmp_path / "c.sqlite")
    rep = cat.load(conn, [corpus_outdir])
    assert rep.added >= 17 and not rep.skipped
    res = srch.search(conn, "thanh nien khoi nghiep")
    assert "14" in [h.number for h in res.hits]
    assert numbers(conn, "chuyen doi so", year=2025, issuer="dong thap") == ["617"]


def test_audit_counts_an_issuer_fallback_owner_as_no_owner(tmp_path):
    res = plan_a()
    res.targets[0].owner_source = "issuer"
    conn = cat.connect(tmp_path / "c.sqlite")
    conn.execute("BEGIN")
    cat.add_result(conn, res, "plan_a.json")
    conn.execute("COMMIT")
    assert [t["id"] for t in plans.audit(conn)["without_owner"]] == ["t1", "t2"]
