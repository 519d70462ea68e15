#!/usr/bin/env python3
"""The JSON contract (docs/schema/README.md): every command's --json output, on inputs that reach
each of its forms, validates against its schema in docs/schema/; so do the committed
certificates, cut witnesses, the proof bundle's manifest and evidence, the theorem files and the
family files (TOML, as tomllib reads them). Documents with one deliberate fault each (a wrong
type, a missing or unknown key, an old schema_version) are rejected, so the schemas are not
vacuous. Needs python3-jsonschema (Debian 12: 4.10; newer versions work too).

usage: test_json_schemas.py --seprank BIN --source-dir DIR
"""
import argparse
import copy
import json
import pathlib
import subprocess
import sys
import tempfile
import tomllib

try:
    import jsonschema
except ImportError:
    sys.exit("test_json_schemas.py needs jsonschema (Debian: apt-get install python3-jsonschema)")

failures = []


def fail(what):
    failures.append(what)
    print("FAIL:", what)


class Schemas:
    """The schemas of docs/schema/, each resolving the others' urn:seprank:schema:NAME ids."""

    def __init__(self, directory):
        self.by_name = {}
        for path in sorted(directory.glob("*.schema.json")):
            schema = json.loads(path.read_text())
            jsonschema.Draft202012Validator.check_schema(schema)
            self.by_name[path.name[: -len(".schema.json")]] = schema
        try:  # jsonschema >= 4.18
            from referencing import Registry, Resource
            registry = Registry().with_resources(
                (s["$id"], Resource.from_contents(s)) for s in self.by_name.values())
            self.make = lambda s: jsonschema.Draft202012Validator(s, registry=registry)
        except ImportError:  # Debian 12's 4.10
            store = {s["$id"]: s for s in self.by_name.values()}
            self.make = lambda s: jsonschema.Draft202012Validator(
                s, resolver=jsonschema.RefResolver.from_schema(s, store=store))
        self.validators = {name: self.make(s) for name, s in self.by_name.items()}

    def errors(self, name, document):
        return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
                for e in self.validators[name].iter_errors(document)]


def expect_valid(schemas, name, document, what):
    errors = schemas.errors(name, document)
    if errors:
        fail(f"{what} does not validate against {name}.schema.json: {errors[:3]}")
    return not errors


def expect_invalid(schemas, name, document, what):
    if not schemas.errors(name, document):
        fail(f"{name}.schema.json accepts {what}")


def run(seprank, *arguments, expect=0):
    r = subprocess.run([seprank, *arguments], capture_output=True, text=True)
    if r.returncode != expect:
        fail(f"seprank {' '.join(arguments)}: exit {r.returncode}, expected {expect}: {r.stderr.strip()[-300:]}")
    return r.stdout


def json_of(seprank, *arguments, expect=0):
    return json.loads(run(seprank, *arguments, expect=expect))


# 24 overlapping layers unroll into more than 10^6 tensor-network nodes: no upper bound (null).
NO_BOUND = ["--input", "25", "--layers", "(2/1/2)^{23},2/1/1", "--vary", "indices:11,12,13,14", "--fixed-templates", "0"]
RANKS = [  # a settled 1D rank; over Q; a --vary submatrix; pooling and --timings; 2D odd-even; no bound
    ["--input", "8", "--layers", "3/1/2,6/1/1"],
    ["--input", "8", "--layers", "3/1/2,6/1/1", "--field", "Q"],
    ["--input", "5x5", "--layers", "3/1/2,3/1/1", "--vary", "auto", "--fixed-templates", "0"],
    ["--input", "8", "--layers", "pool2/2,4/1/3", "--timings"],
    ["--input", "4x4", "--layers", "3/1/2,2/1/1", "--partition", "odd-even", "--prime", "fast"],
    NO_BOUND + ["--prime", "fast"],
]
BOUNDS = [["--input", "8", "--layers", "3/1/2,6/1/1"], ["--input", "4x4", "--layers", "2/2/4,2/2/1", "--partition", "odd-even"],
          ["--input", "6", "--templates", "3", "--layers", "6/1/5", "--partition", "mask:101100"],
          ["--input", "8", "--layers", "pool2/2,4/1/3", "--sharing", "local"]]
