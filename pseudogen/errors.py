"""The one exception type that reaches the user as a message instead of a traceback."""


class PseudogenError(Exception):
    """A problem with the user's input (file, corpus, model, option), said in one line.

    `place` names where it is, e.g. "train.code:17" or "rules/python.rules:4",
    so the message reads "train.code:17: cannot parse ...".
    """

    def __init__(self, message: str, place: str | None = None):
        super().__init__(message)
        self.message = message
        self.place = place

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message
