-- No query looks attempts up by delivery (a delivery's attempts are listed by webhook and
-- searched by text), so this index only cost a b-tree insert on every attempt.
DROP INDEX attempts_delivery;
