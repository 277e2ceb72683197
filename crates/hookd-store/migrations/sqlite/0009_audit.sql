-- The audit log: who changed what in an org, and when. Kept past the delivery history's
-- retention (it is small, and it is the record).
CREATE TABLE audit (
    id      TEXT PRIMARY KEY,
    org_id  TEXT NOT NULL,
    at      BIGINT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL,
    summary TEXT NOT NULL
);
CREATE INDEX audit_by_org ON audit (org_id, id);
