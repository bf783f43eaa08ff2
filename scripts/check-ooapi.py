#!/usr/bin/env python3
"""Holds the running service's /ooapi/v5 answers against the official OOAPI v5 spec.

Usage: check-ooapi.py BASE_URL [TOKEN]

The spec is Tests/standards/ooapi-v5/ooapi.json, as SURF publishes it (release/5.0,
licence in the same folder). It validates the document itself (OpenAPI 3.0; its one
known flaw is reported, not held against the service), then
every answer the service gives: the service object, every page of courses, every
course and its offerings, the spec's query parameters (each filter checked on what
it returns) and its errors (problem+json for 400 and 404). With a token of an
organisation it imports the spec's own example Course and CourseOffering (built
from the spec's property examples, as its documentation shows them) and reads them
back equal.
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC_FILE = os.path.join(HERE, "..", "Tests", "standards", "ooapi-v5", "ooapi.json")

base = sys.argv[1].rstrip("/") + "/ooapi/v5"
token = sys.argv[2] if len(sys.argv) > 2 else None
spec = json.load(open(SPEC_FILE))
# The document has a known flaw of its own (the example of an education specification's
# `sort` is an array inside an array): reported, not held against the service.
try:
    validate_spec(spec)
except Exception as error:  # noqa: BLE001
    print("note: the official document itself does not validate:", str(error).splitlines()[0], file=sys.stderr)
# OpenAPI 3.0 schemas are JSON Schema draft 4 with OpenAPI's additions (OAS30Validator).
registry = Registry().with_resource("urn:ooapi", Resource.from_contents(spec, default_specification=DRAFT4))
failures = []
checked = 0


def fail(message):
    failures.append(message)
    print("FAIL", message, file=sys.stderr)


def resolve(node):
    while isinstance(node, dict) and "$ref" in node:
        parts = node["$ref"].lstrip("#/").split("/")
        node = spec
        for part in parts:
            node = node[part]
    return node


def get(path, headers=None):
    request = urllib.request.Request(base + path, headers={"Accept": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def schema_for(template, status, content_type):
    operation = spec["paths"][template]["get"]
    answer = resolve(operation["responses"][str(status)])
    media = answer["content"].get(content_type)
    if media is None:
        fail(f"{template} {status}: the spec has no {content_type} answer (it has {list(answer['content'])})")
        return None
    return json.loads(json.dumps(media["schema"]).replace('"$ref": "#/', '"$ref": "urn:ooapi#/'))


def check(template, path, expect_status=200):
    """Fetches path, checks its status and validates its body against the spec."""
    global checked
    status, headers, body = get(path)
    if status != expect_status:
        fail(f"GET {path}: {status}, expected {expect_status}: {body[:300]!r}")
        return None
    content_type = (headers.get("Content-Type") or "").split(";")[0].strip()
    expected_type = "application/json" if status == 200 else "application/problem+json"
    if content_type != expected_type:
        fail(f"GET {path}: Content-Type {content_type}, expected {expected_type}")
    document = json.loads(body)
    schema = schema_for(template, status, expected_type)
    if schema is not None:
        validator = OAS30Validator(schema, registry=registry)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        for error in errors[:5]:
            fail(f"GET {path}: {'/'.join(map(str, error.absolute_path))}: {error.message[:300]}")
    checked += 1
    return document


def pages(template, path):
    """Every page of a collection; returns all items."""
    items, number = [], 1
    while True:
        joiner = "&" if "?" in path else "?"
        page = check(template, f"{path}{joiner}pageSize=250&pageNumber={number}")
        if page is None:
            return items
        items += page["items"]
        if not page["hasNextPage"]:
            return items
        number += 1


# The service object.
check("/", "")

# Every course, every course on its own, every offering (also past ones).
courses = pages("/courses", "/courses")
if not courses:
    fail("/courses returned no course: nothing to check")
for course in courses[:60]:
    one = check("/courses/{courseId}", f"/courses/{course['courseId']}")
    if one is not None and one != course:
        fail(f"/courses/{course['courseId']} differs from its item in /courses")
    pages("/courses/{courseId}/offerings", f"/courses/{course['courseId']}/offerings?since=2000-01-01")

# The filters, each held to what it returns.
if courses:
    sample = courses[len(courses) // 2]
    code = sample["primaryCode"]["code"]
    found = check("/courses", "/courses?primaryCode=" + urllib.parse.quote(code))
    if found is not None and [c["primaryCode"]["code"] for c in found["items"]] != [code]:
        fail(f"primaryCode={code} returned {[c['primaryCode']['code'] for c in found['items']]}")
    for mode in ["online", "on campus", "distance-learning", "hybrid"]:
        found = check("/courses", "/courses?pageSize=250&modeOfDelivery=" + urllib.parse.quote(mode))
        if found is not None and any(mode not in c["modeOfDelivery"] for c in found["items"]):
            fail(f"modeOfDelivery={mode} returned a course without it")
    word = sample["name"][0]["value"].split()[0].lower()
    found = check("/courses", "/courses?pageSize=250&q=" + urllib.parse.quote(word))
    if found is not None:
        if not found["items"]:
            fail(f"q={word} found nothing, though {code} has it in its name")
        for c in found["items"]:
            text = " ".join([v["value"] for v in c["name"] + c["description"]] + [c["abbreviation"]]).lower()
            if word not in text:
                fail(f"q={word} returned {c['primaryCode']['code']}, which does not contain it")
    names = [c["name"][0]["value"] for c in pages("/courses", "/courses?sort=-name")]
    if len(names) == len(courses) and names != sorted(names, reverse=True, key=lambda n: n):
        # PostgreSQL sorts by the collation; compare case-insensitively as a check of the direction.
        lowered = [n.lower() for n in names]
        if lowered[0] < lowered[-1]:
            fail("sort=-name is not descending")
    found = check("/courses", "/courses?teachingLanguage=nld&pageSize=250")
    if found is not None and any(c["teachingLanguage"] != "nld" for c in found["items"]):
        fail("teachingLanguage=nld returned another language")
    # Offerings: by default only those that start today or later.
    import datetime
    today = datetime.date.today().isoformat()
    for course in courses[:20]:
        default = check("/courses/{courseId}/offerings", f"/courses/{course['courseId']}/offerings?pageSize=250")
        if default is not None and any(o["startDate"] < today for o in default["items"]):
            fail(f"offerings of {course['courseId']} without since include one that started before today")

# Errors as the spec says.
for bad in ["/courses?pageSize=7", "/courses?pageNumber=0", "/courses?pageNumber=x", "/courses?sort=price",
            "/courses?modeOfDelivery=telepathy", "/courses?teachingLanguage=nl-NL"]:
    check("/courses", bad, expect_status=400)
check("/courses/{courseId}", "/courses/00000000-0000-4000-8000-000000000000", expect_status=404)
if courses:
    check("/courses/{courseId}/offerings", f"/courses/{courses[0]['courseId']}/offerings?since=morgen", expect_status=400)


# The spec's own example Course and CourseOffering, imported and read back.
def example(schema, depth=0):
    if "example" in schema:  # an example next to a $ref is the property's own
        return schema["example"]
    schema = resolve(schema)
    if "example" in schema:
        return schema["example"]
    if depth > 4:
        return None
    if "allOf" in schema:
        out = {}
        for part in schema["allOf"]:
            value = example(part, depth + 1)
            if isinstance(value, dict):
                out.update(value)
        return out
    if "enum" in schema:
        return schema["enum"][0]
    if schema.get("type") == "array" and "items" in schema:
        item = example(schema["items"], depth + 1)
        return None if item is None else [item]
    if "properties" in schema:
        out = {}
        for name, prop in schema["properties"].items():
            if "oneOf" in resolve(prop) or name == "ext":
                continue  # expandable references
            value = example(prop, depth + 1)
            if value is not None:
                out[name] = value
        return out
    return None


if token:
    components = spec["components"]["schemas"]
    course = example(components["Course"])
    offering = example(components["CourseOffering"])
    course["primaryCode"] = {"codeType": "identifier", "code": "OOAPI-EXAMPLE"}
    offering["course"] = "OOAPI-EXAMPLE"
    for key in ["offeringId", "courseId"]:
        course.pop(key, None)
        offering.pop(key, None)
    slug = os.environ.get("OOAPI_CHECK_ORGANISATION", "altra")
    catalogue_url = sys.argv[1].rstrip("/") + f"/api/v1/organisations/{slug}/catalogue"
    # What the organisation has (with every offering, also past ones), so that the
    # check imports it alongside the example and puts it back afterwards.
    mine = [c for c in courses if c.get("ext", {}).get("provider") == slug]
    mine_offerings = []
    for c in mine:
        mine_offerings += pages("/courses/{courseId}/offerings", f"/courses/{c['courseId']}/offerings?since=1900-01-01")

    def put(document, allow=True):
        request = urllib.request.Request(
            catalogue_url + ("?allow_withdraw=true" if allow else ""), data=json.dumps(document).encode(), method="PUT",
            headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    status, report = put({"courses": mine + [course], "offerings": mine_offerings + [offering]})
    if status != 200 or report.get("rejected"):
        fail(f"the spec's example was not imported cleanly: {status} {json.dumps(report)[:600]}")
    elif report["courses"]["inserted"] != 1 or report["courses"]["updated"] != 0 or report["offerings"]["updated"] != 0:
        fail(f"the catalogue read back did not import unchanged: {report['courses']} {report['offerings']}")
    else:
        found = check("/courses", "/courses?primaryCode=OOAPI-EXAMPLE")
        back = found["items"][0] if found and found["items"] else None
        if back is None:
            fail("the spec's example course does not read back")
        else:
            for key in ["name", "abbreviation", "description", "teachingLanguage", "level", "modeOfDelivery", "duration", "studyLoad", "link",
                        "primaryCode"]:
                if key in course and back.get(key) != course[key]:
                    fail(f"example course {key}: sent {course[key]!r}, read back {back.get(key)!r}")
            listed = check("/courses/{courseId}/offerings", f"/courses/{back['courseId']}/offerings?since=2000-01-01")
            got = listed["items"][0] if listed and listed["items"] else None
            if got is None:
                fail("the spec's example offering does not read back")
            else:
                for key in ["primaryCode", "name", "description", "teachingLanguage", "startDate", "endDate", "enrollStartDate", "enrollEndDate",
                            "maxNumberStudents", "addresses", "priceInformation", "link"]:
                    if key in offering and got.get(key) != offering[key]:
                        fail(f"example offering {key}: sent {offering[key]!r}, read back {got.get(key)!r}")
                if got.get("course") != back["courseId"]:
                    fail("the example offering does not name its course by courseId")
        # The catalogue as it was: only the example goes.
        status, report = put({"courses": mine, "offerings": mine_offerings})
        if status != 200 or report["courses"]["withdrawn"] != 1 or report["courses"]["updated"] != 0:
            fail(f"putting the catalogue back: {status} {json.dumps(report)[:600]}")

print(f"OOAPI v5: {checked} answers checked against the official spec, {len(failures)} failures")
sys.exit(1 if failures else 0)
