-- A webhook's deliveries are looked up by state only while pending (an ordered webhook's
-- oldest, a deleted webhook's to fail) or failed (to recover). Indexing just those rows
-- means a delivery that succeeds leaves the index instead of moving to a new place in it:
-- one b-tree change fewer on every delivery, and an index the size of the backlog.
DROP INDEX deliveries_webhook;
CREATE INDEX deliveries_webhook_pending ON deliveries (webhook_id, id) WHERE state = 'pending';
CREATE INDEX deliveries_webhook_failed ON deliveries (webhook_id, id) WHERE state = 'failed';
