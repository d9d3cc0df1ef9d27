#!/usr/bin/env python3
"""Derives the trimmed provider contracts the tests validate against.

The vendors' official API descriptions (kept unchanged in the team's shared/contracts folder,
which the tests cannot read) are cut down to the operations the gateway calls: structure only,
descriptions and examples dropped, every reference the operations need kept.

    python3 src/test/resources/contracts/derive.py ../shared/contracts

Sources (repository, path, commit):
  sendgrid-v3.oai.json: sendgrid/sendgrid-oai, oai.json, bef1536aeed2eb7b1ad4fde110a8ec65c583c4c5 (MIT)
  twilio_api_v2010.json: twilio/twilio-oai, spec/json/twilio_api_v2010.json, d50069b44ea8cd23141385bdb6db48f16ff75bb5 (MIT)
  vault-1.15.openapi.json: hashicorp/vault-client-go, openapi.json, a0f17ccb92501f7b7ad1bf5188b404383f08a45f (MPL-2.0)
  meilisearch-1.15.open-api.json: meilisearch/open-api, open-api.json, 0b0b0fdbb9d5821ec018a3db2777986a231eec37 (MIT)

Meilisearch's description is OpenAPI 3.1; the request validator reads 3.0, so the derived copy is
written as 3.0 (a type list with "null" becomes nullable, a oneOf with "null" gets a schema only null matches as a choice, const becomes a one-value enum, a tuple's
prefixItems becomes items of any of its types; propertyNames, which 3.0 cannot say and which here
only says that map keys are strings, is dropped).

Corrections to the Meilisearch description (see correct_meilisearch), where it contradicts the
server and Meilisearch's API reference and would fail every valid request:
  - SearchQuery lists the server's Rust field names in snake_case (show_ranking_score) and marks
    eleven of them required. The server reads camelCase names (showRankingScore; the response
    schemas of the same file use camelCase) and every search parameter is optional.
  - POST /indexes/{indexUid}/documents marks csvDelimiter required; it is optional and applies to
    CSV payloads only.
  - A task's DetailsView flattens the index settings (Settings_Unchecked) beside the task's own
    fields, as the server's serde does, yet the settings forbid additional properties, which no
    details object with a field such as deletedDocuments could meet: the prohibition is dropped.
  - Adding and deleting documents are said to answer 200; the server answers 202 Accepted with the
    enqueued task (SummarizedTaskView), as the API reference says.
"""
import json
import os
import sys

DROP = {"description", "example", "examples", "x-example", "summary", "tags", "externalDocs"}

CONTRACTS = {
    # output file: (source file, source note, [(path, method)])
    "sendgrid-mail-send.json": (
        "sendgrid-v3.oai.json",
        "sendgrid/sendgrid-oai oai.json @ bef1536aeed2eb7b1ad4fde110a8ec65c583c4c5 (MIT)",
        [("/mail/send", "post"), ("/scopes", "get")],
    ),
    "twilio-messages-create.json": (
        "twilio_api_v2010.json",
        "twilio/twilio-oai spec/json/twilio_api_v2010.json @ d50069b44ea8cd23141385bdb6db48f16ff75bb5 (MIT)",
        [("/2010-04-01/Accounts/{AccountSid}/Messages.json", "post"), ("/2010-04-01/Accounts/{Sid}.json", "get")],
    ),
    "vault-kv-v2-read.json": (
        "vault-1.15.openapi.json",
        "hashicorp/vault-client-go openapi.json @ a0f17ccb92501f7b7ad1bf5188b404383f08a45f (MPL-2.0)",
        [("/{kv_v2_mount_path}/data/{path}", "get")],
    ),
    "meilisearch-search.json": (
        "meilisearch-1.15.open-api.json",
        "meilisearch/open-api open-api.json @ 0b0b0fdbb9d5821ec018a3db2777986a231eec37 (MIT)",
        [("/indexes/{indexUid}/documents", "post"),
         ("/indexes/{indexUid}/documents/{documentId}", "get"),
         ("/indexes/{indexUid}/documents/{documentId}", "delete"),
         ("/indexes/{indexUid}/search", "post"),
         ("/tasks/{taskUid}", "get"),
         ("/indexes", "get")],
    ),
}

# Vault's description says every route is prefixed with /v1/ but declares no server: say so for the validator
BASE_PATHS = {"vault-kv-v2-read.json": "/v1"}


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in DROP}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def refs(node, found):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str) and v.startswith("#/"):
                found.add(v)
            else:
                refs(v, found)
    elif isinstance(node, list):
        for v in node:
            refs(v, found)


