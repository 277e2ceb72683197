//! Recording a batch of attempts on PostgreSQL: one statement, its parameters column by
//! column (see [`RECORD`]).

use tokio_postgres::types::{ToSql, Type};

use crate::rows::{self as r, ms, to_json};
use crate::{AttemptRecord, Outcome};
use hookd_core::model::DeliveryState;

/// A batch of attempt records as one statement: the attempts inserted, their deliveries moved
/// on, and one update per webhook, each from arrays (`unnest`), so its cost does not grow
/// with round trips. A manual re-send requested while an attempt was in flight keeps its
/// delivery due. A healthy webhook's row is left alone unless `last_triggered_at` moves by a
/// second or more: every node's batches would otherwise queue on that one row lock. For the
/// same reason each node adds its health counts to rows of its own shard.
pub(super) const RECORD: &str = "WITH a AS (
    INSERT INTO attempts (id, org_id, delivery_id, webhook_id, event_ids, url, sent_at, response_status, duration_ms,
      error_kind, error_message, trigger, request_headers, request_body, request_recipe, response_headers, response_body,
      duration_us, event_types)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[],
      $8::bigint[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
      $16::text[], $17::text[], $29::bigint[], $30::text[])
  ), h AS (
    INSERT INTO health (webhook_id, grain, start, k, shard, org_id, n)
    SELECT u.w, u.g, u.s, u.k, $37::smallint, u.o, u.n
    FROM unnest($31::text[], $32::bigint[], $33::bigint[], $34::text[], $35::text[], $36::bigint[]) AS u (w, g, s, k, o, n)
    ON CONFLICT (webhook_id, grain, start, k, shard) DO UPDATE SET n = health.n + excluded.n
  ), d AS (
    UPDATE deliveries SET
      state = CASE WHEN next_trigger = 'manual' AND NOT u.manual THEN 'pending' ELSE u.state END,
      next_attempt_at = CASE WHEN next_trigger = 'manual' AND NOT u.manual THEN $28::bigint ELSE u.next END,
      next_trigger = CASE WHEN u.counted = 0 THEN next_trigger
                          WHEN next_trigger = 'manual' AND NOT u.manual THEN 'manual' ELSE 'retry' END,
      attempts = attempts + u.counted, leased_by = NULL, updated_at = $28::bigint
    FROM unnest($18::text[], $19::text[], $20::bigint[], $21::bigint[], $22::boolean[]) AS u (id, state, next, counted, manual)
    WHERE deliveries.id = u.id
  )
  UPDATE webhooks w SET
    last_triggered_at = CASE WHEN e.reset THEN e.sent ELSE GREATEST(COALESCE(w.last_triggered_at, 0), e.sent) END,
    failing_since = CASE WHEN e.reset THEN e.since ELSE COALESCE(w.failing_since, e.since) END,
    failed_deliveries = CASE WHEN e.reset THEN e.failed ELSE w.failed_deliveries + e.failed END,
    revision = w.revision + 1
  FROM unnest($23::text[], $24::bigint[], $25::bigint[], $26::bigint[], $27::boolean[]) AS e (id, sent, since, failed, reset)
  WHERE w.id = e.id AND (NOT e.reset OR w.failing_since IS DISTINCT FROM e.since OR w.failed_deliveries <> e.failed
    OR w.last_triggered_at IS NULL OR w.last_triggered_at < e.sent - 1000)";

/// [`RECORD`]'s parameters, column by column.
#[derive(Default)]
pub(super) struct RecordBatch {
    a_id: Vec<String>,
    a_org: Vec<String>,
    a_delivery: Vec<String>,
    a_webhook: Vec<String>,
    a_events: Vec<String>,
    a_url: Vec<String>,
    a_sent: Vec<i64>,
    a_status: Vec<Option<i64>>,
    a_duration: Vec<i64>,
    a_error_kind: Vec<Option<&'static str>>,
    a_error_message: Vec<Option<String>>,
    a_trigger: Vec<&'static str>,
    a_req_headers: Vec<String>,
    a_req_body: Vec<String>,
    a_req_recipe: Vec<Option<String>>,
    a_resp_headers: Vec<String>,
    a_resp_body: Vec<String>,
    d_id: Vec<String>,
    d_state: Vec<&'static str>,
    d_next: Vec<Option<i64>>,
    d_counted: Vec<i64>,
    d_manual: Vec<bool>,
    w_id: Vec<String>,
    w_sent: Vec<i64>,
    w_since: Vec<Option<i64>>,
    w_failed: Vec<i64>,
    w_reset: Vec<bool>,
    now: i64,
    a_duration_us: Vec<i64>,
    a_event_types: Vec<String>,
    h_webhook: Vec<String>,
    h_grain: Vec<i64>,
    h_start: Vec<i64>,
    h_key: Vec<String>,
    h_org: Vec<String>,
    h_n: Vec<i64>,
    shard: i16,
}

