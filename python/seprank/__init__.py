"""seprank from Python (standard library only): exact ranks of grid-tensor matricizations of
convolutional arithmetic circuits, with certificates and an independent checker.

    import seprank
    seprank.rank(input="8", layers="3/1/2,6/1/1")["rank"]          # 4
    seprank.certify(input="8", layers="3/1/2,6/1/1", output="c.json")
    seprank.check_certificate("c.json")["verified"]                # True

Every function runs the `seprank` binary (found through SEPRANK_BIN, then next to the package,
then PATH: seprank.locate) with --json and returns the parsed object. docs/python.md is the guide.

__version__ is the version of this package, a static string kept equal to the project(VERSION)
of the source tree's CMakeLists.txt (tests/test_python_package.py checks it);
seprank.binary_version() asks the binary it runs (`seprank --version`).
"""

from .checker import check_certificate
from .commands import binary_version, bound, certify, compare, rank, run, verify
from .errors import (CannotCreateError, CheckerError, ClaimFailed, DataError, InternalError,
                     NoInputError, ProgramNotFoundError, ResourceError, SeprankError, UsageError,
                     WriteError)
from .locate import find_binary, find_checker
from .plot import plot
from .sweep import sweep

__version__ = "0.1.0"

__all__ = [
    "rank", "bound", "certify", "compare", "verify", "run", "check_certificate", "sweep", "plot",
    "binary_version", "find_binary", "find_checker",
    "SeprankError", "ClaimFailed", "UsageError", "DataError", "NoInputError", "ResourceError",
    "InternalError", "CannotCreateError", "WriteError", "CheckerError", "ProgramNotFoundError",
]
