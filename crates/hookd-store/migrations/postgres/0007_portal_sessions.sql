-- The portal's sign-in: one-time login links and the sessions they open. Only the SHA-256 of
-- a link's secret and of a session's cookie is kept.
CREATE TABLE login_links (
    hash       BYTEA PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES orgs (id),
    member_id  TEXT NOT NULL,
    return_to  TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

CREATE TABLE sessions (
    hash       BYTEA PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES orgs (id),
    member_id  TEXT NOT NULL,
    csrf       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_member ON sessions (member_id);
