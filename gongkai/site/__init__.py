"""The assembled platform: the commands that need every package (`gongkai demo`, `gongkai serve`).

It stands on the top floor, under `config` only, so that the demo can call each package's own demo
loader and the server can load the WSGI application (docs/architecture.md).
"""
