#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora under fuzz/corpus/<target>/ from the
project's test fixtures and pipelines (the corpora are not committed).

Run from anywhere: python3 fuzz/seed_corpora.py
Needs PyYAML (pip install pyyaml) and a built package (cargo run -- build).
"""

import hashlib
import json
import pathlib
import sys

import yaml

FUZZ = pathlib.Path(__file__).resolve().parent
ROOT = FUZZ.parent
CORPUS = FUZZ / "corpus"
BUILT = ROOT / "build" / "integrations" / "sailpoint_identity_sc"


def write(target, data):
    """Stores one seed, named by its hash so reruns do not duplicate."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def pipeline_files():
    """Every rendered pipeline definition of the project and its fixtures."""
    roots = [ROOT / "crates", ROOT / "tests", BUILT]
    for root in roots:
        for path in sorted(root.rglob("*.yml")):
            if "target" in path.parts or "schemas" in path.parts:
                continue
            if "ingest_pipeline" in path.parts or path.parent.name == "golden":
                yield path


def processors(node):
    """All processor bodies (type, options) in a loaded pipeline, nested ones included."""
    if isinstance(node, dict):
        for kind, options in node.items():
            if isinstance(options, dict):
                yield kind, options
            yield from processors(options)
    elif isinstance(node, list):
        for item in node:
            yield from processors(item)


def strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)


def main():
    pipelines = list(pipeline_files())
    for path in pipelines:
        text = path.read_text(encoding="utf-8")
        write("pipeline_loader", text)
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError:
            continue
        for kind, options in processors(doc):
            for key in ("source", "if"):
                if isinstance(options.get(key), str):
                    write("painless", options[key])
            if kind == "grok":
                for pattern in options.get("patterns") or []:
                    if isinstance(pattern, str):
                        write("grok_dissect", b"\x00" + pattern.encode() + b"\nsample text 1.2.3.4")
                        write("grok_dissect", b"\x01" + pattern.encode() + b"\nsample text 1.2.3.4")
            if kind == "dissect" and isinstance(options.get("pattern"), str):
                write("grok_dissect", b"\x02" + options["pattern"].encode() + b"\na b c")
        for s in strings(doc):
            if "{{" in s:
                write("mustache", b"\x00" + s.encode())
    painless = ROOT / "crates" / "isc_painless" / "tests"
    for path in sorted(painless.rglob("*.painless")):
        write("painless", path.read_bytes())
    for path in sorted(ROOT.glob("data_stream/*/_dev/test/pipeline/test-*.json")):
        if path.name.endswith("-expected.json"):
            continue
        for event in json.loads(path.read_text(encoding="utf-8")).get("events", []):
            message = event.get("message")
            write("events_pipeline", message if isinstance(message, str) else json.dumps(event))
    for path in sorted(ROOT.glob("data_stream/*/sample_event.json")):
        event = json.loads(path.read_text(encoding="utf-8"))
        original = event.get("event", {}).get("original")
        if isinstance(original, str):
            write("events_pipeline", original)
    for pattern in ["%{a} %{b}", "%{+a} %{+a/2} %{?skip} %{*k} %{&k}", "%{a->} [%{b}]"]:
        write("grok_dissect", b"\x02" + pattern.encode() + b"\none two three")
    for mode, folder in ((b"\x00", "legacy"), (b"\x01", "ecs-v1")):
        for path in sorted((ROOT / "crates" / "isc_grok" / "patterns" / folder).iterdir()):
            for line in path.read_text(encoding="utf-8").splitlines()[:12]:
                name, _, regex = line.partition(" ")
                if name and not name.startswith("#") and regex:
                    write("grok_dissect", mode + f"%{{{name}:field}}".encode() + b"\n" + regex.encode())
    for template in ["{{a}}", "{{#join}}tags{{/join}}", "{{#toJson}}nested{{/toJson}}",
                     "{{#url}}{{message}}{{/url}}", "{{^z}}none{{/z}}{{#tags}}{{.}},{{/tags}}",
                     "{{{message}}} {{&nested.s}} {{nested.list.0.x}} {{tags.size}}"]:
        for selector in b"\x00\x01\x02":
            write("mustache", bytes([selector]) + template.encode())
    for target in sorted(p.name for p in CORPUS.iterdir()):
        print(f"{target}: {len(list((CORPUS / target).iterdir()))} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
