-- The sections of a target's last applied document that its source could not read, with the
-- reason ({"dns_records": "permission_denied: …"}), so the scan status can say why its checks are
-- ERROR. Null when the document had every section. Written with last_result_at.
alter table targets add column section_errors jsonb;
