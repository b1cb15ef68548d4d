"""The HTTP API (FastAPI): `create_app(db_path)` builds it; OpenAPI at `/docs`.

Write endpoints (upload, delete, re-index, correct, set status) need the
token when one is configured (`NHIEMVU_TOKEN` or `create_app(token=...)`),
sent as `Authorization: Bearer <token>` or `X-Token: <token>`; without it
they answer 401. Documents stamped `MẬT` (and their tasks, targets and
search hits) are returned only to requests that carry the token; with no
token configured the service is open. Each request uses its own SQLite
connection from a pool; uploads are extracted before the write transaction
starts. The handlers only translate HTTP to the store modules.
"""
# no `from __future__ import annotations`: FastAPI must see the local dependency types

import json
import logging
import os
import secrets
import sqlite3
import threading
from concurrent.futures import Future
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote, unquote

from fastapi import Depends, FastAPI, File, Header, HTTPException, Path as PathParam, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse

from extractors.errors import ReadError
from extractors.readers.limits import max_bytes

from service import audit, corrections, exports, ingest, occurrences, progress, queries, search
from service.db import ConnectionPool, default_db_path, transaction
from service.schemas import (
    AuditEntry, CorrectionIn, DocumentDetail, DocumentPage, LinksOut, ReferencePage, SearchPage, StatusIn, TargetPage,
    TaskOut, TaskPage, UnitDetail, UnitPage, UploadOut,
)

_READ_ERROR_STATUS = {"too_large": 413, "unsupported": 415, "unreadable": 422, "missing_tool": 503}
_MESSAGES = {
    "indexed": "indexed",
    "duplicate": "already indexed (same sha256): nothing changed",
    "reindexed": "re-indexed under the same id",
    "unchanged": "re-extracted: nothing changed",
}
_MEDIA = {"pdf": "application/pdf", "docx": exports.MEDIA_TYPES["docx"], "doc": "application/msword",
          "txt": "text/plain; charset=utf-8", "md": "text/markdown; charset=utf-8"}
EXPORT_LIMIT = 100_000
_MULTIPART_SLACK = 64 * 1024  # multipart headers around the file
logger = logging.getLogger("nhiemvu.api")


