//! The store suite: written once against `&dyn Store`, run on every backend.

mod suite;

use std::sync::Arc;

use hookd_store::Store;
use hookd_store::postgres::PostgresStore;
use hookd_store::sqlite::SqliteStore;
use hookd_testkit::TempPostgres;

/// A SQLite store in a fresh temp dir, removed when the guard drops.
async fn temp_sqlite() -> (Arc<dyn Store>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(&dir.path().join("hookd.db")).await.expect("open sqlite");
    (Arc::new(store), dir)
}

/// A fresh database on this test process's throwaway PostgreSQL cluster.
async fn temp_postgres() -> (Arc<dyn Store>, ()) {
    let url = tokio::task::spawn_blocking(|| TempPostgres::shared().database()).await.expect("cluster");
    let store = PostgresStore::connect(&url, 4).await.expect("connect postgres");
    (Arc::new(store), ())
}

/// Expands every case of the suite into one test per backend, named `backend::case`.
macro_rules! store_suite {
    ($backend:ident => $make:path) => {
        mod $backend {
            macro_rules! case {
                ($name:ident) => {
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn $name() {
                        let (store, _guard) = $make().await;
                        crate::suite::$name(store.as_ref()).await;
                    }
                };
            }
            case!(orgs_and_members_are_scoped_to_their_org);
            case!(tokens_are_found_by_hash_only);
            case!(orgs_are_edited_and_listed);
            case!(the_catalog_is_upserted_and_listed_by_group);
            case!(delivery_states_follow_their_deliveries);
            case!(login_links_work_once_and_sessions_expire);
            case!(the_audit_log_is_kept_per_org_newest_first);
            case!(changes_are_noted_with_their_audit_entry_or_not_at_all);
            case!(webhook_listing_pages_every_sort_without_gaps);
            case!(publish_is_idempotent_by_key);
            case!(claims_lease_and_expired_leases_come_back);
            case!(claims_pass_over_saturated_webhooks_and_orgs);
            case!(publishing_leases_new_deliveries_to_its_node);
            case!(every_webhook_change_makes_a_new_revision);
            case!(edits_write_only_what_they_name);
            case!(status_changes_are_announced_once);
            case!(settings_keep_the_first_value_they_are_initialised_with);
            case!(recorded_outcomes_move_deliveries);
            case!(ordered_webhooks_claim_only_their_oldest_delivery);
            case!(resend_and_recover_make_deliveries_due);
            case!(resend_during_an_attempt_sends_once_more);
            case!(deleting_webhooks_fails_their_pending_deliveries);
            case!(subscribers_are_matched_by_type_environment_org_and_owner);
            case!(attempt_history_filters_and_searches);
            case!(rendered_request_bodies_are_made_again_from_their_events);
            case!(retention_prunes_old_finished_work_only);
            case!(health_counts_what_was_recorded_per_webhook_and_org);
            case!(events_are_listed_newest_first_with_their_deliveries_counted);
            case!(health_counts_are_pruned_when_their_grain_is_no_longer_read);
            case!(filters_choose_subscribers_and_count_what_they_refused);
            case!(transformations_are_stored_edited_and_removed);
            case!(pulled_deliveries_wait_for_their_consumer);
        }
    };
}

store_suite!(sqlite => crate::temp_sqlite);
store_suite!(postgres => crate::temp_postgres);

/// One SQLite process owns its file: there is no other node to hear from, and its own API
/// wakes its dispatcher directly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_has_no_other_node_to_hear_from() {
    let (s, _guard) = temp_sqlite().await;
    assert!(!suite::woken_by_work_made_due_elsewhere(s.as_ref(), s.as_ref()).await);
}

/// PostgreSQL nodes hear of each other's work through LISTEN/NOTIFY.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_nodes_hear_of_work_made_due_by_another() {
    let url = tokio::task::spawn_blocking(|| TempPostgres::shared().database()).await.expect("cluster");
    let watcher = PostgresStore::connect(&url, 2).await.expect("connect");
    let other = PostgresStore::connect(&url, 2).await.expect("connect");
    assert!(suite::woken_by_work_made_due_elsewhere(&watcher, &other).await);
}

/// Orgs made before the `webhooks` feature gated anything keep their webhooks: migration 8
/// adds the feature to each (once), on both backends.
async fn orgs_keep_webhooks(s: &dyn Store, orgs: &[hookd_core::OrgId]) {
    let none = s.get_org(&orgs[0]).await.unwrap();
    let beta = s.get_org(&orgs[1]).await.unwrap();
    let already = s.get_org(&orgs[2]).await.unwrap();
    assert_eq!(none.features, vec!["webhooks".to_owned()]);
    assert_eq!(beta.features, vec!["beta".to_owned(), "webhooks".to_owned()]);
    assert_eq!(already.features, vec!["webhooks".to_owned()]);
}

/// Undoes the migrations after 8 (each backend then forgets 8 and later).
const BEFORE_MIGRATION_8: &str = "DROP TABLE audit; DROP TABLE health; DROP INDEX events_org;
    ALTER TABLE attempts DROP COLUMN duration_us; ALTER TABLE attempts DROP COLUMN event_types;
    ALTER TABLE events DROP COLUMN traceparent; ALTER TABLE webhooks DROP COLUMN filter;
    ALTER TABLE webhooks DROP COLUMN transformation; ALTER TABLE webhooks DROP COLUMN destination_type;
    ALTER TABLE webhooks DROP COLUMN destination;";

async fn old_orgs(s: &dyn Store) -> Vec<hookd_core::OrgId> {
    let mut ids = vec![];
    for features in [vec![], vec!["beta".to_owned()], vec!["webhooks".to_owned()]] {
        let o = suite::org(s, None).await;
        s.update_org(&hookd_core::model::Org { features, ..o.clone() }, &crate::suite::build::noted()).await.unwrap();
        ids.push(o.id);
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_migration_8_keeps_old_orgs_webhooks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hookd.db");
    let ids = {
        let s = SqliteStore::open(&path).await.unwrap();
        old_orgs(&s).await
    };
    // As the database was before migration 8.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(&format!("{BEFORE_MIGRATION_8} PRAGMA user_version = 7"))
        .unwrap();
    let s = SqliteStore::open(&path).await.unwrap();
    orgs_keep_webhooks(&s, &ids).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_migration_8_keeps_old_orgs_webhooks() {
    let url = tokio::task::spawn_blocking(|| TempPostgres::shared().database()).await.expect("cluster");
    let ids = old_orgs(&PostgresStore::connect(&url, 2).await.unwrap()).await;
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let undo = format!("{BEFORE_MIGRATION_8} DELETE FROM schema_migrations WHERE version >= 8");
    client.batch_execute(&undo).await.unwrap();
    let s = PostgresStore::connect(&url, 2).await.unwrap();
    orgs_keep_webhooks(&s, &ids).await;
}
