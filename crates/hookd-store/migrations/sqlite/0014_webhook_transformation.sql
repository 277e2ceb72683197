-- A webhook's transformation, as JSON {"code", "enabled"} (hookd_core::model::Transformation):
-- NULL for none.
ALTER TABLE webhooks ADD COLUMN transformation TEXT;
