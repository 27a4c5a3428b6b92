"""Reading an email: pure functions from raw bytes to an `InboundEmail`, with no database.

`parse.parse_email` is the way in; the other modules are its parts (size limits applied to the
raw bytes before parsing, MIME walking and repair, charsets, headers, format=flowed, HTML to
text, attachments, forwarded messages, bounces and automated mail), `message` holds the parsed
types (`InboundEmail`, `Address`, `Attachment`, …), `sanitize` makes stored mail HTML safe to
show and `json_lines` is `heard parse` as a function.
Modules here import only the standard library, small pure libraries (nh3), `heard.engine` and
each other: never Django (so no models), `heard.desk` or the other mail rooms
(`heard/mail/tests/test_rooms.py` checks it), so they run, and are tested, without a database.
"""
