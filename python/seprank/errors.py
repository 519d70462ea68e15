"""Exceptions: a non-zero exit of seprank, a failed checker run, a program that is not found.

Every non-zero exit of `seprank` raises SeprankError or the subclass named for its exit code
(docs/errors.md has the catalogue), so `except seprank.SeprankError` catches them all and
`except seprank.DataError` only the invalid networks:

    code  class              when (docs/errors.md)
       1  ClaimFailed        verify: a claim REFUTED or UNCONFIRMED (.result holds the --json object)
      64  UsageError         malformed command line (unknown option, a value that does not parse)
      65  DataError          an invalid network, partition, prime or theorem file
      66  NoInputError       a theorem file or directory that cannot be read
      69  ResourceError      the request exceeds a limit (memory, sizes, format limits)
      70  InternalError      a bug in seprank
      73  CannotCreateError  an output file exists (no force=True) or cannot be created
      74  WriteError         writing an output failed (a full disk)
    other SeprankError
"""


class SeprankError(RuntimeError):
    """`seprank` exited with a non-zero code.

    exit_code: the exit code; message: seprank's one-line error message without the
    "seprank: error: " prefix; command: the argv list that was run; stderr: all of stderr;
    result: the parsed --json object when stdout held one (verify prints it also on exit 1),
    else None.
    """

    def __init__(self, exit_code, message, command, stderr="", result=None):
        super().__init__(f"{message} (exit {exit_code})")
        self.exit_code = exit_code
        self.message = message
        self.command = list(command)
        self.stderr = stderr
        self.result = result


class ClaimFailed(SeprankError):
    """Exit 1: `verify` found a claim REFUTED or UNCONFIRMED; .result is the --json object."""


class UsageError(SeprankError):
    """Exit 64: a malformed command line (an unknown option, a value that does not parse)."""


class DataError(SeprankError):
    """Exit 65: an invalid network, partition, prime or theorem file."""


class NoInputError(SeprankError):
    """Exit 66: a theorem file or directory that does not exist or cannot be read."""


class ResourceError(SeprankError):
    """Exit 69: the request exceeds a limit and was refused before any work."""


class InternalError(SeprankError):
    """Exit 70: a bug in seprank; please report it with .command."""


class CannotCreateError(SeprankError):
    """Exit 73: an output file exists (pass force=True) or cannot be created."""


class WriteError(SeprankError):
    """Exit 74: writing an output file or standard output failed."""


ERROR_CLASSES = {
    1: ClaimFailed,
    64: UsageError,
    65: DataError,
    66: NoInputError,
    69: ResourceError,
    70: InternalError,
    73: CannotCreateError,
    74: WriteError,
}


class CheckerError(SeprankError):
    """The Python checker could not check: exit 3 (the file cannot be read, is not a regular
    file or is too large; or a usage error) or any code it does not document. .message is its
    verdict line. A malformed or refuted certificate is not an error: check_certificate returns
    verified=False for it."""


class ProgramNotFoundError(FileNotFoundError):
    """The seprank binary or the Python checker was not found where the package looks for it
    (seprank.locate describes the order)."""


def error_for(exit_code, message, command, stderr="", result=None):
    """The exception for a non-zero exit of seprank: the class named for its code, else
    SeprankError."""
    return ERROR_CLASSES.get(exit_code, SeprankError)(exit_code, message, command, stderr, result)
