-- An attempt made by rendering its events keeps how (its recipe, as JSON) instead of the body:
-- the body is made again from the events when the attempt is read. NULL: request_body is the body.
ALTER TABLE attempts ADD COLUMN request_recipe TEXT;
