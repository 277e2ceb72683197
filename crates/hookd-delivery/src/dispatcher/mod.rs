//! The one delivery path: claim → render → sign → authenticate → send → record.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hookd_core::envelope::Recipe;
use hookd_core::model::{
    Attempt, AttemptError, AttemptErrorKind, Destination, DestinationKind, RequestBody, Trigger, Webhook, WebhookAuth,
};
use hookd_core::operational::DisablePolicy;
use hookd_core::retry::RetryPolicy;
use hookd_core::rotation::RotatedOut;
use hookd_core::secret::MasterKey;
use hookd_core::signing::SigningSecret;
use hookd_core::{AttemptId, DeliveryId, WebhookId};
use hookd_store::{AttemptRecord, LeasedDelivery, Outcome, Saturated, Store, StoreError};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};

use crate::auth::TokenCache;
use crate::batching::Batches;
use crate::client::{HttpClients, Target};
use crate::destinations::Destinations;
use crate::handoff::{HandedLease, Handoff};
use crate::metrics::Metrics;
use crate::request;
use crate::shares::Shares;
use tracing::Instrument;

mod send;

use send::{Answer, Sent};

#[derive(Debug, Clone)]
pub struct DispatchConfig {
    /// Names this process in leases.
    pub node: String,
    /// How long a claim is ours before another worker may take it over.
    pub lease: Duration,
    /// Most requests in flight at once.
    pub concurrency: usize,
    pub retry: RetryPolicy,
    /// Longest sleep between looks at the queue when nothing wakes us.
    pub poll: Duration,
    /// When a webhook that keeps failing is disabled.
    pub disable: DisablePolicy,
    /// hookd's header names and user agent.
    pub wire: hookd_core::wire::Wire,
}

pub struct Dispatcher {
    store: Arc<dyn Store>,
    clients: Arc<HttpClients>,
    key: MasterKey,
    config: DispatchConfig,
    handoff: Arc<Handoff>,
    metrics: Arc<Metrics>,
    tokens: Arc<TokenCache>,
    limits: RateLimits,
    shares: Arc<Shares>,
    opened: OpenedSecrets,
    known: KnownWebhooks,
    destinations: Destinations,
}

/// A webhook's signing secrets and outbound credentials, opened, and its URL, parsed.
struct Opened {
    /// The revision of the webhook they were opened from: any edit or rotation makes a new one.
    revision: i64,
    current: SigningSecret,
    rotated_out: RotatedOut,
    auth: WebhookAuth,
    /// The webhook's URL, parsed (or why it does not parse).
    target: Result<Target, AttemptError>,
    /// Where it delivers, with its secrets (or why they cannot be read).
    destination: Result<Destination, AttemptError>,
}

/// Opened secrets and parsed URLs by webhook, so a delivery does not decrypt and parse them
/// again; an entry is used only for the revision of the webhook it was made from.
#[derive(Default)]
struct OpenedSecrets {
    by_webhook: std::sync::Mutex<HashMap<WebhookId, Arc<Opened>>>,
}

impl OpenedSecrets {
    /// Bounds the memory kept (and the plaintext kept in it) whatever the number of webhooks.
    const MAX: usize = 10_000;

    fn get(&self, key: &MasterKey, webhook: &Webhook) -> Result<Arc<Opened>, AttemptError> {
        if let Some(hit) = self.by_webhook.lock().ok().and_then(|m| m.get(&webhook.id).cloned())
            && hit.revision == webhook.revision
        {
            return Ok(hit);
        }
        let unreadable =
            |what: &str| AttemptError { kind: AttemptErrorKind::Auth, message: format!("the {what} cannot be read") };
        let (current, rotated_out) = request::open_signing(key, webhook)?;
        let auth: WebhookAuth = key
            .open(&webhook.auth)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| unreadable("stored credentials"))?;
        let target = Target::parse(&webhook.url);
        let destination = Destination::open(key, webhook.destination_kind, webhook.destination.as_ref())
            .ok_or_else(|| unreadable("destination's settings"));
        let opened = Arc::new(Opened { revision: webhook.revision, current, rotated_out, auth, target, destination });
        if let Ok(mut m) = self.by_webhook.lock() {
            if m.len() >= Self::MAX {
                m.clear();
            }
            m.insert(webhook.id.clone(), opened.clone());
        }
        Ok(opened)
    }
}

