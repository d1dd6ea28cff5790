-- WeCom delivery: the outbox holds one row per notification and channel, and WeCom's media_ids are kept.

-- A notification for a person on Telegram and WeCom may go to both (bot/domain/routing.py): each channel's copy is
-- its own row, sent, retried and failed on its own, so one channel's failure neither blocks nor repeats the other.
-- The dedupe key still names the notification: a key queued once (on any channel) is never queued again, and the
-- pair (dedupe_key, channel) is unique.
CREATE TABLE outbox_new (
    id           INTEGER PRIMARY KEY,
    dedupe_key   TEXT NOT NULL,
    channel      TEXT NOT NULL DEFAULT 'telegram' CHECK (channel IN ('telegram', 'wecom')),
    person_id    INTEGER NOT NULL REFERENCES people (id),
    payload      TEXT NOT NULL,
    urgent       INTEGER NOT NULL DEFAULT 0,
    subject      TEXT,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    not_before   TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    sent_at      TEXT,
    priority     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (dedupe_key, channel)
);
INSERT INTO outbox_new (id, dedupe_key, channel, person_id, payload, urgent, subject, status, not_before, attempts,
                        last_error, created_at, sent_at, priority)
    SELECT id, dedupe_key, 'telegram', person_id, payload, urgent, subject, status, not_before, attempts, last_error,
           created_at, sent_at, priority
    FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (status, not_before);
CREATE INDEX outbox_subject ON outbox (subject, status) WHERE subject IS NOT NULL;

-- Per stored file (by SHA-256) and kind ('image', 'file'), the media_id WeCom gave its upload and when: reused
-- while more than an hour of WeCom's 3 days is left, then uploaded again.
CREATE TABLE wecom_media_ids (
    kind        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    media_id    TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    PRIMARY KEY (kind, sha256)
);
