"""Bilibili provider: links, sources, video details, streams, danmaku, subtitles and login.

`client` holds the HTTP side, `api` one function per resource, `links` the pasted-link
parser, `streams` the stream choice, `login` QR/cookie login and the cookie refresh.
"""

# The name people see, readable without importing the provider (its HTTP stack): the command
# line's quick listings show it (core/cli/quick.py).
DISPLAY_NAME = "Bilibili"
