//! The activity token live pages poll: one database read per org per interval, whatever the
//! number of pages asking, and another org's token is not this org's.

use serde_json::json;

use super::world;
use crate::Actor;

#[tokio::test]
async fn the_activity_token_is_read_once_an_interval_and_follows_publishing() {
    let w = world(false).await;
    let op = Actor::Operator;
    let first = w.ops.activity(&op, &w.a).await.unwrap();
    let event = serde_json::from_value(json!({"type": "user.created", "payload": {"id": 2}})).unwrap();
    w.ops.publish(&op, &w.a, event, Default::default()).await.unwrap();
    // Many pages asking at once within the interval get the token read before: no query each.
    for _ in 0..100 {
        assert_eq!(w.ops.activity(&op, &w.a).await.unwrap(), first);
    }
    let deadline = std::time::Instant::now() + crate::events::ACTIVITY_EVERY * 3;
    while w.ops.activity(&op, &w.a).await.unwrap() == first {
        assert!(std::time::Instant::now() < deadline, "the token never followed the publish");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_ne!(w.ops.activity(&op, &w.b).await.unwrap(), w.ops.activity(&op, &w.a).await.unwrap());
}
