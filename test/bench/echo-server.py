"""A stand-in reference for test/bench/interleave.test.ts: `echo-server.py serve` answers each
JSON line with the request's `value` doubled, or an error when asked, like bench/reference/*.py."""
import json
import sys

if sys.argv[1:] == ["serve"]:
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("fail"):
            print(json.dumps({"error": "asked to fail"}), flush=True)
        elif request.get("exit"):
            sys.exit(3)
        else:
            print(json.dumps({"value": request["value"] * 2}), flush=True)
