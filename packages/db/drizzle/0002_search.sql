-- Inbox search (`GET /v1/notifications?q=`). Both extensions ship with PostgreSQL (contrib) and are
-- trusted, so the database owner may create them. On a large table, build the index beforehand with
-- CREATE INDEX CONCURRENTLY (the same definition): this migration runs in a transaction, where it
-- would hold writes to notifications for the whole build, and IF NOT EXISTS then skips it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "notifications_search_idx" ON "notifications" USING gin ("user_id","title" gin_trgm_ops,"body" gin_trgm_ops) WHERE "notifications"."seq" is not null and "notifications"."deleted_at" is null and "notifications"."published_at" is not null;