/// The webhooks of deliveries handed over at publish, as last read. A publish says which
/// revision of each webhook it saw, and every update of a webhook makes a new revision, so a
/// copy at that revision (or a later one) is what a read would give: no read per publish.
/// Kept behind `Arc`s, so a batch copies each webhook once, into its claim.
#[derive(Default)]
struct KnownWebhooks {
    by_id: std::sync::Mutex<HashMap<WebhookId, Arc<Webhook>>>,
}

impl KnownWebhooks {
    /// Bounds the memory kept whatever the number of webhooks.
    const MAX: usize = 10_000;

    /// The webhooks known at the revision wanted of each, or a later one.
    fn fresh(&self, wanted: &HashMap<WebhookId, i64>) -> HashMap<WebhookId, Arc<Webhook>> {
        let Ok(known) = self.by_id.lock() else { return HashMap::new() };
        wanted
            .iter()
            .filter_map(|(id, revision)| known.get(id).filter(|w| w.revision >= *revision))
            .map(|w| (w.id.clone(), w.clone()))
            .collect()
    }

    fn remember(&self, read: &[Arc<Webhook>]) {
        if let Ok(mut known) = self.by_id.lock() {
            for w in read {
                if known.len() >= Self::MAX {
                    known.clear();
                }
                known.insert(w.id.clone(), w.clone());
            }
        }
    }
}

/// Per-webhook token buckets for `options.rate_limit_per_s` (per node: each node of a cluster
/// allows the full rate).
#[derive(Default)]
struct RateLimits {
    buckets: std::sync::Mutex<HashMap<WebhookId, (f64, std::time::Instant)>>,
}

impl RateLimits {
    /// Takes one request's token; when there is none, says how long until there is.
    fn take(&self, webhook: &WebhookId, per_s: u32) -> Option<Duration> {
        let rate = f64::from(per_s.max(1));
        let now = std::time::Instant::now();
        let mut buckets = self.buckets.lock().ok()?;
        let (tokens, last) = buckets.entry(webhook.clone()).or_insert((rate, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * rate).min(rate);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            None
        } else {
            Some(Duration::from_secs_f64((1.0 - *tokens) / rate))
        }
    }
}

impl Dispatcher {
    pub fn new(
        store: Arc<dyn Store>,
        clients: Arc<HttpClients>,
        key: MasterKey,
        config: DispatchConfig,
        handoff: Arc<Handoff>,
        metrics: Arc<Metrics>,
    ) -> Self {
        let destinations = Destinations::new(clients.clone());
        Self {
            shares: Arc::new(Shares::new(config.concurrency)),
            store,
            clients,
            key,
            config,
            handoff,
            metrics,
            tokens: Arc::new(TokenCache::default()),
            limits: RateLimits::default(),
            opened: OpenedSecrets::default(),
            known: KnownWebhooks::default(),
            destinations,
        }
    }

