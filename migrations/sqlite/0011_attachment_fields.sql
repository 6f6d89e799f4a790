-- Binary fields declared attachment (Odoo's attachment=True, as
-- res.partner's image_1920) keep their value in an ir.attachment record
-- instead of a column. Their values move out of the columns into this
-- table, which base.SyncModels empties into attachments (their content in
-- the filestore) once the schema has ir.attachment.
CREATE TABLE godoo_attachment_moves (
    model VARCHAR NOT NULL,
    field VARCHAR NOT NULL,
    res_id INTEGER NOT NULL,
    value TEXT NOT NULL
);

INSERT INTO godoo_attachment_moves (model, field, res_id, value)
    SELECT 'res.partner', 'image_1920', id, image_1920 FROM res_partner
    WHERE image_1920 IS NOT NULL AND image_1920 <> '';

ALTER TABLE res_partner DROP COLUMN image_1920;
