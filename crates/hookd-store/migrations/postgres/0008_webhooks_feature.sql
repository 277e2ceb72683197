-- Orgs made before the `webhooks` feature gated anything had webhooks: they keep them.
UPDATE orgs SET features = (features::jsonb || '["webhooks"]'::jsonb)::text
WHERE NOT (features::jsonb ? 'webhooks');
