-- Which sent message shows which hazard to whom: so a card can be edited when the hazard moves on (its buttons
-- would otherwise stay and answer "already handled"), and a reply to it can open that hazard.
-- message_key is the channel's own key of the sent message (Telegram: its message_id, as text).
-- Bounded: a chat keeps the newest few messages per hazard (storage/card_messages.py prunes on each record).
CREATE TABLE card_messages (
    channel     TEXT NOT NULL,
    chat_id     INTEGER NOT NULL,
    message_key TEXT NOT NULL,
    hazard_id   INTEGER NOT NULL REFERENCES hazards (id),
    person_id   INTEGER NOT NULL REFERENCES people (id),
    has_buttons INTEGER NOT NULL,
    sent_at     TEXT NOT NULL,
    PRIMARY KEY (channel, chat_id, message_key)
);
CREATE INDEX card_messages_by_hazard ON card_messages (hazard_id, has_buttons);
