-- Times are Unix milliseconds (BIGINT), as in the SQLite schema; JSON columns hold text.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE orgs (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    parent_id  TEXT REFERENCES orgs (id),
    features   TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX orgs_parent ON orgs (parent_id);

CREATE TABLE members (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES orgs (id),
    name        TEXT NOT NULL,
    email       TEXT NOT NULL,
    phone       TEXT,
    role        TEXT NOT NULL,
    groups      TEXT NOT NULL,
    external_id TEXT,
    status      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    CONSTRAINT members_org_email UNIQUE (org_id, email)
);

CREATE TABLE tokens (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES orgs (id),
    name         TEXT NOT NULL,
    role         TEXT NOT NULL,
    hash         BYTEA NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX tokens_org ON tokens (org_id, id);

CREATE TABLE event_types (
    name        TEXT PRIMARY KEY,
    grp         TEXT NOT NULL,
    description TEXT NOT NULL,
    schema      TEXT,
    example     TEXT,
    created_at  BIGINT NOT NULL
);

CREATE TABLE webhooks (
    id                 TEXT PRIMARY KEY,
    org_id             TEXT NOT NULL REFERENCES orgs (id),
    name               TEXT NOT NULL,
    url                TEXT NOT NULL,
    description        TEXT,
    event_types        TEXT NOT NULL,
    environment        TEXT NOT NULL,
    owner_id           TEXT,
    include_child_orgs BOOLEAN NOT NULL,
    options            TEXT NOT NULL,
    signing_enabled    BOOLEAN NOT NULL,
    signing_secret     BYTEA NOT NULL,
    previous_secret    BYTEA,
    previous_until     BIGINT,
    auth               BYTEA NOT NULL,
    enabled            BOOLEAN NOT NULL,
    status_reason      TEXT,
    status_changed_at  BIGINT NOT NULL,
    status_changed_by  TEXT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    last_triggered_at  BIGINT,
    failing_since      BIGINT,
    failed_deliveries  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX webhooks_org ON webhooks (org_id, id);

CREATE TABLE webhook_event_types (
    org_id     TEXT NOT NULL,
    event_type TEXT NOT NULL,
    webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    PRIMARY KEY (org_id, event_type, webhook_id)
);
CREATE INDEX webhook_event_types_webhook ON webhook_event_types (webhook_id);

CREATE TABLE events (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    payload         TEXT NOT NULL,
    resource_url    TEXT,
    environment     TEXT NOT NULL,
    visible_to      TEXT NOT NULL,
    occurred_at     BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    idempotency_key TEXT,
    CONSTRAINT events_idempotency UNIQUE (org_id, idempotency_key)
);

-- See the SQLite schema: claiming pushes next_attempt_at forward by the lease.
CREATE TABLE deliveries (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL,
    webhook_id      TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    state           TEXT NOT NULL,
    attempts        BIGINT NOT NULL,
    next_attempt_at BIGINT,
    next_trigger    TEXT NOT NULL,
    ordered         BOOLEAN NOT NULL,
    leased_by       TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX deliveries_event ON deliveries (event_id);
CREATE INDEX deliveries_webhook ON deliveries (webhook_id, state, id);

CREATE TABLE attempts (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL,
    delivery_id      TEXT NOT NULL,
    webhook_id       TEXT NOT NULL,
    event_ids        TEXT NOT NULL,
    url              TEXT NOT NULL,
    sent_at          BIGINT NOT NULL,
    response_status  BIGINT,
    duration_ms      BIGINT NOT NULL,
    error_kind       TEXT,
    error_message    TEXT,
    trigger          TEXT NOT NULL,
    request_headers  TEXT NOT NULL,
    request_body     TEXT NOT NULL,
    response_headers TEXT NOT NULL,
    response_body    TEXT NOT NULL
);
CREATE INDEX attempts_org ON attempts (org_id, id);
CREATE INDEX attempts_webhook ON attempts (org_id, webhook_id, id);
CREATE INDEX attempts_delivery ON attempts (delivery_id);
