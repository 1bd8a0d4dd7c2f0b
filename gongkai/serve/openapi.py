"""The API's OpenAPI 3.1 description (``/openapi.json``) and a plain docs page made from it
(``/docs``: no external script or stylesheet, so it works offline)."""

from __future__ import annotations

from html import escape
from typing import Any

from .. import __version__

_FILE_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary", "description": "the document"}},
                "required": ["file"],
            }
        },
        "application/octet-stream": {
            "schema": {
                "type": "string",
                "format": "binary",
                "description": "the document's bytes; name it with ?filename=",
            }
        },
    },
}
_FILES_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                "required": ["file"],
            },
            "encoding": {"file": {"style": "form", "explode": True}},
        }
    },
}
_ERROR = {"$ref": "#/components/schemas/Error"}
_ERRORS = {
    str(code): {"description": text, "content": {"application/json": {"schema": _ERROR}}}
    for code, text in (
        (400, "bad request (no file, a wrong parameter)"),
        (401, "missing or wrong API key (where the service has one)"),
        (408, "the upload stalled: no byte of it came for 60 s"),
        (413, "the upload is larger than --max-upload"),
        (415, "unsupported format"),
        (422, "corrupt, encrypted or unreadable input"),
        (500, "the worker converting it crashed, or an internal error"),
        (503, "too many conversions running and queued (see Retry-After)"),
        (504, "the conversion took longer than the per-request time limit"),
    )
}


def _param(name: str, values: list[str], default: str, text: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": text,
        "schema": {"type": "string", "enum": values, "default": default},
    }


_FILENAME = {
    "name": "filename",
    "in": "query",
    "required": False,
    "description": "the document's name when its bytes are the raw body (a hint for the format; recorded as source.name)",
    "schema": {"type": "string"},
}


def _post(summary: str, body: dict[str, Any], params: list[dict[str, Any]], ok: dict[str, Any]) -> dict[str, Any]:
    return {
        "post": {"summary": summary, "parameters": params, "requestBody": body, "responses": {"200": ok, **_ERRORS}}
    }


def schema() -> dict[str, Any]:
    """The OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "gongkai",
            "version": __version__,
            "description": "政府信息公开工作年度报告 (DOCX, DOC/WPS, PDF, HTML, text) to canonical Markdown and typed YAML, "
            "with the national format's arithmetic checks. Errors are JSON: {error: {kind, message, file}}.",
        },
        "paths": {
            "/v1/convert": _post(
                "Convert one document: the same bytes as `gongkai convert FILE --to FORMAT`; json is the canonical YAML's data",
                _FILE_BODY,
                [_param("to", ["yaml", "json", "md", "html", "docx"], "yaml", "output format"), _FILENAME],
                {
                    "description": "the converted document",
                    "content": {
                        "application/yaml": {},
                        "application/json": {"schema": {"$ref": "#/components/schemas/Document"}},
                        "text/markdown": {},
                        "text/html": {},
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {},
                    },
                },
            ),
            "/v1/check": _post(
                "The report's arithmetic checks (text: the bytes `gongkai check` prints); X-Gongkai-Check: pass or fail",
                _FILE_BODY,
                [_param("to", ["json", "text"], "json", "output format"), _FILENAME],
                {"description": "the checks", "content": {"application/json": {}, "text/plain": {}}},
            ),
            "/v1/audit": _post(
                "Audit findings of one or more reports (501 where this gongkai has no audit)",
                _FILES_BODY,
                [_param("to", ["json", "yaml", "md", "html"], "json", "output format")],
                {"description": "the gongkai-audit/1 result", "content": {"application/json": {}}},
            ),
            "/v1/compare": _post(
                "Year-on-year comparison of two or more reports: the same bytes as `gongkai compare FILES --to FORMAT`",
                _FILES_BODY,
                [_param("to", ["yaml", "json", "md", "html"], "yaml", "output format")],
                {
                    "description": "the gongkai-compare/1 result",
                    "content": {"application/yaml": {}, "application/json": {}},
                },
            ),
            "/v1/view": _post(
                "Everything the web page shows of one report: outputs, figures by table, checks",
                _FILE_BODY,
                [_FILENAME],
                {"description": "the page's data", "content": {"application/json": {}}},
            ),
            "/v1/health": {
                "get": {
                    "summary": "Whether the workers are alive, and how busy",
                    "responses": {
                        "200": {"description": "ok"},
                        "503": {"description": "shutting down, or its workers cannot be started"},
                    },
                }
            },
            "/v1/version": {
                "get": {
                    "summary": "gongkai's version and output format",
                    "responses": {"200": {"description": "versions"}},
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {
                        "error": {
                            "type": "object",
                            "properties": {
                                "kind": {
                                    "type": "string",
                                    "description": "UnsupportedFormat, CorruptInput, Timeout, WorkerDied, TooLarge, Busy, …",
                                },
                                "message": {"type": "string"},
                                "file": {"type": "string"},
                            },
                            "required": ["kind", "message"],
                        }
                    },
                    "required": ["error"],
                },
                "Document": {"type": "object", "description": "gongkai/1 canonical document (gongkai-1.schema.json)"},
            }
        },
    }


def docs_page() -> str:
    """A readable list of the endpoints, in Chinese and English, from :func:`schema`."""
    doc = schema()
    items = []
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            params = ", ".join(
                f"{p['name']}" + (f" ({' | '.join(p['schema']['enum'])})" if "enum" in p["schema"] else "")
                for p in op.get("parameters", [])
            )
            codes = ", ".join(op["responses"])
            items.append(
                f"<li><h2><code>{method.upper()} {escape(path)}</code></h2><p>{escape(op['summary'])}</p>"
                + (f"<p>参数：{escape(params)}</p>" if params else "")
                + f"<p>状态码：{escape(codes)}</p></li>"
            )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>gongkai 接口文档</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<link rel="stylesheet" href="/static/app.css"></head><body><main><h1>gongkai 接口文档</h1>'
        f"<p>{escape(doc['info']['description'])}</p>"
        '<p>机器可读的描述：<a href="/openapi.json">/openapi.json</a>（OpenAPI 3.1）。<a href="/">返回上传页面</a></p>'
        f'<ul class="endpoints">{"".join(items)}</ul></main></body></html>\n'
    )
