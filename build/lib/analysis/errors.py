"""Exception and warning types that say which input is wrong and what to do about it."""


class AnalysisError(Exception):
    """Base class for the errors this package raises on bad input."""


class CorpusError(AnalysisError):
    """The corpus folder, its manifest or one of its text files is unusable.

    Parameters
    ----------
    problems : list of str
        Every problem found, each naming the file or manifest row. All are collected
        before raising, so one run shows everything that needs fixing.
    path : str, optional
        The corpus folder or manifest the problems belong to.
    """

    def __init__(self, problems, path=None):
        if isinstance(problems, str):
            problems = [problems]
        self.problems = list(problems)
        self.path = None if path is None else str(path)
        where = f" in {self.path}" if self.path else ""
        lines = [f"{len(self.problems)} problem(s){where}:"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class CodebookError(AnalysisError):
    """The theme codebook is malformed (names the theme and entry)."""


class RuleError(AnalysisError):
    """A rule file (shipped or a corpus's own ``rules/``) is malformed (names file and line)."""


class ParameterError(AnalysisError, ValueError):
    """A parameter has an impossible value (names the parameter and what it accepts)."""


class CorpusWarning(UserWarning):
    """Something in the corpus looks unintended but does not stop the analysis."""
