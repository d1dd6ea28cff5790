"""Every input limit in one place (documented in the README's limits table)."""

from __future__ import annotations

MAX_PHOTOS = 10  # per report, and per rectification submission
# A photo this soon after the person submitted a report asks whether it belongs to that report (补充到 #N) or a new one.
FOLLOW_UP_MINUTES = 10
MAX_DESCRIPTION = 1000  # characters
MAX_PLACE = 60  # characters
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # the Bot API's getFile limit
PLACE_SUGGESTIONS = 6  # buttons offering places already used in the village
IMAGE_MIME_TYPES = ("image/jpeg", "image/png")
MAX_REASON = 500  # characters of a reason (不属实, 不通过, 重新打开) or a rectification note
MAX_DEADLINE_DAYS = 365  # the longest term a deadline may give
DEADLINE_CHOICES = (3, 7, 15, 30)  # deadline buttons, in days
MAX_OWNER_OPTIONS = 8  # owner buttons offered when assigning
MAX_PLACES_CHECKED = 10_000  # places a check may report
MAX_NAME = 30  # characters of a person's name, at every entry point (roster, /invite, gridsafe invite, 交办)
MAX_PLACE_NAME = 40  # characters of a town or village name in a roster file
MAX_ROSTER_FILE_BYTES = 5 * 1024 * 1024  # a roster file as stored on disk
MAX_ROSTER_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # the members of a roster .xlsx once unzipped
MAX_ROSTER_ROWS = 20_000  # rows of a roster file, header included
MAX_PLACES_FILE_BYTES = 128 * 1024 * 1024  # a places file as stored on disk (a province's million places in CSV)
MAX_PLACES_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024  # the members of a places .xlsx once unzipped
MAX_PLACES_ROWS = 1_048_576  # rows of a places file, header included (as many as an Excel sheet holds)
MAX_ADDRESS = 100  # characters of a place's address
CHAT_FLOOD_BACKLOG = 20  # updates of one chat waiting for their turn that make it a flood (refused at the gate)
MAX_CHAT_BACKLOG = 50  # updates of one chat waiting or running; any more are dropped unread
FLOOD_QUIET_SECONDS = 30  # a flood ends after this long without an update from the chat
MAX_LEDGER_THUMBNAIL_ROWS = 1_000  # hazards of a ledger that still gets thumbnails (measured: README, the ledger)
MAX_CHAT_PHOTO_ARCHIVE_BYTES = 50_000_000  # the photo zip sent in chat: Telegram's 50 MB for a bot's document
MAX_VOICE_SECONDS = 300  # a voice message kept as a description, note or reason (5 minutes)
