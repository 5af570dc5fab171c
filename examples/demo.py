"""Small examples: the statements of the Pseudogen paper and of everyday Python."""
import os
from django.conf import settings


class Template(object):
    """A named template."""

    def get_name(self):
        return self.name


def tally(names, items, root, filename):
    # count how often each key occurs
    counts = {}
    for key in items:
        try:
            counts[key] += 1
        except KeyError:
            counts[key] = 1
    result = []
    for name in sorted(names):
        value = name.upper()
        result.append(value)
    i = 0
    while i < len(items):
        i += 1
    for x in range(100):
        if x % 5 == 0:
            path = os.path.join(root, filename)
        else:
            raise ValueError('invalid value')
    return result
