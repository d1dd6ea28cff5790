-- Delivery: stored photos are re-sent as photos whatever way they arrived, and urgent notifications go first.

-- Per stored image, a file_id Telegram accepts in sendPhoto. A photo sent "as a file" arrives with a document's
-- file_id, which Telegram refuses as a photo: it is uploaded from the media store once, and the photo file_id
-- Telegram gives back is kept here.
CREATE TABLE telegram_photo_ids (
    sha256  TEXT PRIMARY KEY,
    file_id TEXT NOT NULL
);
-- Photos received as photos have their dimensions (files have 0 x 0): their file_ids are photo file_ids.
INSERT OR IGNORE INTO telegram_photo_ids (sha256, file_id)
    SELECT sha256, file_id FROM hazard_photos WHERE width > 0 ORDER BY id;

-- Notifications still waiting name their photos by media-store file, not by the file_id they arrived with.
UPDATE outbox SET payload = json_set(payload, '$.photos', (
        SELECT json_group_array(COALESCE(
            (SELECT p.sha256 || '.' || p.extension FROM hazard_photos p WHERE p.file_id = j.value LIMIT 1), j.value))
        FROM json_each(outbox.payload, '$.photos') j))
    WHERE status IN ('pending', 'sending') AND json_array_length(payload, '$.photos') > 0;

-- What goes first: 2 urgent alerts (major hazards), 1 cards someone must act on now (a new hazard to triage),
-- 0 the rest. Within one chat, and across chats, a higher priority overtakes what is queued.
ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET priority = 2 WHERE urgent = 1;
