"""The TwiML schemas (XSD), shipped as package data: the one source of element names and nesting.

Read them with ``importlib.resources.files("callbox.schemas")``; ``callbox.markup.schema``
compiles them once per process.
"""