    /// Runs until `shutdown` turns true, then waits for requests in flight.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let this = Arc::new(self);
        // Two bounds: requests on the wire, and finished attempts not yet written. A request's
        // slot frees when its answer is in, not when the recorder's commit is, so the commit
        // time does not eat into how many requests can be out.
        let sending = Arc::new(Semaphore::new(this.config.concurrency));
        // Once every slot is out, a quarter more for orgs below their even split of them: an
        // org that has all the slots to itself (hanging, say) cannot keep a newcomer waiting.
        let spare = Arc::new(Semaphore::new(Shares::spare(this.config.concurrency)));
        let unrecorded_max = this.config.concurrency * UNRECORDED_PER_SLOT;
        let unrecorded = Arc::new(Semaphore::new(unrecorded_max));
        let (records_tx, records_rx) = mpsc::unbounded_channel();
        let recorder = tokio::spawn(record(this.clone(), records_rx, shutdown.clone()));
        // When the database next needs a look: at once after a wake-up, else when its
        // earliest pending delivery falls due, and at least every `poll`. Handed-over deliveries
        // need no look at all.
        let mut look_at = Instant::now();
        let mut batches = Batches::default();
        loop {
            if *shutdown.borrow() {
                break;
            }
            if this.metrics.is_stalled() {
                // Attempts cannot be recorded: whatever is sent now would be sent again once
                // its lease ends. Wait for the recorder to write again.
                tokio::select! {
                    _ = tokio::time::sleep(STALLED_LOOK) => {}
                    _ = shutdown.changed() => {}
                }
                continue;
            }
            let pool = if sending.available_permits() > 0 {
                sending.clone()
            } else {
                // Only orgs below their share get a spare slot (the shares see to it); the
                // next share given back says that a slot is free again.
                this.shares.note_waiting();
                spare.clone()
            };
            let free = pool.available_permits().min(unrecorded.available_permits());
            if free == 0 {
                // Until a slot frees, normal or spare: with every normal slot held by requests
                // that hang, the spare one a newcomer's request holds frees long before them.
                tokio::select! {
                    p = sending.clone().acquire_owned() => drop(p),
                    p = spare.clone().acquire_owned() => drop(p),
                    _ = shutdown.changed() => {}
                }
                tokio::select! {
                    p = unrecorded.clone().acquire_owned() => drop(p),
                    _ = shutdown.changed() => {}
                }
                continue;
            }
            let free = free.min(512);
            // Deliveries of webhooks and orgs that have their share out wait: handed ones in
            // the hand-off, in order, and due ones in the database.
            let (handed, passed_over) = this.handoff.take(free, &mut this.shares.headroom(&this.metrics.circuits));
            if passed_over {
                this.shares.note_waiting();
            }
            let from_handoff = !handed.is_empty();
            let mut claims = this.claims_of(handed).await;
            if claims.len() < free && Instant::now() >= look_at {
                let asked = free - claims.len();
                let skip = this.shares.saturated();
                look_at = match this.store.claim_due(&this.config.node, this.config.lease, asked, &skip).await {
                    Ok(c) if c.len() == asked => {
                        claims.extend(c);
                        Instant::now()
                    }
                    Ok(c) => {
                        claims.extend(c);
                        this.next_look(&skip).await
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "claiming deliveries failed; retrying shortly");
                        Instant::now() + Duration::from_millis(500)
                    }
                };
            }
            let now = Instant::now();
            let mut groups = batches.add(claims, now);
            groups.extend(batches.due(now));
            if groups.is_empty() {
                if from_handoff {
                    continue;
                }
                let wake_at = batches.next_due().map_or(look_at, |b| b.min(look_at));
                tokio::select! {
                    _ = this.handoff.handed() => {}
                    _ = this.handoff.woken() => look_at = Instant::now(),
                    _ = this.shares.freed() => look_at = Instant::now(),
                    _ = tokio::time::sleep_until(wake_at.into()) => {}
                    _ = shutdown.changed() => {}
                }
                continue;
            }
            let mut over_share = Vec::new();
            for group in groups {
                let Some(share) = this.shares.take(&group[0].webhook, &this.metrics.circuits) else {
                    over_share.extend(group.into_iter().map(|c| c.delivery.id));
                    continue;
                };
                let Ok(slot) = pool.clone().acquire_owned().await else { break };
                let Ok(unwritten) = unrecorded.clone().acquire_owned().await else { break };
                let this = this.clone();
                let records_tx = records_tx.clone();
                tokio::spawn(async move {
                    this.metrics.in_flight.inc();
                    let ordered = group[0].webhook.options.ordered;
                    // On the heap: a request's state is large, and a spawned task's future is
                    // copied whole as the task is made and finished (README, Performance).
                    let span = trace_of(&group);
                    let records = Box::pin(this.deliver(group)).instrument(span.clone()).await;
                    this.metrics.in_flight.dec();
                    drop((share, slot));
                    // This permit goes with the records: it is released once they are written,
                    // and the span of their write ends then.
                    let written = hookd_telemetry::record(&span);
                    let _ = records_tx.send(Finished { records, permit: unwritten, ordered, written });
                });
            }
            // Over their share: back to the database, where claims pass over their webhook or
            // org until one of its requests ends.
            if !over_share.is_empty()
                && let Err(e) = this.store.release_leases(&this.config.node, &over_share).await
            {
                tracing::warn!(error = %e, "giving back {} deliveries over their share failed; they come due when their lease ends", over_share.len());
            }
        }
        // Deliveries handed over but not started go back to the database for any node now,
        // not when their lease runs out.
        let mut left: Vec<DeliveryId> = this.handoff.close().await.into_iter().map(|h| h.delivery.id).collect();
        left.extend(batches.drain().into_iter().map(|c| c.delivery.id));
        if !left.is_empty()
            && let Err(e) = this.store.release_leases(&this.config.node, &left).await
        {
            tracing::warn!(error = %e, "giving back {} leased deliveries failed; they come due when their lease ends", left.len());
        }
        // Let requests in flight finish and record, so a clean stop re-sends nothing.
        drop(records_tx);
        let _ = unrecorded.acquire_many(unrecorded_max as u32).await;
        let _ = recorder.await;
    }

    /// When the database should next be looked at, as far as it knows now. Not at once even
    /// if something is due: what a claim left behind is waiting (an ordered webhook's next
    /// delivery, say, whose turn comes with a wake-up from the recorder).
    async fn next_look(&self, skip: &Saturated) -> Instant {
        let wait = match self.store.next_due_at(skip).await {
            Ok(Some(t)) => (t - chrono::Utc::now()).to_std().unwrap_or(Duration::ZERO).min(self.config.poll),
            _ => self.config.poll,
        };
        Instant::now() + wait.max(MIN_LOOK)
    }

    /// Claims of deliveries leased when they were published, with their webhooks as the
    /// publish saw them or later: known ones from memory, the others read, once per batch. A
    /// delivery whose webhook is gone fails, as a claimed one would.
    async fn claims_of(&self, handed: Vec<HandedLease>) -> Vec<LeasedDelivery> {
        if handed.is_empty() {
            return vec![];
        }
        let mut wanted: HashMap<WebhookId, i64> = HashMap::new();
        for h in &handed {
            let revision = wanted.entry(h.delivery.webhook_id.clone()).or_insert(h.webhook_revision);
            *revision = (*revision).max(h.webhook_revision);
        }
        let mut webhooks = self.known.fresh(&wanted);
        let stale: Vec<WebhookId> = wanted.into_keys().filter(|id| !webhooks.contains_key(id)).collect();
        if !stale.is_empty() {
            match self.store.webhooks_by_id(&stale).await {
                Ok(found) => {
                    let found: Vec<Arc<Webhook>> = found.into_iter().map(Arc::new).collect();
                    self.known.remember(&found);
                    webhooks.extend(found.into_iter().map(|w| (w.id.clone(), w)));
                }
                Err(e) => {
                    // Still leased: they are claimed from the database when the lease runs out.
                    tracing::warn!(error = %e, "reading the webhooks of new deliveries failed");
                    return vec![];
                }
            }
        }
        let mut claims = Vec::with_capacity(handed.len());
        let mut orphans = Vec::new();
        for HandedLease { event, delivery, .. } in handed {
            match webhooks.get(&delivery.webhook_id) {
                Some(w) => claims.push(LeasedDelivery { delivery, event, webhook: Webhook::clone(w) }),
                None => orphans.push(AttemptRecord {
                    attempt: None,
                    org_id: delivery.org_id,
                    delivery_id: delivery.id,
                    webhook_id: delivery.webhook_id,
                    outcome: Outcome::Failed,
                    disable_webhook: None,
                }),
            }
        }
        if !orphans.is_empty()
            && let Err(e) = self.store.record_attempts(orphans.into()).await
        {
            tracing::warn!(error = %e, "failing the deliveries of a deleted webhook failed");
        }
        claims
    }

    /// Sends one request for a group of claims of one webhook and says what became of each.
    async fn deliver(&self, group: Vec<LeasedDelivery>) -> Vec<AttemptRecord> {
        let webhook = &group[0].webhook;
        // One record per claim; the attempt is moved into the last, so the common group of
        // one copies nothing.
        let records_for = |attempt: Option<Attempt>, outcome: Outcome, disable: Option<String>| -> Vec<AttemptRecord> {
            let mut records = Vec::with_capacity(group.len());
            let mut attempt = attempt;
            for (i, c) in group.iter().enumerate() {
                let attempt = if i + 1 == group.len() {
                    attempt.take().map(|a| Attempt { delivery_id: c.delivery.id.clone(), ..a })
                } else {
                    attempt.as_ref().map(|a| Attempt {
                        id: AttemptId::new(),
                        delivery_id: c.delivery.id.clone(),
                        ..a.clone()
                    })
                };
                records.push(AttemptRecord {
                    attempt,
                    org_id: c.delivery.org_id.clone(),
                    delivery_id: c.delivery.id.clone(),
                    webhook_id: c.delivery.webhook_id.clone(),
                    outcome: outcome.clone(),
                    disable_webhook: disable.clone(),
                });
            }
            records
        };
        let manual = group.iter().any(|c| c.delivery.next_trigger == Trigger::Manual);
        if !webhook.status.enabled && !manual {
            self.metrics.deliveries_failed.inc_by(group.len() as u64);
            return records_for(None, Outcome::Failed, None);
        }
        if let Some(per_s) = webhook.options.rate_limit_per_s
            && let Some(wait) = self.limits.take(&webhook.id, per_s)
        {
            // Over the webhook's rate: come back when a request is allowed, no attempt made.
            let at = chrono::Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default();
            return records_for(None, Outcome::RetryAt(at), None);
        }
        if webhook.destination_kind == DestinationKind::Poll {
            // Claimed after all (a re-send, or made before the webhook became `poll`): back
            // to waiting for its consumer, no attempt made.
            let waiting = chrono::DateTime::from_timestamp_millis(hookd_store::PULLED_AT_MS).unwrap_or_default();
            return records_for(None, Outcome::RetryAt(waiting), None);
        }
        let events: Vec<&hookd_core::model::Event> = group.iter().map(|c| &*c.event).collect();
        let first = &group[0].delivery;
        let trigger = if manual { Trigger::Manual } else { first.next_trigger };
        let sent_at = chrono::Utc::now();
        let recipe = Recipe::of(webhook);
        let started = Instant::now();
        let span = hookd_telemetry::attempt(&webhook.url, first.attempts + 1);
        let sending = self.send_request(webhook, &recipe, &first.id, &events);
        // Wrapped only while traces are exported: wrapping moves the whole unstarted future.
        let Sent { headers: req_headers, shaped, result } =
            if span.is_none() { sending.await } else { sending.instrument(span.clone()).await };
        // What a transformation sent is kept as sent; otherwise the body is made again from
        // the events when the attempt is read.
        let (url, request_body) = match shaped {
            Some((url, body)) => (url, RequestBody::Text(hookd_core::model::history_text(body))),
            None => (webhook.url.clone(), RequestBody::Rendered(recipe)),
        };
        // A request without an answer (a timeout, a refused connection) took time too.
        let took = match &result {
            Ok(Answer::Http(r)) => r.duration,
            Ok(Answer::Accepted(_, took)) => *took,
            Err(_) => started.elapsed(),
        };
        let duration_us = took.as_micros() as u64;
        let mut attempt = Attempt {
            id: AttemptId::new(),
            org_id: webhook.org_id.clone(),
            delivery_id: first.id.clone(),
            webhook_id: webhook.id.clone(),
            event_ids: events.iter().map(|e| e.id.clone()).collect(),
            event_types: events.iter().map(|e| e.event_type.clone()).collect(),
            url,
            sent_at,
            response_status: None,
            duration_us,
            error: None,
            trigger,
            request_headers: req_headers,
            request_body,
            response_headers: vec![],
            response_body: String::new(),
        };
        let mut retry_after = None;
        match result {
            Ok(Answer::Http(resp)) => {
                attempt.response_status = Some(resp.status);
                attempt.response_headers = resp.headers;
                attempt.response_body = resp.body;
                retry_after = resp.retry_after.filter(|_| matches!(resp.status, 429 | 503));
            }
            Ok(Answer::Accepted(accepted, _)) => attempt.response_body = accepted.text(),
            Err(e) => attempt.error = Some(e),
        }
        let error = attempt.error.as_ref().map(|e| e.kind.as_str());
        hookd_telemetry::attempted(&span, attempt.response_status, error, duration_us as f64 / 1000.0);
        let timed_out = attempt.error.as_ref().is_some_and(|e| e.kind == AttemptErrorKind::Timeout);
        self.metrics.circuits.note(&webhook.id, timed_out);
        self.metrics.attempt(hookd_core::health::result_class(&attempt), took);
        for c in group.iter().filter(|c| c.delivery.attempts == 0 && c.delivery.next_trigger != Trigger::Manual) {
            self.metrics.first_attempt_lag((sent_at - c.delivery.created_at).to_std().unwrap_or_default());
        }
        if attempt.error.as_ref().is_some_and(|e| e.kind == AttemptErrorKind::Cancelled) {
            return records_for(Some(attempt), Outcome::Cancelled, None);
        }
        if attempt.succeeded() {
            return records_for(Some(attempt), Outcome::Succeeded, None);
        }
        if attempt.response_status == Some(410) {
            self.metrics.webhooks_disabled.inc();
            self.metrics.deliveries_failed.inc_by(group.len() as u64);
            let reason = "The receiver answered 410 Gone, so this webhook was disabled.".to_owned();
            return records_for(Some(attempt), Outcome::Failed, Some(reason));
        }
        let failures = first.attempts + 1;
        // A refused address stays refused: retrying it would only burn the schedule.
        let refused = attempt.error.as_ref().is_some_and(|e| e.kind == AttemptErrorKind::Ssrf);
        match self.config.retry.next_delay(failures, retry_after).filter(|_| !refused) {
            Some(delay) => {
                let at = chrono::Utc::now() + chrono::Duration::from_std(delay).unwrap_or_default();
                records_for(Some(attempt), Outcome::RetryAt(at), None)
            }
            None => {
                self.metrics.deliveries_failed.inc_by(group.len() as u64);
                // The claim's copy of the streak is a moment old; one more failure is this one.
                let failed = webhook.failed_deliveries + group.len() as u32;
                let since = webhook.failing_since.or(Some(sent_at));
                let disable = self.config.disable.should_disable(since, failed, chrono::Utc::now()).then(|| {
                    self.metrics.webhooks_disabled.inc();
                    self.config.disable.reason(failed)
                });
                records_for(Some(attempt), Outcome::Failed, disable)
            }
        }
    }
}

