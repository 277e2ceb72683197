-- Durations to the microsecond (duration_ms stays for attempts recorded before), and the
-- event types of an attempt's events, so the history shows and filters by them.
ALTER TABLE attempts ADD COLUMN duration_us INTEGER;
ALTER TABLE attempts ADD COLUMN event_types TEXT;

-- Health: counts per webhook, bucket and key (a result class `r:2xx`, a latency bin `l:37`),
-- added to as attempts are recorded, in their transaction. `grain` is the bucket's length in
-- seconds (300 or 3600); `shard` keeps each node to rows of its own, so nodes never wait on
-- each other's locks to count.
CREATE TABLE health (
    webhook_id TEXT NOT NULL,
    grain      INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    k          TEXT NOT NULL,
    shard      INTEGER NOT NULL,
    org_id     TEXT NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (webhook_id, grain, start, k, shard)
) WITHOUT ROWID;
-- For pruning by age.
CREATE INDEX health_age ON health (grain, start);
