-- Admin charts and today's counts (`GET /v1/admin/stats/timeseries`, `GET /v1/admin/stats`): rows by
-- UTC minute, then type (status), read from the index alone in the order a chart groups them. The key
-- expression must stay exactly as the queries spell it. On a large table, build these beforehand with
-- CREATE INDEX CONCURRENTLY (the same definitions): this migration runs in a transaction, where it
-- would hold writes to the table for the whole build, and IF NOT EXISTS then skips it.
CREATE INDEX IF NOT EXISTS "email_logs_queued_minute_idx" ON "email_logs" USING btree (date_bin('1 minute', "queued_at", '2000-01-01 00:00:00+00'::timestamptz),"status","queued_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "notifications_created_minute_idx" ON "notifications" USING btree (date_bin('1 minute', "created_at", '2000-01-01 00:00:00+00'::timestamptz),"type","created_at") WHERE "notifications"."seq" is not null;
