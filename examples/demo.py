import os
from django.conf import settings
if x % 5 == 0:
for name in sorted(names):
result = []
result.append(value)
return self.name
raise ValueError('invalid value')
def get_name(self):
class Template(object):
while i < len(items):
try:
except KeyError:
counts[key] += 1
path = os.path.join(root, filename)