COMPARES = [["--input", "8", "--layers", "3/1/2,6/1/1"], ["--input", "8", "--layers", "3/1/2,6/1/1", "--weights", "gaussian"],
            # gaussian weights through ten layers overflow doubles: FLOAT FAILS, the float fields null
            ["--input", "10", "--layers", ",".join(["2/1/3"] * 9 + ["1/1/1"]), "--weights", "gaussian"],
            ["--input", "5x5", "--layers", "3/1/2,3/1/1", "--vary", "auto", "--fixed-templates", "0"], NO_BOUND]


def check_commands(schemas, seprank, source, work):
    proofs, data = source / "proofs", source / "tests" / "data"
    outputs = {}
    for args in RANKS:
        outputs.setdefault("rank", []).append((args, json_of(seprank, "rank", *args, "--json")))
    for args in BOUNDS:
        outputs.setdefault("bound", []).append((args, json_of(seprank, "bound", *args, "--json")))
    for k, args in enumerate(RANKS[:3]):
        out = work / f"c{k}.json"
        outputs.setdefault("certify", []).append((args, json_of(seprank, "certify", *args, "-o", str(out), "--json")))
        expect_valid(schemas, "certificate", json.loads(out.read_text()), f"the certificate of certify {args}")
    # --network: the rank at the weights a certificate records, mod p and over Q
    for extra in ([], ["--field", "Q"]):
        args = ["--network", str(work / "c0.json"), *extra]
        outputs["rank"].append((args, json_of(seprank, "rank", *args, "--json")))
    # --structured: C4's strip at H = 6 (docs/structured-certificate.md), rank 2^8.
    H, out = 6, work / "structured.json"
    strip = ["--input", f"{H}x{H}", "--layers", "3/1/2,2/2/2,2/1/2", "--vary",
             "mask:" + ("0" + "1111" + "0") * (H - 2) + "0" * (2 * H), "--prime", "fast"]
    outputs["certify"].append((["--structured", *strip], json_of(seprank, "certify", "--structured", *strip, "-o", str(out), "--json")))
    expect_valid(schemas, "structured-certificate", json.loads(out.read_text()), "the certificate of certify --structured")
    outputs["structured-certificate"] = json.loads(out.read_text())
    for args in COMPARES:
        outputs.setdefault("compare", []).append((args, json_of(seprank, "compare", *args, "--json")))
    verifies = [  # TRIVIAL (A1), N/A (C4, D1), float data, timings, REFUTED and UNCONFIRMED (exit 1)
        ([str(proofs / "A1.toml"), str(proofs / "C4.toml"), str(proofs / "D1.toml")], 0),
        ([str(proofs / "C3.toml"), "--compare-float", "--timings"], 0),
        ([str(data / "false-upper.toml"), str(data / "unconfirmed-symmetric.toml"), str(data / "bundle-trivial.toml")], 1),
    ]
    for args, code in verifies:
        outputs.setdefault("verify", []).append((args, json_of(seprank, "verify", *args, "--json", expect=code)))
    # Shards carry the shard keys; merge joins them into the whole run's document.
    shards = []
    for i in (1, 2):
        path = work / f"shard{i}.json"
        run(seprank, "verify", str(proofs / "C4.toml"), str(proofs / "D1.toml"), "--shard", f"{i}/2", "--json", "-o", str(path))
        shards.append(str(path))
        outputs["verify"].append(([f"--shard {i}/2"], json.loads(path.read_text())))
    merged = json_of(seprank, "merge", *shards)
    outputs["merge"] = [(["verify shards"], merged)]
    whole = json_of(seprank, "verify", str(proofs / "C4.toml"), str(proofs / "D1.toml"), "--json")
    if merged != whole:
        fail("merge of two verify shards is not the whole run's document")
    expect_invalid(schemas, "merge", json.loads(pathlib.Path(shards[0]).read_text()), "a shard (merge writes whole runs)")
    # Sweep lines, whole and merged from shards.
    family = str(data / "sweep" / "tiny.toml")
    lines = run(seprank, "sweep", family, "-o", "-").splitlines()
    parts = []
    for i in (1, 2, 3):
        path = work / f"sweep{i}.jsonl"
        run(seprank, "sweep", family, "--shard", f"{i}/3", "-o", str(path))
        parts.append(str(path))
    merged_lines = run(seprank, "merge", *parts).splitlines()
    if merged_lines != lines:
        fail("merge of three sweep shards is not the whole sweep")
    outputs["sweep-line"] = [([f"line {k}"], json.loads(line)) for k, line in enumerate(lines)]

    structured = outputs.pop("structured-certificate")
    for name, documents in outputs.items():
        for args, document in documents:
            expect_valid(schemas, name, document, f"{name} {' '.join(args)}")
    statuses = {c["status"] for _, d in outputs["verify"] for t in d["theorems"] for i in t["instances"] for c in i["claims"]}
    if not {"PROVEN", "TRIVIAL", "N/A", "REFUTED", "UNCONFIRMED"} <= statuses:
        fail(f"the verify outputs reach only the statuses {sorted(statuses)}")
    for name in ("rank", "compare"):  # the inputs reach both forms of upper_bound
        if {type(d["upper_bound"]) for _, d in outputs[name]} != {str, type(None)}:
            fail(f"the {name} outputs do not include both a bound (a string) and none (null)")
    print(f"{sum(map(len, outputs.values()))} command outputs validated: " +
          ", ".join(f"{len(v)} {k}" for k, v in outputs.items()))
    outputs["structured-certificate"] = structured
    return outputs


