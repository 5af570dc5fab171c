import os
import json

def read_settings(path, defaults=None):
    settings = dict(defaults or {})
    if not os.path.exists(path):
        return settings
    with open(path) as f:
        settings.update(json.load(f))
    for key, value in settings.items():
        if isinstance(value, str):
            settings[key] = value.strip()
    return settings
