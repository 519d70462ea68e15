"""Where the package finds the `seprank` binary and the Python checker.

The binary, first found wins:
  1. the environment variable SEPRANK_BIN (it must name an executable file; a wrong value is an
     error, never skipped);
  2. next to the package, in the installed layout: the package in
     <prefix>/lib/python3/dist-packages/seprank/ uses <prefix>/bin/seprank;
  3. `seprank` on PATH.
The Python checker (checker/check_certificate.py), first found wins:
  1. the environment variable SEPRANK_CHECKER (it must name a file);
  2. next to the package, installed: <prefix>/lib/python3/dist-packages/seprank/check_certificate.py;
  3. in the source tree: python/seprank/../../checker/check_certificate.py.
Both are looked up on every call, so a change of the environment takes effect at once.
"""
import os
import shutil
from pathlib import Path

from .errors import ProgramNotFoundError

PACKAGE_DIR = Path(__file__).resolve().parent


def installed_binary():
    """<prefix>/bin/seprank when the package is in <prefix>/lib/python3/dist-packages/seprank/
    (also lib64, pythonX.Y, site-packages), else None (a source tree has no such neighbour)."""
    parents = PACKAGE_DIR.parents
    if (len(parents) > 3 and parents[0].name in ("dist-packages", "site-packages")
            and parents[1].name.startswith("python") and parents[2].name in ("lib", "lib64")):
        return parents[3] / "bin" / "seprank"
    return None


def find_binary():
    """The path of the seprank binary (the order is in the module's docstring)."""
    configured = os.environ.get("SEPRANK_BIN")
    if configured:
        if os.path.isfile(configured) and os.access(configured, os.X_OK):
            return configured
        raise ProgramNotFoundError(f"SEPRANK_BIN={configured!r} is not an executable file")
    candidate = installed_binary()
    if candidate is not None and candidate.is_file() and os.access(candidate, os.X_OK):
        return str(candidate)
    on_path = shutil.which("seprank")
    if on_path:
        return on_path
    raise ProgramNotFoundError(
        "the seprank binary was not found: set SEPRANK_BIN to its path (e.g. build/seprank), "
        f"install it to {candidate or '<prefix>/bin/seprank'} next to this package, "
        "or put it on PATH")


def find_checker():
    """The path of the Python checker check_certificate.py (the order is in the module's
    docstring)."""
    configured = os.environ.get("SEPRANK_CHECKER")
    if configured:
        if os.path.isfile(configured):
            return configured
        raise ProgramNotFoundError(f"SEPRANK_CHECKER={configured!r} is not a file")
    for candidate in (PACKAGE_DIR / "check_certificate.py",
                      PACKAGE_DIR.parent.parent / "checker" / "check_certificate.py"):
        if candidate.is_file():
            return str(candidate)
    raise ProgramNotFoundError(
        "the Python checker check_certificate.py was not found: set SEPRANK_CHECKER to its path "
        "(checker/check_certificate.py in the source tree), or install it next to this package "
        f"({PACKAGE_DIR / 'check_certificate.py'})")
