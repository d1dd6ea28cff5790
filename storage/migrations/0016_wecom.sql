-- WeCom (企业微信): a person's WeCom account (the userid in the county's tenant), set by the roster file's optional
-- column or by typing an invite code (绑定 <code>) in WeCom. WeCom compares userids without case, and so does the index.
-- A deactivated person keeps theirs (so WeCom can tell them they were taken off the roster) until it is given to
-- someone else; a moved person's follows them to their entry in the new place.
ALTER TABLE people ADD COLUMN wecom_userid TEXT COLLATE NOCASE;
CREATE UNIQUE INDEX people_wecom_userid ON people (wecom_userid) WHERE wecom_userid IS NOT NULL;
-- The channel the person last wrote from ('telegram' or 'wecom'; NULL: never wrote).
ALTER TABLE people ADD COLUMN last_channel TEXT CHECK (last_channel IN ('telegram', 'wecom'));
-- Which WeCom account redeemed an invite (used_by_telegram_user_id stays NULL then).
ALTER TABLE invites ADD COLUMN used_by_wecom_userid TEXT;