/// How often a stalled node looks whether its attempts are recorded again, and the first
/// pause before writing a refused batch again.
const STALLED_LOOK: Duration = Duration::from_millis(100);
/// The longest pause between writes of a refused batch.
const MAX_RECORD_PAUSE: Duration = Duration::from_secs(5);

/// Shortest pause between looks at the database that found less than it asked for.
const MIN_LOOK: Duration = Duration::from_millis(25);

/// Finished attempts waiting for the recorder, per request slot, at most: the work a crash
/// would send again is bounded by `concurrency` times this.
const UNRECORDED_PER_SLOT: usize = 4;

/// A group's attempts on their way to the recorder.
struct Finished {
    records: Vec<AttemptRecord>,
    /// Released once the records are written.
    permit: OwnedSemaphorePermit,
    /// Of an ordered webhook: once written, its next delivery may be claimed.
    ordered: bool,
    /// The span of their write, while traces are exported.
    written: tracing::Span,
}

/// The span of sending a group, in the trace of its first event's publish.
fn trace_of(group: &[LeasedDelivery]) -> tracing::Span {
    if !hookd_telemetry::on() {
        return tracing::Span::none();
    }
    let published: Vec<Option<&str>> = group.iter().map(|c| c.event.traceparent.as_deref()).collect();
    hookd_telemetry::delivery(group[0].webhook.id.as_str(), group[0].delivery.id.as_str(), &published)
}