def create_app(db_path: str | Path | None = None, *, token: str | None = None) -> FastAPI:
    """The API over the store at `db_path` (default `NHIEMVU_DB` or data/nhiemvu.sqlite)."""
    pool = ConnectionPool(Path(db_path) if db_path else default_db_path())
    configured = token if token is not None else (os.environ.get("NHIEMVU_TOKEN") or None)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(
        lifespan=lifespan,
        title="nhiemvu",
        version="0.1.0",
        description="A register of obligations (tasks, units, deadlines, targets, references) from Vietnamese party and state documents.",
    )
    app.state.pool = pool
    app.state.token = configured
    inflight: dict[str, Future[int]] = {}
    inflight_lock = threading.Lock()

    def get_conn() -> Iterator[sqlite3.Connection]:
        with pool.connection() as conn:
            yield conn

    def _presented(authorization: str | None, x_token: str | None) -> str | None:
        if x_token:
            return x_token
        if authorization and authorization.lower().startswith("bearer "):
            return authorization[7:].strip()
        return None

    def authorized(
        authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
        x_token: Annotated[str | None, Header(include_in_schema=False)] = None,
    ) -> bool:
        if configured is None:
            return True
        given = _presented(authorization, x_token)
        return given is not None and secrets.compare_digest(given.encode(), configured.encode())

    def require_token(ok: Annotated[bool, Depends(authorized)]) -> None:
        if not ok:
            raise HTTPException(401, "a valid token is required (Authorization: Bearer <token> or X-Token)", headers={"WWW-Authenticate": "Bearer"})

    def who(
        x_user: Annotated[str | None, Header(description="who makes the change (audit log); percent-encode non-ASCII names")] = None,
    ) -> str:
        return unquote(x_user or "").strip() or "anonymous"

    @app.middleware("http")
    async def refuse_oversized_uploads(request: Request, call_next: Any) -> Response:
        """413 before the body is read when the declared size is already over the limit."""
        if request.method == "POST" and request.url.path == "/documents":
            try:
                declared = int(request.headers.get("content-length", "0"))
            except ValueError:
                declared = 0
            if declared > max_bytes() + _MULTIPART_SLACK:
                return JSONResponse({"detail": f"upload of {declared:,} bytes is over the limit of {max_bytes():,} bytes (NHIEMVU_MAX_BYTES)"}, status_code=413)
        return await call_next(request)

    Conn = Annotated[sqlite3.Connection, Depends(get_conn)]
    Auth = Annotated[bool, Depends(authorized)]
    Write = Depends(require_token)

    # -- documents -------------------------------------------------------------------------------------------

    @app.post(
        "/documents", status_code=201, response_model=UploadOut, dependencies=[Write], tags=["documents"],
        responses={200: {"model": UploadOut, "description": "already indexed"}, 401: {}, 413: {}, 415: {}, 422: {}},
    )
    def upload(response: Response, conn: Conn, user: Annotated[str, Depends(who)], file: UploadFile = File(...)) -> dict[str, Any]:
        """Upload a document (multipart field `file`): 201 when indexed, 200 with the same id when already indexed."""
        limit = max_bytes()
        data = file.file.read(limit + 1)
        name = file.filename or "upload"
        if len(data) > limit:
            raise HTTPException(413, f"{name}: file is over the limit of {limit:,} bytes (NHIEMVU_MAX_BYTES)")
        sha = ingest.sha256_of(data)
        existing = ingest.find_by_sha(conn, sha)
        if existing is None:
            # the same file uploaded by several clients at once is extracted once; the others wait for it
            with inflight_lock:
                pending = inflight.get(sha)
                owner = pending is None
                if owner:
                    pending = inflight[sha] = Future()
            assert pending is not None
            try:
                if owner:
                    try:
                        try:
                            prepared = ingest.prepare(data, name)
                        except ReadError:
                            raise
                        except Exception as err:  # a bug in an extractor: say which file, keep the service up
                            logger.exception("extraction of %s failed", name)
                            raise HTTPException(500, f"{name}: extraction failed ({type(err).__name__}: {err})") from err
                        result = ingest.store(conn, prepared, user)
                    except BaseException as err:
                        pending.set_exception(err)
                        raise
                    pending.set_result(result.id)
                    if result.status == "indexed":
                        return _upload_out(result)
                    existing = result.id
                else:
                    existing = pending.result()
            except ReadError as err:
                raise HTTPException(_READ_ERROR_STATUS.get(err.kind, 422), str(err)) from err
            finally:
                if owner:
                    with inflight_lock:
                        inflight.pop(sha, None)
        response.status_code = 200
        return _upload_out(ingest.IngestResult(existing, "duplicate", ingest.summary(conn, existing)))

    @app.get("/documents", response_model=DocumentPage, tags=["documents"])
    def documents(
        conn: Conn, ok: Auth,
        type: Annotated[str | None, Query(description="document type, e.g. Kế hoạch")] = None,
        issuer: Annotated[str | None, Query(description="words of the issuer or its organisation")] = None,
        year: int | None = None,
        text: Annotated[str | None, Query(description="full text or a document code")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        items, total = queries.list_documents(conn, doc_type=type, issuer=issuer, year=year, q=text, include_hidden=ok, limit=limit, offset=offset)
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    def _document_or_404(conn: sqlite3.Connection, doc_id: int, ok: bool) -> dict[str, Any]:
        doc = queries.get_document(conn, doc_id, include_hidden=ok)
        if doc is None:
            raise HTTPException(404, f"no document {doc_id}")
        return doc

    @app.get("/documents/{doc_id}", response_model=DocumentDetail, tags=["documents"], responses={404: {}})
    def document(doc_id: int, conn: Conn, ok: Auth) -> dict[str, Any]:
        """The document and its full extraction."""
        doc = _document_or_404(conn, doc_id, ok)
        doc["extraction"] = queries.get_extraction(conn, doc_id)
        return doc

    @app.get("/documents/{doc_id}/file", tags=["documents"], responses={404: {}, 200: {"content": {"application/octet-stream": {}}}})
    def document_file(doc_id: int, conn: Conn, ok: Auth) -> Response:
        """The original file as uploaded."""
        doc = _document_or_404(conn, doc_id, ok)
        orig = ingest.original(conn, doc_id)
        if orig is None:
            raise HTTPException(404, f"no file for document {doc_id}")
        data, name = orig
        ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
        return Response(
            content=data,
            media_type=_MEDIA.get(doc.get("format") or "", "application/octet-stream"),
            headers={"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"},
        )

    @app.get("/documents/{doc_id}/links", response_model=LinksOut, tags=["documents"], responses={404: {}})
    def document_links(
        doc_id: int, conn: Conn, ok: Auth,
        relation: Annotated[str | None, Query(description="implements, reviews, amends, replaces, based_on, mentions")] = None,
    ) -> dict[str, Any]:
        """Outgoing: what this document cites (and the indexed document each resolves to). Incoming: who cites it."""
        _document_or_404(conn, doc_id, ok)
        return queries.document_links(conn, doc_id, include_hidden=ok, relation=relation)

    @app.delete("/documents/{doc_id}", status_code=204, dependencies=[Write], tags=["documents"], responses={401: {}, 404: {}})
    def delete_document(doc_id: int, conn: Conn, user: Annotated[str, Depends(who)]) -> Response:
        if not ingest.delete(conn, doc_id, user):
            raise HTTPException(404, f"no document {doc_id}")
        return Response(status_code=204)

    @app.post("/documents/{doc_id}/reindex", response_model=UploadOut, dependencies=[Write], tags=["documents"], responses={401: {}, 404: {}})
    def reindex_document(doc_id: int, conn: Conn, user: Annotated[str, Depends(who)]) -> dict[str, Any]:
        """Re-extract the kept original; the id, statuses and corrections stay."""
        try:
            return _upload_out(ingest.reindex(conn, doc_id, user))
        except KeyError as err:
            raise HTTPException(404, f"no document {doc_id}") from err
        except ReadError as err:
            raise HTTPException(_READ_ERROR_STATUS.get(err.kind, 422), str(err)) from err

    # -- tasks -----------------------------------------------------------------------------------------------

    def task_filter(
        ok: Auth,
        unit: Annotated[str | None, Query(description="a unit name or alias (linked units included)")] = None,
        unit_id: int | None = None,
        org: Annotated[str | None, Query(description="the organisation the unit belongs to, e.g. VKSND tối cao")] = None,
        role: Annotated[str | None, Query(description="lead, support or supervisors")] = None,
        linked: Annotated[bool, Query(description="include linked units (a party cell and its department)")] = True,
        document: int | None = None,
        kind: Annotated[Literal["ongoing", "per_plan", "relative", "recurring", "dated", "none"] | None, Query(description="deadline kind")] = None,
        status: str | None = None,
        due_after: date | None = None,
        due_before: date | None = None,
        overdue: bool | None = None,
        as_of: Annotated[date | None, Query(description="the date overdue is computed for (default today)")] = None,
        text: Annotated[str | None, Query(description="words of the task text")] = None,
        superseded: bool | None = None,
    ) -> queries.TaskFilter:
        f = queries.TaskFilter(
            unit=unit, unit_id=unit_id, org=org, role=role, linked=linked, document=document, kind=kind, status=status,
            due_after=due_after, due_before=due_before, overdue=overdue, as_of=as_of or date.today(), q=text,
            superseded=superseded, include_hidden=ok,
        )
        try:
            if role:
                queries.normalise_role(role)
            if status:
                progress.normalise_status(status)
        except ValueError as err:
            raise HTTPException(422, str(err)) from err
        return f

    Filter = Annotated[queries.TaskFilter, Depends(task_filter)]

    @app.get("/tasks", response_model=TaskPage, tags=["tasks"])
    def tasks(
        conn: Conn, f: Filter,
        limit: Annotated[int, Query(ge=1, le=1000)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        """Tasks, overdue first, then by due date (a recurring task's next date), paginated."""
        occurrences.refresh_daily(conn)
        items, total = queries.list_tasks(conn, f, limit=limit, offset=offset)
        return _json({"total": total, "limit": limit, "offset": offset, "as_of": f.as_of.isoformat(), "items": items})

    def _task_or_404(conn: sqlite3.Connection, task_id: int, ok: bool) -> dict[str, Any]:
        t = queries.get_task(conn, task_id, include_hidden=ok)
        if t is None:
            raise HTTPException(404, f"no task {task_id}")
        t["occurrences"] = queries.occurrences_of(conn, task_id)
        return t

    @app.get("/tasks/{task_id}", response_model=TaskOut, tags=["tasks"], responses={404: {}})
    def task(task_id: int, conn: Conn, ok: Auth) -> dict[str, Any]:
        return _task_or_404(conn, task_id, ok)

    @app.patch("/tasks/{task_id}", response_model=TaskOut, dependencies=[Write], tags=["tasks"], responses={401: {}, 404: {}, 422: {}})
    def correct_task(task_id: int, body: CorrectionIn, conn: Conn, ok: Auth, user: Annotated[str, Depends(who)]) -> dict[str, Any]:
        """Correct a task's units (lead, support, supervisors) or deadline; kept, marked, and kept over re-indexing."""
        _task_or_404(conn, task_id, ok)
        changes = {k: getattr(body, k) for k in body.model_fields_set if k in corrections.FIELDS}
        try:
            with transaction(conn):
                corrections.correct(conn, task_id, changes, body.by or user, body.note)
        except corrections.CorrectionError as err:
            raise HTTPException(422, str(err)) from err
        return _task_or_404(conn, task_id, ok)

    @app.put("/tasks/{task_id}/status", response_model=TaskOut, dependencies=[Write], tags=["tasks"], responses={401: {}, 404: {}, 422: {}})
    def set_status(task_id: int, body: StatusIn, conn: Conn, ok: Auth, user: Annotated[str, Depends(who)]) -> dict[str, Any]:
        """Set the status (chưa thực hiện, đang thực hiện, hoàn thành) with a note; logged with who and when."""
        _task_or_404(conn, task_id, ok)
        try:
            with transaction(conn):
                progress.set_status(conn, task_id, body.status, body.by or user, body.note)
        except ValueError as err:
            raise HTTPException(422, str(err)) from err
        return _task_or_404(conn, task_id, ok)

    app.add_api_route(
        "/tasks/{task_id}/status", set_status, methods=["POST"], response_model=TaskOut, dependencies=[Write],
        tags=["tasks"], include_in_schema=False,
    )

    @app.get("/tasks/{task_id}/history", response_model=list[AuditEntry], tags=["tasks"], responses={404: {}})
    def task_history(task_id: int, conn: Conn, ok: Auth) -> list[dict[str, Any]]:
        """Every status change and correction of the task, newest first."""
        _task_or_404(conn, task_id, ok)
        return audit.entries(conn, task_id=task_id, limit=1000)

    @app.get("/audit", response_model=list[AuditEntry], tags=["tasks"])
    def audit_log(
        conn: Conn, document: int | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100, offset: Annotated[int, Query(ge=0)] = 0,
    ) -> list[dict[str, Any]]:
        return audit.entries(conn, document_id=document, limit=limit, offset=offset)

    # -- units, targets, references, search -----------------------------------------------------------------

    @app.get("/units", response_model=UnitPage, tags=["units"])
    def units(
        conn: Conn, ok: Auth,
        q: Annotated[str | None, Query(description="a name or alias")] = None,
        org: str | None = None,
        kind: str | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        items, total = queries.list_units(conn, q=q, org=org, kind=kind, include_hidden=ok, limit=limit, offset=offset)
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    @app.get("/units/{unit_id}", response_model=UnitDetail, tags=["units"], responses={404: {}})
    def unit(unit_id: int, conn: Conn, ok: Auth) -> dict[str, Any]:
        """A unit with its aliases, linked units and counts."""
        u = queries.get_unit(conn, unit_id, include_hidden=ok)
        if u is None:
            raise HTTPException(404, f"no unit {unit_id}")
        return u

    @app.get("/units/{unit_id}/tasks", response_model=TaskPage, tags=["units"], responses={404: {}})
    def unit_tasks(
        unit_id: int, conn: Conn, f: Filter,
        limit: Annotated[int, Query(ge=1, le=1000)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        if conn.execute("SELECT 1 FROM units WHERE id = ?", (unit_id,)).fetchone() is None:
            raise HTTPException(404, f"no unit {unit_id}")
        f.unit_id = unit_id
        occurrences.refresh_daily(conn)
        items, total = queries.list_tasks(conn, f, limit=limit, offset=offset)
        return _json({"total": total, "limit": limit, "offset": offset, "as_of": f.as_of.isoformat(), "items": items})

    @app.get("/targets", response_model=TargetPage, tags=["targets"])
    def targets(
        conn: Conn, ok: Auth, document: int | None = None, unit: str | None = None, org: str | None = None,
        text: str | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        items, total = queries.list_targets(conn, document=document, unit=unit, org=org, q=text, include_hidden=ok, limit=limit, offset=offset)
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    @app.get("/references", response_model=ReferencePage, tags=["documents"])
    def references(
        conn: Conn, ok: Auth, document: int | None = None, code: str | None = None, relation: str | None = None,
        linked: Annotated[bool | None, Query(description="only references that do (or do not) resolve to an indexed document")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        items, total = queries.list_references(
            conn, document=document, code=code, relation=relation, linked=linked, include_hidden=ok, limit=limit, offset=offset
        )
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    @app.get("/search", response_model=SearchPage, tags=["search"])
    def search_text(
        conn: Conn, ok: Auth,
        q: Annotated[str, Query(min_length=1, description="words; tone marks and đ/d do not matter; all words must occur")],
        kind: Annotated[list[Literal["task", "target", "document"]] | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        """Full-text search over task, target and document text, best first, with highlighted snippets."""
        items = search.results(conn, q, kinds=kind, include_hidden=ok, limit=limit, offset=offset)
        return _json({"q": q, "limit": limit, "offset": offset, "items": items})

    # -- exports ---------------------------------------------------------------------------------------------

    @app.get(
        "/export/tasks.{fmt}", tags=["exports"],
        responses={200: {"content": {t: {} for t in exports.MEDIA_TYPES.values()}}, 404: {}},
    )
    def export_tasks(
        conn: Conn, f: Filter,
        fmt: Annotated[str, PathParam(description="csv, xlsx, docx, ics or json")],
    ) -> Response:
        """The tasks `GET /tasks` would list (same filters, no paging) as a file."""
        if fmt not in exports.FORMATS:
            raise HTTPException(404, f"unknown export format {fmt!r}: one of {', '.join(exports.FORMATS)}")
        occurrences.refresh_daily(conn)
        items, _ = queries.list_tasks(conn, f, limit=EXPORT_LIMIT, offset=0, count=False)
        data, media = exports.render(fmt, items, title=_export_title(f))
        return Response(content=data, media_type=media, headers={"Content-Disposition": f'attachment; filename="nhiem-vu.{fmt}"'})

    @app.get("/health", tags=["service"])
    def health(conn: Conn) -> dict[str, Any]:
        n = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        return {"status": "ok", "documents": n}

    @app.exception_handler(sqlite3.OperationalError)
    def _db_error(request: Request, exc: sqlite3.OperationalError) -> JSONResponse:
        return JSONResponse({"detail": f"database error: {exc}"}, status_code=503)

    return app


def _json(payload: Any) -> Response:
    """A JSON response built directly: the hot read endpoints skip a second validation of what the store returns."""
    return Response(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), media_type="application/json")


def _upload_out(result: ingest.IngestResult) -> dict[str, Any]:
    return {"id": result.id, "status": result.status, "message": _MESSAGES[result.status], "summary": result.summary}


def _export_title(f: queries.TaskFilter) -> str:
    parts = []
    if f.unit:
        parts.append(f"Đơn vị: {f.unit}")
    if f.org:
        parts.append(f"Tổ chức: {f.org}")
    if f.due_after or f.due_before:
        parts.append(f"Thời hạn: {f.due_after or '…'} – {f.due_before or '…'}")
    if f.overdue:
        parts.append(f"Quá hạn tính đến {f.as_of.strftime('%d/%m/%Y')}")
    return "; ".join(parts)
