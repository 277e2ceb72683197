//! Publishing on PostgreSQL: pick an event's webhooks, then write events and their deliveries
//! in batches. Concurrent publishes share one statement, one commit and one WAL flush (group
//! commit, as the SQLite writer does): the flush, not the insert, is what a durable publish
//! costs. Alone, a publish goes at once in a batch of one.

use std::collections::HashSet;
use std::sync::Arc;

use deadpool_postgres::{GenericClient, Pool};
use hookd_core::model::{Event, Member, Trigger};
use hookd_core::{DeliveryId, EventId};
use tokio::sync::{Semaphore, mpsc, oneshot};

use super::{CHANNEL, all, deliveries_of_event, map_err, one, pool_err};
use crate::rows::{self as r, Chosen, Target, ms, to_json};
use crate::{Audience, LeaseTerms, Published, StoreError};

/// A [`Target`]'s columns; PostgreSQL reads `ordered` out of the options, as SQLite does.
/// Options are always JSON that hookd wrote (no operation takes them as text).
const TARGET_COLS: &str =
    "w.id, w.org_id, coalesce((w.options::json ->> 'ordered')::boolean, false) AS ordered, w.revision, w.filter,
     w.destination_type = 'poll' AS pulled";

/// Events written by one statement, at most.
const MAX_BATCH: usize = 256;
/// Batches being written at once: while they all wait for their commit, new publishes queue
/// up and go together in the next.
const STREAMS: usize = 2;

/// An event on its way into a batch, with the webhook it goes to if it was named (the
/// `test` action); the batch looks up every other event's subscribers in one query.
pub(super) struct Ingest {
    event: Event,
    only: Option<Target>,
    lease: Option<LeaseTerms>,
    done: oneshot::Sender<Result<Published, StoreError>>,
}

/// The queue of publishes waiting for a batch.
#[derive(Clone)]
pub(super) struct Ingestor {
    queue: mpsc::UnboundedSender<Ingest>,
}

impl Ingestor {
    /// Starts the batching task, counting filtered events in health rows of `shard`; it ends
    /// when the last `Ingestor` is dropped.
    pub(super) fn start(pool: Pool, shard: i16) -> Self {
        let (queue, rx) = mpsc::unbounded_channel();
        tokio::spawn(group_commit(pool, rx, shard));
        Self { queue }
    }

    pub(super) async fn publish(
        &self,
        pool: &Pool,
        e: &Event,
        audience: &Audience,
        lease: Option<&LeaseTerms>,
    ) -> Result<Published, StoreError> {
        let only = match audience {
            Audience::Subscribers => None,
            Audience::Webhook(id) => {
                let c = pool.get().await.map_err(pool_err)?;
                Some(named(&c, e, id).await?)
            }
        };
        let (done, result) = oneshot::channel();
        let stopped = || StoreError::Unavailable("the PostgreSQL ingest task has stopped".into());
        let ingest = Ingest { event: e.clone(), only, lease: lease.cloned(), done };
        self.queue.send(ingest).map_err(|_| stopped())?;
        result.await.map_err(|_| stopped())?
    }
}

async fn group_commit(pool: Pool, mut rx: mpsc::UnboundedReceiver<Ingest>, shard: i16) {
    let streams = Arc::new(Semaphore::new(STREAMS));
    while let Some(first) = rx.recv().await {
        // Waiting for a free stream first lets the queue fill while all are busy.
        let Ok(permit) = streams.clone().acquire_owned().await else { break };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(more) => batch.push(more),
                Err(_) => break,
            }
        }
        let pool = pool.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let items: Vec<Item> = batch.iter().map(|i| (&i.event, i.only.as_ref(), i.lease.as_ref())).collect();
            let results = match pool.get().await {
                Ok(c) => publish_batch(&c, &items, shard).await,
                Err(e) => Err(pool_err(e)),
            };
            match results {
                Ok(results) => {
                    for (ingest, result) in batch.into_iter().zip(results) {
                        let _ = ingest.done.send(result);
                    }
                }
                Err(e) => {
                    for ingest in batch {
                        let _ = ingest.done.send(Err(e.clone()));
                    }
                }
            }
        });
    }
}

