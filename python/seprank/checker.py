"""check_certificate: runs the independent Python checker (checker/check_certificate.py, standard
library only, no code shared with seprank) on a certificate, a cut witness or a proof bundle.

The checker prints one verdict line and exits with (its docstring; docs/errors.md):
  0  VERIFIED: ...                      -> {"verified": True,  "exit_code": 0, ...}
  1  NOT VERIFIED: refuted ...          -> {"verified": False, "exit_code": 1, ...}
  2  NOT VERIFIED: malformed ...        -> {"verified": False, "exit_code": 2, ...}
  3  NOT VERIFIED: cannot read ... / usage  -> raises CheckerError (nothing was checked)
A refuted or malformed document is an answer, not an error; any other code raises CheckerError.
"""
import os
import subprocess
import sys

from .errors import CheckerError
from .locate import find_checker


def check_certificate(path, bundle=False):
    """Checks a certificate or cut witness (bundle=True: a proof bundle directory) with the
    Python checker; returns {"verified": bool, "exit_code": int, "verdict": str}."""
    checker = find_checker()
    path = os.fsdecode(path)
    if path.startswith("-"):
        path = "./" + path  # never read as an option
    argv = [sys.executable, checker, *(["--bundle"] if bundle else []), path]
    process = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                             encoding="utf-8", errors="replace")
    verdict = process.stdout.strip()
    if process.returncode in (0, 1, 2):
        return {"verified": process.returncode == 0, "exit_code": process.returncode,
                "verdict": verdict}
    message = verdict or process.stderr.strip() or f"the checker exited with code {process.returncode}"
    raise CheckerError(process.returncode, message, argv, process.stderr)
