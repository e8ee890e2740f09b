#!/usr/bin/env python3
"""sqlmap tamper: escape a payload for the inside of a JSON string.

tRPC inputs are JSON. A raw payload with a double quote or backslash breaks the document and is
refused as a 400 before any SQL runs; escaped, it reaches the procedure as the string value it
is meant to be, which is what an attacker would send.
"""

import json

from lib.core.enums import PRIORITY

__priority__ = PRIORITY.LOWEST


def dependencies():
    pass


def tamper(payload, **kwargs):
    return json.dumps(payload)[1:-1] if payload else payload