/// Publishes one event on `c` (a transaction, say): the same statements as a batch. Counts
/// of filtered events go to health rows of `shard`.
pub(super) async fn publish_in<C: GenericClient>(
    c: &C,
    e: &Event,
    audience: &Audience,
    shard: i16,
) -> Result<Published, StoreError> {
    let only = match audience {
        Audience::Subscribers => None,
        Audience::Webhook(id) => Some(named(c, e, id).await?),
    };
    let mut results = publish_batch(c, &[(e, only.as_ref(), None)], shard).await?;
    results.pop().unwrap_or(Err(StoreError::NotFound))
}

/// The one webhook an event was addressed to, which must be of the event's org.
async fn named<C: GenericClient>(c: &C, e: &Event, id: &hookd_core::WebhookId) -> Result<Target, StoreError> {
    let sql = format!("SELECT {TARGET_COLS} FROM webhooks w WHERE w.id = $1 AND w.org_id = $2");
    one(c, &sql, &[&id.as_str(), &e.org_id.as_str()], r::target).await
}

/// An event to publish: the webhook it was addressed to, if any, and the lease its new
/// deliveries may take.
type Item<'a> = (&'a Event, Option<&'a Target>, Option<&'a LeaseTerms>);

/// An event to write, with its webhooks (those it goes to, those whose filter refused it) and
/// what their deliveries' first attempts count as.
type Write<'a> = (&'a Event, &'a Chosen, Option<&'a LeaseTerms>, Trigger);

/// Picks the webhooks of a batch's events (one query for all that go to their subscribers),
/// then writes the batch.
async fn publish_batch<C: GenericClient>(
    c: &C,
    items: &[Item<'_>],
    shard: i16,
) -> Result<Vec<Result<Published, StoreError>>, StoreError> {
    let asking: Vec<&Event> = items.iter().filter(|(_, only, _)| only.is_none()).map(|(e, _, _)| *e).collect();
    let mut found = subscribers(c, &asking).await?.into_iter();
    let chosen: Vec<Chosen> = items
        .iter()
        .map(|(e, only, _)| match only {
            Some(t) => Chosen { targets: vec![(*t).clone()], refused: vec![] },
            None => r::audience_of(found.next().unwrap_or_default(), e),
        })
        .collect();
    let items: Vec<Write> = items
        .iter()
        .zip(&chosen)
        .map(|((e, only, lease), t)| {
            // An event addressed to one webhook is a test send.
            let trigger = if only.is_some() { Trigger::Manual } else { Trigger::Auto };
            (*e, t, *lease, trigger)
        })
        .collect();
    write_batch(c, &items, shard).await
}

/// The candidate webhooks of each event, with their owners, in the events' order.
async fn subscribers<C: GenericClient>(
    c: &C,
    events: &[&Event],
) -> Result<Vec<Vec<(Target, Option<Member>)>>, StoreError> {
    let mut out: Vec<Vec<(Target, Option<Member>)>> = vec![Vec::new(); events.len()];
    if events.is_empty() {
        return Ok(out);
    }
    let sql = format!(
        "SELECT q.n, {cols}, {owner}
         FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS q (org_id, event_type, environment, n)
         JOIN webhook_event_types t ON t.event_type = q.event_type
           AND (t.org_id = q.org_id OR t.org_id = (SELECT o.parent_id FROM orgs o WHERE o.id = q.org_id))
         JOIN webhooks w ON w.id = t.webhook_id AND w.enabled AND w.environment = q.environment
           AND (t.org_id = q.org_id OR w.include_child_orgs)
         LEFT JOIN members m ON m.id = w.owner_id AND m.org_id = w.org_id",
        cols = TARGET_COLS,
        owner = r::OWNER_COLS,
    );
    let orgs: Vec<&str> = events.iter().map(|e| e.org_id.as_str()).collect();
    let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    let envs: Vec<&str> = events.iter().map(|e| e.environment.as_str()).collect();
    let rows = all(c, &sql, &[&orgs, &types, &envs], |row| {
        let n: i64 = row.try_get("n").map_err(map_err)?;
        Ok((n, r::target(row)?, r::owner(row)?))
    })
    .await?;
    for (n, target, owner) in rows {
        if let Some(slot) = usize::try_from(n - 1).ok().and_then(|i| out.get_mut(i)) {
            slot.push((target, owner));
        }
    }
    Ok(out)
}

/// Events and their deliveries from arrays, in one statement (one implicit transaction), with
/// the wake-up for other nodes when some delivery was not leased to this one. An event whose org does not exist is not written; one whose
/// `Idempotency-Key` is taken is not written either (the earlier event answers for it).
const WRITE_BATCH: &str = "WITH e AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
      $8::bigint[], $9::bigint[], $10::text[], $21::text[])
      AS e (id, org_id, event_type, payload, resource_url, environment, visible_to, occurred_at, created_at, idempotency_key, traceparent)
  ), ev AS (
    INSERT INTO events (id, org_id, event_type, payload, resource_url, environment, visible_to, occurred_at, created_at, idempotency_key, traceparent)
    SELECT e.* FROM e WHERE EXISTS (SELECT 1 FROM orgs o WHERE o.id = e.org_id)
    ON CONFLICT (org_id, idempotency_key) DO NOTHING
    RETURNING id
  ), dl AS (
    INSERT INTO deliveries (id, org_id, webhook_id, event_id, state, attempts, next_attempt_at, next_trigger, ordered, leased_by, created_at, updated_at)
    SELECT d.id, d.org_id, d.webhook_id, d.event_id, 'pending', 0, d.next_attempt_at, d.next_trigger, d.ordered, d.leased_by, d.created_at, d.created_at
    FROM unnest($11::text[], $12::text[], $13::text[], $14::text[], $15::boolean[], $16::bigint[], $17::bigint[], $18::text[], $20::text[])
      AS d (id, org_id, webhook_id, event_id, ordered, created_at, next_attempt_at, leased_by, next_trigger)
    WHERE d.event_id IN (SELECT id FROM ev)
    RETURNING leased_by IS NULL AS free
  ), h AS (
    INSERT INTO health (webhook_id, grain, start, k, shard, org_id, n)
    SELECT f.webhook_id, f.grain, f.start, 'f', $27::smallint, f.org_id, count(*)
    FROM unnest($22::text[], $23::bigint[], $24::bigint[], $25::text[], $26::text[])
      AS f (webhook_id, grain, start, org_id, event_id)
    WHERE f.event_id IN (SELECT id FROM ev)
    GROUP BY f.webhook_id, f.grain, f.start, f.org_id
    ORDER BY f.webhook_id, f.grain, f.start
    ON CONFLICT (webhook_id, grain, start, k, shard) DO UPDATE SET n = health.n + excluded.n
  )
  SELECT ev.id, (SELECT count(*) FROM (SELECT pg_notify($19, '') FROM dl WHERE free LIMIT 1) n) FROM ev";