impl RecordBatch {
    pub(super) fn new(records: &[AttemptRecord], now: i64, shard: i16) -> Self {
        let mut b = RecordBatch { now, shard, ..Default::default() };
        for h in hookd_core::health::roll_up(records.iter().filter_map(|r| r.attempt.as_ref())) {
            b.h_webhook.push(h.webhook_id.to_string());
            b.h_grain.push(h.grain.seconds());
            b.h_start.push(h.start_ms);
            b.h_key.push(h.key);
            b.h_org.push(h.org_id.to_string());
            b.h_n.push(h.n);
        }
        for rec in records {
            if let Some(a) = &rec.attempt {
                b.a_id.push(a.id.to_string());
                b.a_org.push(a.org_id.to_string());
                b.a_delivery.push(a.delivery_id.to_string());
                b.a_webhook.push(a.webhook_id.to_string());
                b.a_events.push(to_json(&a.event_ids));
                b.a_url.push(a.url.clone());
                b.a_sent.push(ms(&a.sent_at));
                b.a_status.push(a.response_status.map(i64::from));
                b.a_duration.push((a.duration_us / 1000) as i64);
                b.a_duration_us.push(a.duration_us as i64);
                b.a_event_types.push(to_json(&a.event_types));
                b.a_error_kind.push(a.error.as_ref().map(|e| e.kind.as_str()));
                b.a_error_message.push(a.error.as_ref().map(|e| e.message.clone()));
                b.a_trigger.push(a.trigger.as_str());
                b.a_req_headers.push(to_json(&a.request_headers));
                b.a_req_body.push(r::body_text(&a.request_body).to_owned());
                b.a_req_recipe.push(r::body_recipe(&a.request_body));
                b.a_resp_headers.push(to_json(&a.response_headers));
                b.a_resp_body.push(a.response_body.clone());
            }
            let (state, next) = match &rec.outcome {
                Outcome::Succeeded => (DeliveryState::Succeeded, None),
                Outcome::RetryAt(t) => (DeliveryState::Pending, Some(ms(t))),
                Outcome::Failed => (DeliveryState::Failed, None),
                Outcome::Cancelled => (DeliveryState::Cancelled, None),
            };
            b.d_id.push(rec.delivery_id.to_string());
            b.d_state.push(state.as_str());
            b.d_next.push(next);
            b.d_counted.push(rec.attempt.is_some() as i64);
            b.d_manual.push(rec.attempt.as_ref().is_none_or(|a| a.trigger == hookd_core::model::Trigger::Manual));
        }
        let mut effects = crate::webhook_effects(records);
        // Rows locked in one order by every node: concurrent batches cannot deadlock.
        effects.sort_by(|x, y| x.webhook_id.as_str().cmp(y.webhook_id.as_str()));
        for e in effects {
            b.w_id.push(e.webhook_id.to_string());
            b.w_sent.push(ms(&e.last_triggered_at));
            b.w_since.push(e.failing_since.as_ref().map(ms));
            b.w_failed.push(e.failed_deliveries);
            b.w_reset.push(e.reset);
        }
        b
    }

    /// The values in [`RECORD`]'s order, each with its type (it goes unprepared: see
    /// [`all_planned`]).
    pub(super) fn params(&self) -> [(&(dyn ToSql + Sync), Type); 37] {
        [
            (&self.a_id, Type::TEXT_ARRAY),
            (&self.a_org, Type::TEXT_ARRAY),
            (&self.a_delivery, Type::TEXT_ARRAY),
            (&self.a_webhook, Type::TEXT_ARRAY),
            (&self.a_events, Type::TEXT_ARRAY),
            (&self.a_url, Type::TEXT_ARRAY),
            (&self.a_sent, Type::INT8_ARRAY),
            (&self.a_status, Type::INT8_ARRAY),
            (&self.a_duration, Type::INT8_ARRAY),
            (&self.a_error_kind, Type::TEXT_ARRAY),
            (&self.a_error_message, Type::TEXT_ARRAY),
            (&self.a_trigger, Type::TEXT_ARRAY),
            (&self.a_req_headers, Type::TEXT_ARRAY),
            (&self.a_req_body, Type::TEXT_ARRAY),
            (&self.a_req_recipe, Type::TEXT_ARRAY),
            (&self.a_resp_headers, Type::TEXT_ARRAY),
            (&self.a_resp_body, Type::TEXT_ARRAY),
            (&self.d_id, Type::TEXT_ARRAY),
            (&self.d_state, Type::TEXT_ARRAY),
            (&self.d_next, Type::INT8_ARRAY),
            (&self.d_counted, Type::INT8_ARRAY),
            (&self.d_manual, Type::BOOL_ARRAY),
            (&self.w_id, Type::TEXT_ARRAY),
            (&self.w_sent, Type::INT8_ARRAY),
            (&self.w_since, Type::INT8_ARRAY),
            (&self.w_failed, Type::INT8_ARRAY),
            (&self.w_reset, Type::BOOL_ARRAY),
            (&self.now, Type::INT8),
            (&self.a_duration_us, Type::INT8_ARRAY),
            (&self.a_event_types, Type::TEXT_ARRAY),
            (&self.h_webhook, Type::TEXT_ARRAY),
            (&self.h_grain, Type::INT8_ARRAY),
            (&self.h_start, Type::INT8_ARRAY),
            (&self.h_key, Type::TEXT_ARRAY),
            (&self.h_org, Type::TEXT_ARRAY),
            (&self.h_n, Type::INT8_ARRAY),
            (&self.shard, Type::INT2),
        ]
    }
}
