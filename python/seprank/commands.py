"""The seprank commands as functions: each runs `seprank <command> ... --json` and returns the
parsed JSON object (a dict). The JSON writes the min-cut bounds as decimal strings
(docs/schema/README.md); rank, bound and compare return them as Python ints (exact, whatever
their size). verify returns its report as the JSON has it.

Options are named like the command-line flags with "_" for "-": fixed_templates="0" is
--fixed-templates=0. A value is passed with str() (so 8, "8" and pathlib paths all work); True
passes the bare flag (timings=True is --timings); None and False leave the option out (seprank's
default applies). Here a name is only checked for its form (lower-case words joined by "_"; json,
help and version are taken): seprank refuses an unknown option with exit 64 (seprank.UsageError). A non-zero exit raises seprank.SeprankError (seprank.errors).
"""
import json
import os
import re
import subprocess

from .errors import SeprankError, error_for
from .locate import find_binary

ERROR_PREFIX = "seprank: error: "
OPTION_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
RESERVED = {"json": "--json is always passed", "help": "not for a run",
            "version": "use seprank.binary_version()"}


def option_arguments(options):
    """Command-line arguments for keyword options: {"fixed_templates": 0, "timings": True,
    "prime": None} -> ["--fixed-templates=0", "--timings"]. The "--name=value" form keeps a
    value that begins with "-" the option's value."""
    arguments = []
    for name, value in options.items():
        if not OPTION_NAME.match(name):
            raise TypeError(f"{name!r} is not an option name (lower-case words joined by _)")
        if name in RESERVED:
            raise TypeError(f"option {name!r}: {RESERVED[name]}")
        if value is None or value is False:
            continue
        flag = "--" + name.replace("_", "-")
        arguments.append(flag if value is True else f"{flag}={value}")
    return arguments


def error_message(stderr, exit_code, result=None):
    """seprank's one-line error message, prefix stripped: the last "seprank: error: " line of
    stderr (verify's progress lines come before it); for verify's exit 1, which prints no error,
    the counts of its --json summary; else the last line of stderr."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    for line in reversed(lines):
        if line.startswith(ERROR_PREFIX):
            return line[len(ERROR_PREFIX):]
    summary = (result or {}).get("summary")
    if exit_code == 1 and isinstance(summary, dict):
        return (f"claims failed: {summary.get('refuted')} REFUTED, "
                f"{summary.get('unconfirmed')} UNCONFIRMED of {summary.get('checks')} checks")
    return lines[-1] if lines else f"seprank exited with code {exit_code} and no message"


# The top-level exact integers of rank, bound and compare (decimal strings in the JSON).
EXACT_INTEGERS = ("upper_bound", "cut_product", "matrix_size_limit")


def exact_integers(result):
    """rank, bound and compare's decimal-string bounds as ints; other commands' objects unchanged."""
    if result.get("command") in ("rank", "bound", "compare"):
        for key in EXACT_INTEGERS:
            if isinstance(result.get(key), str):
                result[key] = int(result[key])
    return result


def parse_json(stdout):
    try:
        value = json.loads(stdout)
    except ValueError:
        return None
    return exact_integers(value) if isinstance(value, dict) else None


def run(command, *arguments, **options):
    """Runs `seprank COMMAND ARGUMENTS... --option=value... --json` and returns the parsed JSON
    object; raises the SeprankError subclass of the exit code when it is not 0."""
    argv = [find_binary(), command, *map(str, arguments), *option_arguments(options), "--json"]
    process = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                             encoding="utf-8", errors="replace")
    result = parse_json(process.stdout)
    if process.returncode != 0:
        raise error_for(process.returncode, error_message(process.stderr, process.returncode, result),
                        argv, process.stderr, result)
    if result is None:
        raise SeprankError(0, "seprank printed no JSON object on stdout: "
                              f"{process.stdout[:200]!r}", argv, process.stderr)
    return result


def rank(input=None, layers=None, templates=None, **options):
    """`seprank rank`: the exact rank of the matricization, e.g.
    rank(input="8", layers="3/1/2,6/1/1") -> {"rank": 4, "upper_bound": "4", "settled": True, ...};
    rank(network="cert.json") ranks the weights of a network file instead of drawn ones (then no
    input, layers or templates: the file gives them; docs/model.md "Given weights").
    templates=None is seprank's default, 2."""
    return run("rank", input=input, layers=layers, templates=templates, **options)


def bound(input=None, layers=None, templates=None, witness=None, force=False, **options):
    """`seprank bound`: the min-cut upper bound for all weights; witness=PATH also writes the
    cut witness (force=True replaces an existing file)."""
    return run("bound", input=input, layers=layers, templates=templates, witness=witness,
               force=force, **options)


def certify(input=None, layers=None, templates=None, output=None, force=False, **options):
    """`seprank certify -o OUTPUT`: writes a certificate (an existing file is replaced only with
    force=True, else CannotCreateError, exit 73) and returns the --json summary (rank, prime,
    determinant, file, ...). network=FILE certifies a network file's weights, as rank()."""
    if output is None:
        raise TypeError("certify() needs output=PATH, the certificate file to write")
    return run("certify", input=input, layers=layers, templates=templates, output=output,
               force=force, **options)


def compare(input, layers, templates=2, **options):
    """`seprank compare`: numpy's floating-point rank against the exact rank of the same weights
    (verdict AGREE, FLOAT UNDERESTIMATES, ...; docs/float-comparison.md)."""
    return run("compare", input=input, layers=layers, templates=templates, **options)


def verify(paths=None, **options):
    """`seprank verify [PATHS]`: checks theorem files (a path or a list of files and directories;
    None: seprank's default, proofs/ of the current directory). A REFUTED or UNCONFIRMED claim
    raises ClaimFailed, whose .result is the --json object."""
    if paths is None:
        paths = []
    elif isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    arguments = []
    for path in paths:
        path = os.fsdecode(path)
        arguments.append("./" + path if path.startswith("-") else path)  # never read as an option
    return run("verify", *arguments, **options)


def binary_version():
    """The version the seprank binary reports (`seprank --version` prints "seprank 0.1.0")."""
    argv = [find_binary(), "--version"]
    process = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                             encoding="utf-8", errors="replace")
    if process.returncode != 0:
        raise error_for(process.returncode, error_message(process.stderr, process.returncode), argv,
                        process.stderr)
    return process.stdout.split()[-1]