/// [`WRITE_BATCH`]'s parameters, column by column.
#[derive(Default)]
struct Columns<'a> {
    id: Vec<&'a str>,
    org: Vec<&'a str>,
    event_type: Vec<&'a str>,
    payload: Vec<&'a str>,
    resource_url: Vec<Option<&'a str>>,
    environment: Vec<&'static str>,
    visible_to: Vec<String>,
    occurred_at: Vec<i64>,
    created_at: Vec<i64>,
    idempotency_key: Vec<Option<&'a str>>,
    traceparent: Vec<Option<&'a str>>,
    d_id: Vec<String>,
    d_org: Vec<&'a str>,
    d_webhook: Vec<&'a str>,
    d_event: Vec<&'a str>,
    d_ordered: Vec<bool>,
    d_created: Vec<i64>,
    d_next: Vec<i64>,
    d_leased_by: Vec<Option<&'a str>>,
    d_trigger: Vec<&'static str>,
    f_webhook: Vec<String>,
    f_grain: Vec<i64>,
    f_start: Vec<i64>,
    f_org: Vec<String>,
    f_event: Vec<&'a str>,
}

/// Writes the events of a batch; says for each what became of it.
async fn write_batch<C: GenericClient>(
    c: &C,
    items: &[Write<'_>],
    shard: i16,
) -> Result<Vec<Result<Published, StoreError>>, StoreError> {
    let mut cols = Columns::default();
    let mut deliveries: Vec<(Vec<DeliveryId>, Vec<crate::PublishedLease>)> = Vec::with_capacity(items.len());
    for (e, chosen, lease, trigger) in items {
        let (targets, created) = (&chosen.targets, ms(&e.created_at));
        cols.id.push(e.id.as_str());
        cols.org.push(e.org_id.as_str());
        cols.event_type.push(&e.event_type);
        cols.payload.push(&e.payload);
        cols.resource_url.push(e.resource_url.as_deref());
        cols.environment.push(e.environment.as_str());
        cols.visible_to.push(to_json(&e.visible_to));
        cols.occurred_at.push(ms(&e.occurred_at));
        cols.created_at.push(created);
        cols.idempotency_key.push(e.idempotency_key.as_deref());
        cols.traceparent.push(e.traceparent.as_deref());
        // Made with its event: retention removes both by the same clock.
        let ids: Vec<DeliveryId> = targets.iter().map(|_| DeliveryId::at(created.max(0) as u64)).collect();
        let mut leased = Vec::new();
        for ((t, id), start) in targets.iter().zip(&ids).zip(LeaseTerms::plan(*lease, targets, created)) {
            let until = start.leased_until();
            cols.d_id.push(id.to_string());
            cols.d_org.push(e.org_id.as_str());
            cols.d_webhook.push(t.id.as_str());
            cols.d_event.push(e.id.as_str());
            cols.d_ordered.push(t.ordered);
            cols.d_created.push(created);
            cols.d_next.push(start.next_attempt_at());
            cols.d_leased_by.push(until.and(lease.map(|l| l.node.as_str())));
            cols.d_trigger.push(trigger.as_str());
            if let Some(until) = until {
                leased.push(crate::PublishedLease::new(id.clone(), e, t, until, *trigger));
            }
        }
        deliveries.push((ids, leased));
        for count in chosen.filtered_counts(created) {
            cols.f_webhook.push(count.webhook_id.to_string());
            cols.f_grain.push(count.grain.seconds());
            cols.f_start.push(count.start_ms);
            cols.f_org.push(count.org_id.to_string());
            cols.f_event.push(e.id.as_str());
        }
    }
    let stmt = c.prepare_cached(WRITE_BATCH).await.map_err(map_err)?;
    let written: HashSet<String> = c
        .query(
            &stmt,
            &[
                &cols.id,
                &cols.org,
                &cols.event_type,
                &cols.payload,
                &cols.resource_url,
                &cols.environment,
                &cols.visible_to,
                &cols.occurred_at,
                &cols.created_at,
                &cols.idempotency_key,
                &cols.d_id,
                &cols.d_org,
                &cols.d_webhook,
                &cols.d_event,
                &cols.d_ordered,
                &cols.d_created,
                &cols.d_next,
                &cols.d_leased_by,
                &CHANNEL,
                &cols.d_trigger,
                &cols.traceparent,
                &cols.f_webhook,
                &cols.f_grain,
                &cols.f_start,
                &cols.f_org,
                &cols.f_event,
                &shard,
            ],
        )
        .await
        .map_err(map_err)?
        .iter()
        .map(|row| row.try_get::<_, String>(0).map_err(map_err))
        .collect::<Result<_, _>>()?;
    let mut results = Vec::with_capacity(items.len());
    for ((e, chosen, _, _), (deliveries, leased)) in items.iter().zip(deliveries) {
        let result = if written.contains(e.id.as_str()) {
            Ok(Published::new(e.id.clone(), deliveries, leased, chosen.refused.len()))
        } else {
            replay(c, e).await
        };
        results.push(result);
    }
    Ok(results)
}

/// An event the batch did not write: the earlier event with its `Idempotency-Key`, or, if
/// there is none, its org does not exist.
async fn replay<C: GenericClient>(c: &C, e: &Event) -> Result<Published, StoreError> {
    let Some(key) = &e.idempotency_key else { return Err(StoreError::NotFound) };
    let id =
        one(c, "SELECT id FROM events WHERE org_id = $1 AND idempotency_key = $2", &[&e.org_id.as_str(), key], |row| {
            row.try_get::<_, String>(0).map_err(map_err)
        })
        .await?;
    let event_id = EventId::parse(&id).map_err(|err| StoreError::Other(err.to_string().into()))?;
    Ok(Published::replayed(event_id, deliveries_of_event(c, &id).await?))
}
