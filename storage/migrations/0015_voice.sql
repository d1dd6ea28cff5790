-- Voice notes kept where a text was asked for: a hazard's description, or the note of a move (a reason, the
-- rectification note). The text itself holds a placeholder ("🎤 语音说明 12 秒"); this row is the audio, in the media
-- store by its SHA-256. event_id: the event the voice belongs to (the 'reported' event for a description).
CREATE TABLE hazard_voice_notes (
    id         INTEGER PRIMARY KEY,
    hazard_id  INTEGER NOT NULL REFERENCES hazards (id),
    event_id   INTEGER NOT NULL REFERENCES hazard_events (id),
    field      TEXT NOT NULL CHECK (field IN ('description', 'note')),
    sha256     TEXT NOT NULL,
    extension  TEXT NOT NULL,
    file_id    TEXT NOT NULL,
    seconds    INTEGER NOT NULL CHECK (seconds >= 0),
    size       INTEGER NOT NULL,
    added_at   TEXT NOT NULL
);
CREATE INDEX hazard_voice_notes_hazard ON hazard_voice_notes (hazard_id, id);