def check_files(schemas, source):
    count = 0
    for folder, name in (("proofs/certificates", "certificate"), ("proofs/witnesses", "cut-witness")):
        for path in sorted((source / folder).glob("*.json")):
            document = json.loads(path.read_text())
            # proofs/certificates holds a structured certificate too (structured-c4-2d-6x6.json).
            if document.get("format") == "seprank-structured-certificate":
                count += expect_valid(schemas, "structured-certificate", document, str(path.relative_to(source)))
                continue
            count += expect_valid(schemas, name, document, str(path.relative_to(source)))
    bundle = source / "proofs" / "bundle"
    count += expect_valid(schemas, "bundle-manifest", json.loads((bundle / "manifest.json").read_text()), "proofs/bundle/manifest.json")
    for path in sorted((bundle / "evidence").rglob("*.json")):
        document = json.loads(path.read_text())
        name = ("cut-witness" if not path.name.endswith("-certificate.json")
                else "structured-certificate" if document.get("format") == "seprank-structured-certificate"
                else "certificate")
        count += expect_valid(schemas, name, document, str(path.relative_to(source)))
    for path in sorted((source / "proofs").glob("*.toml")) + [source / "tests/data/bundle-sample.toml"]:
        count += expect_valid(schemas, "theorem", tomllib.loads(path.read_text()), str(path.relative_to(source)))
    for path in [source / "catalogue/families/default.toml", source / "tests/data/sweep/tiny.toml"]:
        count += expect_valid(schemas, "family", tomllib.loads(path.read_text()), str(path.relative_to(source)))
    print(f"{count} committed files validated")


def mutant(document, edit):
    d = copy.deepcopy(document)
    edit(d)
    return d


def first_claim(d, status=None):
    for t in d["theorems"]:
        for i in t["instances"]:
            for c in i["claims"]:
                if status is None or c["status"] == status:
                    return c
    raise AssertionError(f"no claim {status}")


