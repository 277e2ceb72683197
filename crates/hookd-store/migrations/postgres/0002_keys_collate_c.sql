-- IDs are time-sorted and listings page through them in byte order (ORDER BY id COLLATE "C").
-- Keys that carry the database's own collation (say en_US) cannot serve that order from an
-- index, and every first page of a large history would sort all its rows. Keys are bytes.
ALTER TABLE orgs ALTER COLUMN id TYPE TEXT COLLATE "C", ALTER COLUMN parent_id TYPE TEXT COLLATE "C";
ALTER TABLE members ALTER COLUMN id TYPE TEXT COLLATE "C", ALTER COLUMN org_id TYPE TEXT COLLATE "C";
ALTER TABLE tokens ALTER COLUMN id TYPE TEXT COLLATE "C", ALTER COLUMN org_id TYPE TEXT COLLATE "C";
ALTER TABLE webhooks ALTER COLUMN id TYPE TEXT COLLATE "C", ALTER COLUMN org_id TYPE TEXT COLLATE "C",
    ALTER COLUMN owner_id TYPE TEXT COLLATE "C";
ALTER TABLE webhook_event_types ALTER COLUMN org_id TYPE TEXT COLLATE "C",
    ALTER COLUMN webhook_id TYPE TEXT COLLATE "C";
ALTER TABLE events ALTER COLUMN id TYPE TEXT COLLATE "C", ALTER COLUMN org_id TYPE TEXT COLLATE "C";
ALTER TABLE deliveries ALTER COLUMN id TYPE TEXT COLLATE "C", ALTER COLUMN org_id TYPE TEXT COLLATE "C",
    ALTER COLUMN webhook_id TYPE TEXT COLLATE "C", ALTER COLUMN event_id TYPE TEXT COLLATE "C";
ALTER TABLE attempts ALTER COLUMN id TYPE TEXT COLLATE "C", ALTER COLUMN org_id TYPE TEXT COLLATE "C",
    ALTER COLUMN webhook_id TYPE TEXT COLLATE "C", ALTER COLUMN delivery_id TYPE TEXT COLLATE "C";
