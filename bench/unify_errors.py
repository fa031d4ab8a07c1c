"""Rewrites a spec so that progenitor can generate it: every non-2xx response of every
operation gets the same JSON body schema (progenitor panics when an operation's error responses
have different schemas). Used by bench/compare.sh on a temporary copy; never on our own spec.

usage: python unify_errors.py IN.yaml OUT.json
"""

import json
import sys

import yaml

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
ERROR = {
    "type": "object",
    "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
}


def main(src, dst):
    with open(src, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    spec.setdefault("components", {}).setdefault("schemas", {})["BenchUnifiedError"] = ERROR
    unified = 0
    for item in spec.get("paths", {}).values():
        for method, op in item.items():
            if method not in METHODS or not isinstance(op, dict):
                continue
            for status, response in list(op.get("responses", {}).items()):
                if str(status).startswith("2"):
                    continue
                op["responses"][status] = {
                    "description": "error",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/BenchUnifiedError"}
                        }
                    },
                }
                unified += 1
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(spec, f)
    print(f"{unified} error responses unified", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