def check_rejections(schemas, outputs, source):
    rank = outputs["rank"][0][1]
    given = next(d for args, d in outputs["rank"] if "--network" in args)
    verify = outputs["verify"][0][1]
    bad = [  # (schema, document, what): each must be rejected
        ("rank", mutant(rank, lambda d: d.update(upper_bound=4)), "rank's upper_bound as a number"),
        ("rank", mutant(rank, lambda d: d.update(schema_version=1)), "rank of schema_version 1"),
        ("rank", mutant(rank, lambda d: d.pop("seprank_version")), "rank without seprank_version"),
        ("rank", mutant(rank, lambda d: d.update(extra=1)), "rank with an unknown key"),
        ("rank", mutant(rank, lambda d: d.update(weights="file", network_file="n.json")),
         "drawn weights (a seed, settled) marked as given"),
        ("rank", mutant(given, lambda d: d.update(settled=True)), "a rank at given weights claiming the generic rank"),
        ("rank", mutant(rank, lambda d: d.pop("prime")), "rank mod p without its prime"),
        ("rank", mutant(rank, lambda d: d.update(upper_bound=None)), "a null upper_bound without its reason"),
        ("rank", mutant(rank, lambda d: d.update(rank="4")), "rank's rank as a string"),
        ("bound", mutant(outputs["bound"][0][1], lambda d: d.update(cut_product=4)), "bound's cut_product as a number"),
        ("certify", mutant(outputs["certify"][0][1], lambda d: d.update(determinant=0)), "a zero determinant"),
        ("compare", mutant(outputs["compare"][0][1], lambda d: d.update(float_rank="4")), "compare's float_rank as a string"),
        ("verify", mutant(verify, lambda d: d["theorems"][0]["instances"][0].update(parameters="N=2 M=2")),
         "verify's parameters as one string (schema 2)"),
        ("verify", mutant(verify, lambda d: first_claim(d, "TRIVIAL").update(claimed_upper="")),
         "an absent bound as \"\" (schema 2)"),
        ("verify", mutant(verify, lambda d: first_claim(d, "PROVEN").update(min_cut=4)), "a min-cut as a number"),
        ("verify", mutant(verify, lambda d: first_claim(d, "PROVEN").update(status="OK")), "an unknown status"),
        ("verify", mutant(verify, lambda d: d.update(schema_version=2)), "verify of schema_version 2"),
        ("verify", mutant(verify, lambda d: d["theorems"][0].update(first_index=0)), "a whole run with a shard key"),
        ("sweep-line", mutant(outputs["sweep-line"][0][1], lambda d: d.update(min_cut=1)), "a sweep line's min_cut as a number"),
    ]
    certificate = json.loads((source / "proofs/certificates/c2-1d-window3.json").read_text())
    bad.append(("certificate", mutant(certificate, lambda d: d["network"].update(bias=[0])), "a key network does not have"))
    bad.append(("certificate", mutant(certificate, lambda d: d["claim"].update(rank_at_least="4")), "rank_at_least as a string"))
    structured = outputs["structured-certificate"]
    bad.append(("structured-certificate", mutant(structured, lambda d: d.update(factors=[])), "a structured certificate without factors"))
    bad.append(("structured-certificate", mutant(structured, lambda d: d["partition"].pop("vary")), "a structured certificate without vary"))
    bad.append(("certify", mutant(outputs["certify"][-1][1], lambda d: d.update(kind="dense")), "a structured summary called dense"))
    witness = json.loads((source / "proofs/witnesses/1d-overlap-inputs.json").read_text())
    bad.append(("cut-witness", mutant(witness, lambda d: d["claim"].update(rank_at_most=4)), "rank_at_most as a number"))
    bad.append(("cut-witness", mutant(witness, lambda d: d["cut"].append({"input": 0, "unit": []})), "a cut item with two keys"))
    manifest = json.loads((source / "proofs/bundle/manifest.json").read_text())
    bad.append(("bundle-manifest", mutant(manifest, lambda d: d["theorems"][0]["entries"][1].update(certified_rank=4)),
                "a bundle's certified_rank as a number"))
    theorem = tomllib.loads((source / "proofs/C2.toml").read_text())
    bad.append(("theorem", mutant(theorem, lambda d: d["claim"][0].update(hypothesis=["M > 1"])), "a misspelled hypotheses"))
    for schema, document, what in bad:
        expect_invalid(schemas, schema, document, what)
    print(f"{len(bad)} faulty documents, each rejected unless a FAIL line says otherwise")


def main():
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument("--seprank", required=True)
    a.add_argument("--source-dir", required=True, type=pathlib.Path)
    args = a.parse_args()
    schemas = Schemas(args.source_dir / "docs" / "schema")
    with tempfile.TemporaryDirectory() as work:
        outputs = check_commands(schemas, args.seprank, args.source_dir, pathlib.Path(work))
    check_files(schemas, args.source_dir)
    check_rejections(schemas, outputs, args.source_dir)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
