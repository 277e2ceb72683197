-- Orgs made before the `webhooks` feature gated anything had webhooks: they keep them.
UPDATE orgs SET features = json_insert(features, '$[#]', 'webhooks')
WHERE NOT EXISTS (SELECT 1 FROM json_each(orgs.features) WHERE json_each.value = 'webhooks');
