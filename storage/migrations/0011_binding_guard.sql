-- Who may act as whom: why a bound person was invited again (admins only, a reason is required), and which
-- Telegram account made each hazard event (nobody verifies a rectification their own account submitted).
ALTER TABLE invites ADD COLUMN reason TEXT;
ALTER TABLE hazard_events ADD COLUMN telegram_user_id INTEGER;
