-- Admin charts and today's count read closed minutes from per-minute counts (kept by the worker's
-- stats rollup, packages/domain/src/stats-rollup.ts) and only the open tail from notifications. The
-- state starts empty at the rollup's retention horizon (8 days back, on a whole UTC minute): the
-- first rollup counts from there, never from the beginning of time, and until it runs every minute
-- is read from notifications as before.
CREATE TABLE "notification_minute_counts" (
	"minute" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "notification_minute_counts_minute_type_pk" PRIMARY KEY("minute","type")
);
--> statement-breakpoint
CREATE TABLE "stats_rollup_state" (
	"id" smallint PRIMARY KEY NOT NULL,
	"rolled_from" timestamp with time zone NOT NULL,
	"rolled_until" timestamp with time zone NOT NULL,
	CONSTRAINT "stats_rollup_state_one_row" CHECK ("stats_rollup_state"."id" = 1),
	CONSTRAINT "stats_rollup_state_range" CHECK ("stats_rollup_state"."rolled_from" <= "stats_rollup_state"."rolled_until")
);
--> statement-breakpoint
INSERT INTO "stats_rollup_state" ("id", "rolled_from", "rolled_until")
SELECT 1, m, m FROM (SELECT date_bin('1 minute', now() - interval '8 days', '2000-01-01 00:00:00+00'::timestamptz) AS m) horizon;
