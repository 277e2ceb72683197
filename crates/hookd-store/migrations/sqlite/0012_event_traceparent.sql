-- The W3C trace context of an event's publish, when the publisher sent one or traces are
-- exported: the parent of its deliveries' spans (hookd-telemetry).
ALTER TABLE events ADD COLUMN traceparent TEXT;
