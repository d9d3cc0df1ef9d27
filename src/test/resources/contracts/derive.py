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
        [("/mail/send", "post")],
    ),
    "twilio-messages-create.json": (
        "twilio_api_v2010.json",
        "twilio/twilio-oai spec/json/twilio_api_v2010.json @ d50069b44ea8cd23141385bdb6db48f16ff75bb5 (MIT)",
        [("/2010-04-01/Accounts/{AccountSid}/Messages.json", "post")],
    ),
    "vault-kv-v2-read.json": (
        "vault-1.15.openapi.json",
        "hashicorp/vault-client-go openapi.json @ a0f17ccb92501f7b7ad1bf5188b404383f08a45f (MPL-2.0)",
        [("/{kv_v2_mount_path}/data/{path}", "get")],
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


def main():
    source_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "contracts")
    here = os.path.dirname(os.path.abspath(__file__))
    for target, (source, note, operations) in CONTRACTS.items():
        with open(os.path.join(source_dir, source), encoding="utf-8") as f:
            spec = json.load(f)
        derived = derive(spec, operations, note)
        if target in BASE_PATHS:
            derived["info"]["x-base-path"] = BASE_PATHS[target]
        with open(os.path.join(here, target), "w", encoding="utf-8") as f:
            json.dump(derived, f, indent=1, sort_keys=True)
            f.write("\n")
        print("wrote", target)


if __name__ == "__main__":
    main()