def lookup(spec, ref):
    node = spec
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def place(out, ref, value):
    parts = ref[2:].split("/")
    node = out
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def derive(spec, operations, note):
    out = {k: spec[k] for k in ("swagger", "openapi", "host", "basePath", "schemes", "consumes", "produces",
                                "servers", "securityDefinitions", "security") if k in spec}
    out["info"] = {"title": spec["info"]["title"], "version": spec["info"]["version"],
                   "x-derived-from": note}
    out["paths"] = {}
    for path, method in operations:
        operation = strip(spec["paths"][path][method])
        for response in operation.get("responses", {}).values():
            if isinstance(response, dict) and "$ref" not in response:
                response["description"] = ""  # required by Swagger 2 and OpenAPI 3
        item = out["paths"].setdefault(path, {})
        item[method] = operation
        for shared in ("servers", "parameters"):
            if shared in spec["paths"][path]:
                item[shared] = strip(spec["paths"][path][shared])
    pending, done = set(), set()
    refs(out["paths"], pending)
    while pending:
        ref = pending.pop()
        if ref in done:
            continue
        done.add(ref)
        value = strip(lookup(spec, ref))
        if ref.startswith("#/responses/") or ref.startswith("#/components/responses/"):
            value["description"] = ""
        place(out, ref, value)
        refs(value, pending)
    if "components" in spec and "securitySchemes" in spec["components"]:
        out.setdefault("components", {})["securitySchemes"] = strip(spec["components"]["securitySchemes"])
    return out


# OpenAPI 3.0 has no null type, and the parser drops null from an enum: null is what is none of the others
NULL_ONLY = {"not": {"anyOf": [{"type": t} for t in ("string", "number", "boolean", "object")] + [{"type": "array", "items": {}}]}}


def to_openapi_30(node):
    """OpenAPI 3.1 schema keywords the 3.0 validator does not know, rewritten to their 3.0 form."""
    if isinstance(node, dict):
        out = {k: to_openapi_30(v) for k, v in node.items() if k not in ("$schema", "contentMediaType", "propertyNames")}
        if "prefixItems" in out:
            tuple_items = out.pop("prefixItems")
            out["items"] = tuple_items[0] if len(tuple_items) == 1 else {"oneOf": tuple_items}
        kind = out.get("type")
        if isinstance(kind, list):
            others = [t for t in kind if t != "null"]
            if "null" in kind:
                out["nullable"] = True
            if len(others) == 1:
                out["type"] = others[0]
            else:
                del out["type"]
                out["oneOf"] = [{"type": t} for t in others]
        if "const" in out:
            out["enum"] = [out.pop("const")]
        for bound in ("exclusiveMinimum", "exclusiveMaximum"):
            if isinstance(out.get(bound), (int, float)) and not isinstance(out.get(bound), bool):
                out[bound.replace("exclusiveM", "m")] = out[bound]
                out[bound] = True
        if "oneOf" in out and any(isinstance(o, dict) and o.get("type") == "null" for o in out["oneOf"]):
            # nullable beside a oneOf is not read as "or null" by the validator: null is one more choice
            out["oneOf"] = [o for o in out["oneOf"] if not (isinstance(o, dict) and o.get("type") == "null")] + [NULL_ONLY]
            out.pop("nullable", None)
        return out
    if isinstance(node, list):
        return [to_openapi_30(v) for v in node]
    return node


def camel(name):
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def correct_meilisearch(derived):
    query = derived["components"]["schemas"]["SearchQuery"]
    query["properties"] = {camel(k): v for k, v in query["properties"].items()}
    query.pop("required", None)
    for parameter in derived["paths"]["/indexes/{indexUid}/documents"]["post"]["parameters"]:
        if parameter["name"] == "csvDelimiter":
            parameter["required"] = False
    derived["components"]["schemas"]["Settings_Unchecked"].pop("additionalProperties", None)
    for path, method in (("/indexes/{indexUid}/documents", "post"), ("/indexes/{indexUid}/documents/{documentId}", "delete")):
        responses = derived["paths"][path][method]["responses"]
        responses["202"] = responses.pop("200")


CORRECTIONS = {"meilisearch-search.json": correct_meilisearch}


def main():
    source_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "contracts")
    here = os.path.dirname(os.path.abspath(__file__))
    for target, (source, note, operations) in CONTRACTS.items():
        with open(os.path.join(source_dir, source), encoding="utf-8") as f:
            spec = json.load(f)
        derived = derive(spec, operations, note)
        if derived.get("openapi", "").startswith("3.1"):
            derived = to_openapi_30(derived)
            derived["openapi"] = "3.0.3"
        if target in CORRECTIONS:
            CORRECTIONS[target](derived)
        if target in BASE_PATHS:
            derived["info"]["x-base-path"] = BASE_PATHS[target]
        with open(os.path.join(here, target), "w", encoding="utf-8") as f:
            json.dump(derived, f, indent=1, sort_keys=True)
            f.write("\n")
        print("wrote", target)


if __name__ == "__main__":
    main()
