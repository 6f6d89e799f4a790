-- Custom html fields (ir.model.fields rows of state manual) made before
-- godoo sanitized them hold sanitize false: the field had no default then,
-- so its column's false was stored, and nothing read it. Every such field existing when this migration runs is taken as
-- made before the sanitizer and kept here by id; base.SanitizeOldHTMLFields,
-- run after the schema step (which adds the sanitize column to databases
-- older still), sets their sanitize to true and empties the table.
CREATE TABLE godoo_html_sanitize (
    field_id INTEGER PRIMARY KEY
);

INSERT INTO godoo_html_sanitize (field_id)
    SELECT id FROM ir_model_fields WHERE state = 'manual' AND ttype = 'html';
