"""sweep: runs one seprank command over a grid of parameters and returns flat rows (a list of
dicts) for a notebook: a pandas.DataFrame(rows), a csv.DictWriter or seprank.plot take them as
they are.

    rows = seprank.sweep("rank", {"R": [2, 3, 4, 5], "templates": [2, 3]},
                         input="8", layers=lambda R, templates: f"{R}/1/{templates},{9 - R}/1/1")

- vary: a dict {name: values}, run on every combination (the first name varies slowest); or an
  iterable of dicts, one point each; or None, one run.
- fixed (the other keywords): options of every run, named as for seprank.rank. A callable is
  called with the parameters of the point that its signature names (all of them if it takes
  **kwargs) and its result is the option's value: a derived option.
- A parameter whose name is an option name (lower-case words joined by "_": "templates",
  "seed", "fixed_templates") is passed to seprank as that option, and derived options may read
  it too. A name with a capital letter ("R", "C", "Cp") can be no option: such a parameter only
  feeds derived options and its column. So a typo in an option's name is still refused by
  seprank (UsageError), never silently dropped.
- A row holds the point's parameters, the derived options' values, every top-level number,
  string, boolean or null of the --json object (rank, upper_bound, settled, rows, cols, prime,
  ... for rank; upper_bound, limited_by for bound; float_rank, exact_rank_mod_p, verdict for
  compare; nested objects such as architecture are left out), and wall_seconds, the run's wall
  time as measured here. A parameter keeps its name when the JSON has the same key.
- on_error="raise" (default) raises the first SeprankError; "record" puts its "error" (message)
  and "exit_code" in the row instead (a point too large to rank: exit 69) and goes on.
"""
import inspect
import itertools
import time

from .commands import OPTION_NAME, run
from .errors import SeprankError


def points_of(vary):
    if vary is None:
        return [{}]
    if isinstance(vary, dict):
        names = list(vary)
        return [dict(zip(names, values)) for values in itertools.product(*(list(vary[n]) for n in names))]
    points = list(vary)
    if not all(isinstance(point, dict) for point in points):
        raise TypeError("vary: a dict {name: values}, an iterable of dicts, or None")
    return [dict(point) for point in points]


def call_derived(function, point):
    """Calls a derived option with the point's parameters that its signature names (all of them
    if it takes **kwargs)."""
    parameters = inspect.signature(function).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return function(**point)
    return function(**{p.name: point[p.name] for p in parameters
                       if p.name in point and p.kind is not inspect.Parameter.POSITIONAL_ONLY})


def sweep(command="rank", vary=None, on_error="raise", **fixed):
    """Runs `seprank COMMAND` on every point of vary; returns one flat dict per run (the module's
    docstring has the rules)."""
    if on_error not in ("raise", "record"):
        raise ValueError("on_error: 'raise' or 'record'")
    rows = []
    for point in points_of(vary):
        options, derived = {}, {}
        for name, value in fixed.items():
            if callable(value):
                value = derived[name] = call_derived(value, point)
            options[name] = value
        for name, value in point.items():
            if OPTION_NAME.match(name):
                options[name] = value
        row = {**point, **derived}
        started = time.monotonic()
        try:
            result = run(command, **options)
        except SeprankError as error:
            if on_error == "raise":
                raise
            row.update(error=error.message, exit_code=error.exit_code)
        else:
            for key, value in result.items():
                if key not in row and not isinstance(value, (dict, list)):
                    row[key] = value
        row["wall_seconds"] = round(time.monotonic() - started, 6)
        rows.append(row)
    return rows
