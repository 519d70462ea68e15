"""plot: draws columns of seprank.sweep's rows against one parameter with matplotlib, which is
imported only here (the rest of the package needs the standard library only)."""

MISSING = ("seprank.plot needs matplotlib, which is not installed (Debian: apt-get install "
           "python3-matplotlib; elsewhere: pip install matplotlib); seprank.sweep's rows need "
           "nothing and can be plotted with any other tool")


def plot(rows, x, y=("rank", "upper_bound"), ax=None, logy=False, title=None):
    """One line per column of y (a name or a list of names) against column x, over the rows
    that have both (a row recorded with on_error="record" has no rank); a log y axis with
    logy=True. Draws into ax, or into a new figure; returns the matplotlib Axes."""
    try:
        import matplotlib  # noqa: F401
        if ax is None:
            import matplotlib.pyplot as pyplot
    except ImportError as error:
        raise ImportError(MISSING) from error
    if ax is None:
        _, ax = pyplot.subplots()
    columns = [y] if isinstance(y, str) else list(y)
    for column in columns:
        points = [(row[x], row[column]) for row in rows
                  if row.get(x) is not None and row.get(column) is not None]
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=column)
    ax.set_xlabel(x)
    ax.set_ylabel(columns[0] if len(columns) == 1 else ", ".join(columns))
    if logy:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    if len(columns) > 1:
        ax.legend()
    return ax