/// Writes finished attempts, as many at a time as have piled up: one transaction (and one
/// fsync) for a whole batch instead of one per request. A batch the database refuses is
/// written again, with growing pauses, until it is taken or the node stops; meanwhile the
/// node is stalled: it claims and sends nothing, and says why in `/readyz`.
async fn record(this: Arc<Dispatcher>, mut rx: mpsc::UnboundedReceiver<Finished>, shutdown: watch::Receiver<bool>) {
    const MAX_BATCH: usize = 512;
    while let Some(first) = rx.recv().await {
        let mut ordered = first.ordered;
        let mut records = first.records;
        let mut permits = vec![first.permit];
        // Spans are kept only while traces are exported: no allocation per batch otherwise.
        let mut spans = Vec::new();
        if !first.written.is_none() {
            spans.push(first.written);
        }
        while records.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(more) => {
                    ordered |= more.ordered;
                    records.extend(more.records);
                    permits.push(more.permit);
                    if !more.written.is_none() {
                        spans.push(more.written);
                    }
                }
                Err(_) => break,
            }
        }
        if write_until_taken(&this, Arc::new(records), &shutdown).await && ordered {
            this.handoff.wake();
        }
        drop((permits, spans));
    }
}

/// Writes `records`, again and again while the database refuses them; false if the node
/// stopped first (the leases end and the deliveries are sent again: at least once).
async fn write_until_taken(
    this: &Dispatcher,
    records: Arc<Vec<AttemptRecord>>,
    shutdown: &watch::Receiver<bool>,
) -> bool {
    let mut pause = STALLED_LOOK;
    loop {
        match this.store.record_attempts(records.clone()).await {
            Ok(()) => {
                this.metrics.set_stalled(None);
                return true;
            }
            Err(e) => {
                this.metrics.recording_failures.inc();
                let full = matches!(e, StoreError::Full(_));
                if full {
                    this.metrics.set_full(true);
                }
                tracing::error!(error = %e, "recording attempts failed; sending stops until they are recorded");
                let what_to_do = if full { "free space on the database's disk: " } else { "" };
                this.metrics.set_stalled(Some(format!(
                    "attempts cannot be recorded ({e}); {what_to_do}this node sends nothing until they are"
                )));
                if *shutdown.borrow() {
                    return false;
                }
                let mut stop = shutdown.clone();
                tokio::select! {
                    _ = tokio::time::sleep(pause) => {}
                    _ = stop.changed() => {}
                }
                pause = (pause * 2).min(MAX_RECORD_PAUSE);
            }
        }
    }
}
