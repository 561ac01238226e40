"""The one domain exception: "the state forbids it" (already decided, closed, not eligible).

Services and model methods raise `Refused` with a sentence for the person who asked; views
catch it and show it as a `messages` message. It is not for bad input (that is a form
error) nor for "you may not see this" (that is a 404 from an access helper).
"""


class Refused(Exception):
    """An action the current state refuses; `str(error)` is translated, for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)
