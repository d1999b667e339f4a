-- The audit log is append-only (security.md AU-03): UPDATE and DELETE are refused by a trigger.
-- A superuser can still disable the trigger; the hash chain (npm run audit:verify) detects what they change.
CREATE OR REPLACE FUNCTION miaopu_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION miaopu_audit_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION miaopu_audit_append_only();
