"""The authorization matrix: every route of the app (enumerated from ``app.routes``, so a new route cannot go
unprotected) × signed out / 填报员 / 审核员 / 管理员 × an object of the user's own unit / a unit below it / another
unit. Each route has one rule below; a route without a rule fails the test.

Rules: ``public`` (anyone), ``signed_in`` (any signed-in user), ``creator`` (clerks and admins: makes a fact sheet for
the own unit), ``admin``; object rules ``read`` (clerk: own unit; editor: own and below; admin: all), ``write``
(clerk: own; admin: all), ``comment`` (clerk: own; editor: own and below; admin: all), ``review`` (editor: own and
below; admin: all). Allowed means the answer is neither 401, 403 nor 404 (nor 5xx); denied means 403 or 404 (an
object the user may not even read is not revealed: 404). Signed out, every non-public route answers 401.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from conftest import ROOT, TEST_ADMIN_PASSWORD, app_client, sign_in
from zongjie.factsheets.model import load_fact_sheet

QINGSHAN = ROOT / "knowledge" / "facts" / "qingshan_town_2025.yaml"
PASSWORD = "password-123"

RULES = {
    ("GET", "/openapi.json"): "public",
    ("MOUNT", "/static"): "public",
    ("MOUNT", "/docs-assets"): "public",
    ("GET", "/healthz"): "public",
    ("GET", "/docs"): "public",
    ("GET", "/"): "public",  # a redirect to /facts
    ("POST", "/api/auth/login"): "public",
    ("POST", "/api/auth/logout"): "public",
    ("GET", "/login"): "public",
    ("POST", "/login"): "public",
    ("POST", "/logout"): "public",
    ("GET", "/api/me"): "signed_in",
    ("POST", "/api/me/password"): "signed_in",
    ("GET", "/api/me/tokens"): "signed_in",
    ("POST", "/api/me/tokens"): "signed_in",
    ("DELETE", "/api/me/tokens/{token_id}"): "signed_in",
    ("GET", "/account"): "signed_in",
    ("POST", "/account/password"): "signed_in",
    ("POST", "/account/tokens"): "signed_in",
    ("POST", "/account/tokens/{token_id}/revoke"): "signed_in",
    ("GET", "/api/units"): "signed_in",
    ("POST", "/api/units"): "admin",
    ("PATCH", "/api/units/{unit_id}"): "admin",
    ("GET", "/api/users"): "admin",
    ("POST", "/api/users"): "admin",
    ("PATCH", "/api/users/{user_id}"): "admin",
    ("POST", "/api/users/{user_id}/password"): "admin",
    ("GET", "/api/audit"): "admin",
    ("GET", "/admin/units"): "admin",
    ("POST", "/admin/units"): "admin",
    ("POST", "/admin/units/{unit_id}"): "admin",
    ("POST", "/admin/users"): "admin",
    ("POST", "/admin/users/{user_id}"): "admin",
    ("GET", "/admin/audit"): "admin",
    ("GET", "/admin/quality"): "admin",
    ("GET", "/api/knowledge/search"): "signed_in",
    ("GET", "/api/knowledge/documents"): "signed_in",
    ("GET", "/api/knowledge/documents/{doc_id}"): "signed_in",
    ("GET", "/knowledge"): "signed_in",
    ("GET", "/knowledge/documents/{doc_id}"): "signed_in",
    ("POST", "/api/knowledge/upload"): "admin",
    ("PATCH", "/api/knowledge/documents/{doc_id}"): "admin",
    ("DELETE", "/api/knowledge/documents/{doc_id}"): "admin",
    ("POST", "/knowledge/documents/{doc_id}"): "admin",
    ("POST", "/knowledge/documents/{doc_id}/delete"): "admin",
    ("POST", "/api/knowledge/imports"): "admin",
    ("GET", "/api/knowledge/imports/{job_id}"): "admin",
    ("POST", "/knowledge/imports"): "admin",
    ("GET", "/knowledge/imports/{job_id}"): "admin",
    ("GET", "/api/factsheets"): "signed_in",
    ("GET", "/api/factsheets/schema"): "signed_in",
    ("GET", "/facts"): "signed_in",
    ("GET", "/facts/template.xlsx"): "signed_in",
    ("POST", "/api/factsheets/extract"): "signed_in",  # proposes a sheet from a past summary; nothing is saved
    ("GET", "/facts/start"): "signed_in",
    ("POST", "/facts/start/upload"): "signed_in",
    ("POST", "/facts/start/kb/{doc_id}"): "signed_in",
    ("POST", "/facts/{factsheet_id}/base"): "write",
    ("GET", "/knowledge/documents/{doc_id}/structure"): "signed_in",
    ("GET", "/api/knowledge/documents/{doc_id}/fixes"): "signed_in",
    # corrections of what was read: admins any summary, a clerk their unit's (here: a summary of no unit)
    ("POST", "/knowledge/documents/{doc_id}/structure"): "admin",
    ("POST", "/knowledge/documents/{doc_id}/structure/reset"): "admin",
    ("POST", "/api/knowledge/documents/{doc_id}/fixes"): "admin",
    ("POST", "/api/factsheets"): "creator",
    ("POST", "/api/factsheets/upload"): "creator",
    ("GET", "/facts/new"): "creator",
    ("POST", "/facts"): "creator",
    ("POST", "/facts-upload"): "creator",
    ("GET", "/api/factsheets/{factsheet_id}"): "read",
    ("GET", "/facts/{factsheet_id}"): "read",
    ("PUT", "/api/factsheets/{factsheet_id}"): "write",
    ("POST", "/facts/{factsheet_id}"): "write",
    ("POST", "/api/factsheets/{factsheet_id}/copy"): "write",
    ("POST", "/facts/{factsheet_id}/copy"): "write",
    ("POST", "/api/factsheets/{factsheet_id}/next-year"): "write",
    ("POST", "/facts/{factsheet_id}/next-year"): "write",
    ("POST", "/api/factsheets/{factsheet_id}/drafts"): "write",
    ("POST", "/facts/{factsheet_id}/draft"): "write",
    ("GET", "/facts/{factsheet_id}/draft-now"): "write",
    ("DELETE", "/api/factsheets/{factsheet_id}"): "write",
    ("POST", "/facts/{factsheet_id}/delete"): "write",
    ("POST", "/api/factsheets/{factsheet_id}/restore"): "admin",
    ("GET", "/api/jobs/{job_id}"): "read",
    ("GET", "/jobs/{job_id}"): "read",
    ("GET", "/api/jobs/{job_id}/events"): "read",
    ("GET", "/api/drafts/{draft_id}"): "read",
    ("GET", "/api/drafts/{draft_id}/versions"): "read",
    ("GET", "/api/drafts/{draft_id}/download.{fmt}"): "read",
    ("GET", "/drafts/{draft_id}"): "read",
    ("GET", "/drafts/{draft_id}/compare"): "read",
    ("GET", "/drafts/{draft_id}/diff"): "read",
    ("GET", "/drafts/{draft_id}/download.{fmt}"): "read",
    ("GET", "/api/drafts/{draft_id}/diff"): "read",
    ("GET", "/drafts/{draft_id}/export"): "read",
    ("GET", "/api/drafts/{draft_id}/review"): "read",
    ("PUT", "/api/drafts/{draft_id}/sections/{key:section}"): "write",
    ("POST", "/api/drafts/{draft_id}/sections/{key:section}/regenerate"): "write",
    ("POST", "/drafts/{draft_id}/sections/{key:path}/edit"): "write",
    ("POST", "/drafts/{draft_id}/sections/{key:path}/regenerate"): "write",
    ("GET", "/drafts/{draft_id}/sections/{key:path}/regenerate"): "write",  # the confirmation page
    ("POST", "/api/drafts/{draft_id}/versions/{number}/restore"): "write",
    ("POST", "/drafts/{draft_id}/versions/{number}/restore"): "write",
    ("POST", "/api/drafts/{draft_id}/recheck"): "write",
    ("POST", "/drafts/{draft_id}/recheck"): "write",
    ("POST", "/api/drafts/{draft_id}/submit"): "write",
    ("POST", "/drafts/{draft_id}/submit"): "write",
    ("POST", "/api/drafts/{draft_id}/reopen"): "write",
    ("POST", "/drafts/{draft_id}/reopen"): "write",
    ("POST", "/api/drafts/{draft_id}/comments/{comment_id}/resolve"): "write",
    ("POST", "/drafts/{draft_id}/comments/{comment_id}/resolve"): "write",
    ("DELETE", "/api/drafts/{draft_id}"): "write",
    ("POST", "/drafts/{draft_id}/delete"): "write",
    ("POST", "/api/drafts/{draft_id}/comments"): "comment",
    ("POST", "/drafts/{draft_id}/comments"): "comment",
    ("POST", "/api/drafts/{draft_id}/approve"): "review",
    ("POST", "/api/drafts/{draft_id}/return"): "review",
    ("POST", "/drafts/{draft_id}/approve"): "review",
    ("POST", "/drafts/{draft_id}/return"): "review",
    ("POST", "/api/drafts/{draft_id}/restore"): "admin",
    ("GET", "/api/deleted"): "admin",
    ("GET", "/admin/deleted"): "admin",
    ("POST", "/admin/deleted/{kind}/{object_id}/restore"): "admin",
    ("POST", "/api/rollups"): "creator",  # the federation rolls up the units below it (its own unit's roll-up)
    ("GET", "/api/rollups"): "signed_in",
    ("GET", "/api/rollups/{rollup_id}"): "read",
    ("POST", "/api/rollups/{rollup_id}/refresh"): "write",
    ("POST", "/api/rollups/{rollup_id}/confirm"): "write",
    ("GET", "/api/rollups/{rollup_id}/parts/{unit}"): "read",
    ("POST", "/api/factsheets/{factsheet_id}/approval"): "review",
    ("GET", "/api/factsheets/{factsheet_id}/approval"): "read",
    ("PUT", "/api/indicators/{year}/{period}"): "creator",  # the own unit's list
    ("GET", "/api/indicators/{year}/{period}"): "signed_in",
    ("GET", "/indicators/template.yaml"): "signed_in",  # the own unit's sheet started from the list above
    ("GET", "/rollups"): "signed_in",
    ("POST", "/rollups"): "creator",
    ("GET", "/rollups/{rollup_id}"): "read",
    ("POST", "/rollups/{rollup_id}/confirm"): "write",
    ("POST", "/rollups/{rollup_id}/refresh"): "write",
    ("GET", "/rollups/{rollup_id}/parts/{unit}"): "read",
    ("GET", "/rollups/by-sheet/{factsheet_id}"): "read",
    ("GET", "/rollups/by-sheet/{factsheet_id}/parts/{unit}"): "read",
    ("GET", "/rollups-approvals"): "signed_in",
    ("POST", "/facts/{factsheet_id}/approve"): "review",
    ("GET", "/indicators"): "signed_in",
    ("POST", "/indicators"): "creator",
    ("GET", "/api/notifications"): "signed_in",
    ("POST", "/api/notifications/read"): "signed_in",
    ("GET", "/notifications"): "signed_in",
    ("POST", "/notifications/read"): "signed_in",
}

# who may, per rule and scope of the object (own unit / a unit below / another unit)
EXPECT = {
    "read": {"clerk": (1, 0, 0), "editor": (1, 1, 0), "admin": (1, 1, 1)},
    "write": {"clerk": (1, 0, 0), "editor": (0, 0, 0), "admin": (1, 1, 1)},
    "comment": {"clerk": (1, 0, 0), "editor": (1, 1, 0), "admin": (1, 1, 1)},
    "review": {"clerk": (0, 0, 0), "editor": (1, 1, 0), "admin": (1, 1, 1)},
    "signed_in": {"clerk": (1, 1, 1), "editor": (1, 1, 1), "admin": (1, 1, 1)},
    "creator": {"clerk": (1, 1, 1), "editor": (0, 0, 0), "admin": (1, 1, 1)},
    "admin": {"clerk": (0, 0, 0), "editor": (0, 0, 0), "admin": (1, 1, 1)},
    "public": {"clerk": (1, 1, 1), "editor": (1, 1, 1), "admin": (1, 1, 1)},
}
SCOPES = ("own", "below", "other")


def app_routes(app) -> list[tuple[str, str]]:
    """(method, path) of every route, routers included (``MOUNT`` for mounted static folders)."""
    try:
        from fastapi.routing import iter_route_contexts

        routes = list(iter_route_contexts(app.routes))
    except ImportError:  # FastAPI versions that flatten app.routes themselves
        routes = app.routes
    out = []
    for r in routes:
        methods = getattr(r, "methods", None) or {"MOUNT"}
        out += [(m, r.path) for m in sorted(methods) if m != "HEAD"]
    return out


class World:
    """Units root → own → below, root → other; a clerk and an editor of ``own``; the admin of root; a finished draft
    to clone, so that every request gets fresh objects in the unit it is about."""

    def __init__(self, admin: TestClient):
        self.admin = admin
        app = admin.app
        self.store, self.accounts, self.reviews = app.state.store, app.state.accounts, app.state.reviews
        self.rollups = app.state.rollups
        root = admin.get("/api/me").json()["unit_id"]
        self.root = root
        own = self._unit("本单位工会", root)
        self.units = {"own": own, "below": self._unit("下级单位工会", own), "other": self._unit("其他单位工会", root)}
        self.sheet = load_fact_sheet(QINGSHAN).model_dump(mode="json")
        self.clients = {"admin": admin}
        for role in ("clerk", "editor"):
            r = admin.post(
                "/api/users",
                json={"username": role, "password": PASSWORD, "role": role, "unit_id": own, "display_name": role},
            )
            assert r.status_code == 201, r.text
            self.clients[role] = sign_in(TestClient(app), role)
        for c in self.clients.values():
            c.get("/healthz")  # the CSRF cookie
        fid = admin.post("/api/factsheets", json=self.sheet).json()["id"]
        job = admin.post(f"/api/factsheets/{fid}/drafts").json()
        import time

        for _ in range(300):
            job = admin.get(f"/api/jobs/{job['id']}").json()
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.1)
        assert job["status"] == "done", job
        self.template = self.store.version(job["draft_id"]).data
        self.key = admin.get(f"/api/drafts/{job['draft_id']}").json()["sections"][0]["key"]

    def _unit(self, name: str, parent: str) -> str:
        r = self.admin.post("/api/units", json={"name": name, "parent_id": parent})
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def fresh(self, scope: str, role: str, path: str, method: str) -> dict:
        """Objects for one request: a fact sheet, a job and a draft (two versions) in the scope's unit, in the
        review state the route needs, plus whatever else its path names."""
        unit = self.units[scope]
        fid = self.store.save_factsheet(self.sheet)
        self.accounts.claim("factsheet", fid, unit, None)
        job = self.store.create_job(fid)
        draft = self.store.create_draft(fid, job, self.template, "起草")
        self.store.add_version(draft, self.template, "编辑")
        comment = self.reviews.add_comment(draft, 2, self.key, "请核实", "x", "x")
        if path.endswith(("/approve", "/return")):
            self.reviews.submit(draft, 2, "x")
        if path.endswith("/reopen"):
            self.reviews.submit(draft, 2, "x")
            self.reviews.approve(draft, 2, "x")
        kind = "draft" if "/drafts/" in path or "{kind}" in path else "factsheet"
        if path.endswith("/events"):  # a finished job: its event stream ends
            self.store.update_job(job, status="failed", error="x")
        if "/imports/" in path:  # an import of past summaries (an ingest job, no fact sheet), finished
            job = self.store.create_job(None, kind="ingest", payload={"files": []})
            self.store.update_job(job, status="done")
        if path.endswith("/restore") and "/versions/" not in path:
            self.accounts.set_deleted(kind, draft if kind == "draft" else fid, None, True)
        ids = {"token_id": "", "user_id": "", "unit_id": "", "doc_id": "", "year": "2025", "period": "annual"}
        if "{rollup_id}" in path:  # a roll-up of the scope's unit, one unit's sheet in it sent as a file
            rolled = dict(self.sheet, rollup={"included": [{"unit": "某单位工会", "source": "file"}]})
            rolled_id = self.store.save_factsheet(rolled)
            self.accounts.claim("factsheet", rolled_id, unit, None)
            upload = [{"unit": "某单位工会", "filename": "x.yaml", "data": self.sheet}]
            ids["rollup_id"] = self.rollups.save_rollup(unit, 2025, "annual", "direct", rolled_id, upload, None)
            ids["unit"] = "某单位工会"
        if "/by-sheet/" in path:  # the same, reached by its rolled sheet
            rolled = dict(self.sheet, rollup={"included": [{"unit": "某单位工会", "source": "file"}]})
            fid = self.store.save_factsheet(rolled)
            self.accounts.claim("factsheet", fid, unit, None)
            upload = [{"unit": "某单位工会", "filename": "x.yaml", "data": self.sheet}]
            self.rollups.save_rollup(unit, 2025, "annual", "direct", fid, upload, None)
            ids["unit"] = "某单位工会"
        if "{token_id}" in path:
            me = self.clients[role].get("/api/me").json()["id"]
            ids["token_id"] = self.accounts.create_token(me, "x")[0]
        if "{user_id}" in path:
            ids["user_id"] = self.accounts.create_user(f"u{fid}", PASSWORD, "clerk", unit)
        if "{unit_id}" in path:
            ids["unit_id"] = self._unit(f"单位{fid}", unit)
        if "{doc_id}" in path:
            ids["doc_id"] = self.admin.get("/api/knowledge/documents").json()[-1]["id"]
        return {
            "factsheet_id": fid,
            "job_id": job,
            "draft_id": draft,
            "key": self.key,
            "comment_id": str(comment),
            "fmt": "md",
            "number": "1",
            **ids,
            "kind": kind,
            "object_id": draft if kind == "draft" else fid,
        }


def _request(world: World, client: TestClient, role: str, method: str, path: str, ids: dict):
    url = re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: ids[m.group(1)], path)
    csrf = client.cookies.get("zj_csrf")
    password = TEST_ADMIN_PASSWORD if role == "admin" else PASSWORD
    sheet_yaml = QINGSHAN.read_bytes()
    page_form = not url.startswith("/api/") and method == "POST"
    json_bodies = {
        "/api/factsheets": world.sheet,
        "/api/units": {"name": "新单位", "parent_id": world.root},
        "/api/users": {
            "username": f"n{ids['factsheet_id']}",
            "password": PASSWORD,
            "role": "clerk",
            "unit_id": world.root,
        },
        "/api/me/password": {"current_password": password, "new_password": password},
        "/api/me/tokens": {"name": "脚本"},
        "/api/auth/login": {"username": role, "password": password},
        "/api/rollups": {"year": 2025, "scope": "direct"},
    }
    if method == "MOUNT":
        return client.get(url + ("/app.css" if url == "/static" else "/swagger-ui.css"))
    kwargs: dict = {}
    if url in json_bodies:
        kwargs["json"] = json_bodies[url]
    elif url.endswith("/confirm") and url.startswith("/api/rollups/"):
        kwargs["json"] = {"label": "慰问困难职工", "into_key": "l:走访慰问困难职工"}
    elif method == "PUT" and url.startswith("/api/indicators/"):
        kwargs["json"] = {"indicators": [{"key": "visits", "label": "走访困难职工", "unit": "户"}]}
    elif method == "PUT" and "/sections/" in url:
        kwargs["json"] = {"text": "全年走访困难职工40户。", "base_version": 2}
    elif method == "PUT":
        kwargs["json"] = world.sheet
    elif method == "PATCH" and "/users/" in url:
        kwargs["json"] = {"display_name": "改名"}
    elif method == "PATCH" and "/units/" in url:
        kwargs["json"] = {"name": "改名单位"}
    elif method == "PATCH":
        kwargs["json"] = {"year": 2024}
    elif url.endswith("/fixes"):
        kwargs["json"] = {}
    elif url.endswith("/comments") and url.startswith("/api/"):
        kwargs["json"] = {"section_key": ids["key"], "body": "请核实这个数字", "figure": "40户"}
    elif url.endswith("/password") and url.startswith("/api/users/"):
        kwargs["json"] = {"new_password": "another-password"}
    if url in ("/api/factsheets/upload", "/facts-upload"):
        kwargs["files"] = [("file", ("facts.yaml", sheet_yaml))]
    summary = ("西岭镇.txt", "西岭镇工会2024年工作总结\n\n一、组织建设\n新建工会5家。\n".encode())
    if url in ("/api/knowledge/upload", "/api/knowledge/imports", "/knowledge/imports"):
        kwargs["files"] = [("files", summary)]
    if url in ("/api/factsheets/extract", "/facts/start/upload"):
        kwargs["files"] = [("file", summary)]
    if page_form:
        form = {"csrf_token": csrf}
        if url == "/login":
            form.update(username=role, password=password)
        elif url == "/account/password":
            form.update(current_password=password, new_password=password, new_password2=password)
        elif url == "/account/tokens":
            form.update(name="脚本")
        elif url.endswith("/comments"):
            form.update(section_key=ids["key"], body="请核实")
        elif url.endswith("/edit"):
            form.update(text="全年走访困难职工40户。", base_version="2")
        elif url.endswith("/regenerate"):
            form.update(base_version="2")
        elif url in ("/facts",) or re.fullmatch(r"/facts/\w+", url):
            form.update(unit_name="本单位工会", unit_type="township", year="2025", kind="annual")
        elif url == "/admin/units":
            form.update(name="新单位", unit_type="township", parent_id=world.root)
        elif url == "/admin/users":
            form.update(username=f"p{ids['factsheet_id']}", password=PASSWORD, role="clerk", unit_id=world.root)
        kwargs["data"] = form
    if url.endswith("/diff"):
        kwargs["params"] = {"a": 1, "b": 2}
    if url == "/api/knowledge/search":
        kwargs["params"] = {"q": "帮扶"}
    return client.request(method, url, follow_redirects=False, **kwargs)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    from zongjie.settings import Settings

    data = tmp_path_factory.mktemp("authz")
    s = Settings(
        data_dir=data / "var",
        embedder="hashing",
        vector_store="memory",
        environment="test",
        admin_password=TEST_ADMIN_PASSWORD,
        draft_workers=1,
    )
    with app_client(s) as admin:
        yield World(admin)


def test_every_route_has_a_rule(world):
    routes = set(app_routes(world.admin.app))
    missing = sorted(routes - set(RULES))
    assert not missing, f"routes without an authorization rule (add them to RULES): {missing}"
    assert not sorted(set(RULES) - routes), "rules for routes that no longer exist"


def test_signed_out_every_private_route_answers_401(world):
    for (method, path), rule in sorted(RULES.items()):
        anonymous = TestClient(world.admin.app)  # a new one each time: signing in (a public route) sets a cookie
        anonymous.get("/healthz")
        r = _request(world, anonymous, "admin", method, path, world.fresh("own", "admin", path, method))
        if rule == "public":
            assert r.status_code < 500 and r.status_code not in (401, 403, 404), (method, path, r.status_code)
        else:
            assert r.status_code == 401, (method, path, r.status_code, r.text[:200])


@pytest.mark.parametrize("role", ["clerk", "editor", "admin"])
def test_matrix(world, role):
    failures = []
    for (method, path), rule in sorted(RULES.items()):
        if rule == "public" or (method, path) in (("POST", "/logout"), ("POST", "/api/auth/logout")):
            continue
        for i, scope in enumerate(SCOPES):
            ids = world.fresh(scope, role, path, method)
            r = _request(world, world.clients[role], role, method, path, ids)
            allowed = bool(EXPECT[rule][role][i])
            ok = (
                (r.status_code not in (401, 403, 404) and r.status_code < 500)
                if allowed
                else r.status_code in (403, 404)
            )
            if not ok:
                failures.append((method, path, scope, "allow" if allowed else "deny", r.status_code, r.text[:120]))
    assert not failures, "\n".join(map(str, failures))


def test_clerk_cannot_file_a_fact_sheet_for_another_unit(world):
    clerk = world.clients["clerk"]
    r = clerk.post("/api/factsheets", params={"unit_id": world.units["other"]}, json=world.sheet)
    assert r.status_code == 403
    fid = clerk.post("/api/factsheets", json=world.sheet).json()["id"]
    assert world.accounts.record("factsheet", fid).unit_id == world.units["own"]
    other = world.fresh("other", "clerk", "", "GET")
    listed = {f["id"] for f in clerk.get("/api/factsheets").json()}
    assert fid in listed and other["factsheet_id"] not in listed
    editor_listed = {f["id"] for f in world.clients["editor"].get("/api/factsheets").json()}
    below = world.fresh("below", "editor", "", "GET")
    assert below["factsheet_id"] in {f["id"] for f in world.clients["editor"].get("/api/factsheets").json()}
    assert other["factsheet_id"] not in editor_listed


def test_a_job_records_who_started_it_and_another_units_clerk_cannot_follow_it(world):
    clerk = world.clients["clerk"]
    fid = clerk.post("/api/factsheets", json=world.sheet).json()["id"]
    job = clerk.post(f"/api/factsheets/{fid}/drafts").json()["id"]
    record = world.accounts.record("job", job)
    assert record.created_by == clerk.get("/api/me").json()["id"] and record.unit_id == world.units["own"]
    body = {"username": "clerk-other", "password": PASSWORD, "role": "clerk", "unit_id": world.units["other"]}
    assert world.admin.post("/api/users", json=body).status_code == 201
    stranger = sign_in(TestClient(world.admin.app), "clerk-other")
    for path in (f"/api/jobs/{job}", f"/api/jobs/{job}/events", f"/jobs/{job}"):
        r = stranger.get(path)
        assert r.status_code == 404 and job not in r.text, (path, r.status_code)
    assert clerk.get(f"/api/jobs/{job}").json()["id"] == job
    assert world.admin.app.state.runner.wait(job, timeout=120).status == "done"
