#!/usr/bin/env python3
"""Holds the running service's real API responses against docs/openapi.json.

Usage: check-openapi.py BASE_URL [TOKEN]
Validates the document itself (OpenAPI 3.1), then fetches list and detail responses
(and, with a token, creates and updates a posting and provokes a 422) and validates
each body against the schema the document promises for that status.
"""
import json
import sys
import urllib.error
import urllib.request

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

base = sys.argv[1].rstrip("/")
token = sys.argv[2] if len(sys.argv) > 2 else None


def call(method, path, body=None):
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


with urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=10) as response:
    spec = json.loads(response.read())
validate_spec(spec)
registry = Registry().with_resource("urn:doorstroom", Resource.from_contents(spec, default_specification=DRAFT202012))


def schema_for(path, method, status):
    operation = spec["paths"][path][method]
    answer = operation["responses"][str(status)]
    if "$ref" in answer:
        answer = spec["components"]["responses"][answer["$ref"].split("/")[-1]]
    schema = answer["content"]["application/json"]["schema"]
    # References inside the document resolve against it, wherever the schema sits.
    return json.loads(json.dumps(schema).replace('"$ref": "#/', '"$ref": "urn:doorstroom#/'))


checked = 0


def check(path_template, method, status, body):
    global checked
    if str(status) not in spec["paths"][path_template][method]["responses"]:
        raise SystemExit(f"{method.upper()} {path_template} answered {status}, which the document does not promise")
    Draft202012Validator(schema_for(path_template, method, status), registry=registry).validate(body)
    checked += 1


status, listing = call("GET", "/api/v1/postings")
check("/api/v1/postings", "get", status, listing)
for query in ["?kind=internship", "?q=jeugdhulp&sort=newest", "?page=2", "?duo=true&hours_min=30"]:
    status, body = call("GET", "/api/v1/postings" + query)
    check("/api/v1/postings", "get", status, body)
for item in listing["items"][:5]:
    status, body = call("GET", "/api/v1/postings/" + item["id"])
    check("/api/v1/postings/{id}", "get", status, body)
status, body = call("GET", "/api/v1/postings/00000000-0000-0000-0000-000000000000")
check("/api/v1/postings/{id}", "get", status, body)

if token:
    status, body = call("POST", "/api/v1/postings", {"kind": "vacancy", "title": "x", "municipality": "nergens", "description": ""})
    assert status == 422, status
    check("/api/v1/postings", "post", status, body)
    new = {"kind": "shadow_day", "title": "Meeloopdag via de API", "municipality": "amsterdam", "area": "noord",
           "places": 4, "description": "Een dag meelopen.", "status": "published"}
    status, body = call("POST", "/api/v1/postings", new)
    assert status == 201, (status, body)
    check("/api/v1/postings", "post", status, body)
    new["title"] = "Meeloopdag via de API (gewijzigd)"
    status, body = call("PUT", "/api/v1/postings/" + body["id"], new)
    assert status == 200, (status, body)
    check("/api/v1/postings/{id}", "put", status, body)
    # The monitor: every table, for the region and per quarter.
    status, index = call("GET", "/api/v1/monitor")
    assert status == 200, status
    check("/api/v1/monitor", "get", status, index)
    for table in index["tables"]:
        for query in ("", "?step=quarter&from=2025-01"):
            status, body = call("GET", table["url"] + query)
            assert status == 200, (table, status, body)
            check("/api/v1/monitor/{table}", "get", status, body)

print(f"openapi: ok ({checked} real responses match docs/openapi.json)")
