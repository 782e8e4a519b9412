CREATE TABLE "email_suppressions" (
	"address" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"detail" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_suppressions_reason_check" CHECK ("email_suppressions"."reason" in ('bounced', 'complained', 'manual'))
);
--> statement-breakpoint
ALTER TABLE "email_logs" ADD COLUMN "broadcast_id" uuid;--> statement-breakpoint
ALTER TABLE "email_logs" ADD COLUMN "kind" text DEFAULT 'notification' NOT NULL;--> statement-breakpoint
ALTER TABLE "email_logs" ADD COLUMN "dedupe_key" text;--> statement-breakpoint
UPDATE "email_logs" SET "dedupe_key" = 'legacy:' || "id"::text;--> statement-breakpoint
ALTER TABLE "email_logs" ALTER COLUMN "dedupe_key" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "email_logs" ADD COLUMN "digest_period" text;--> statement-breakpoint
ALTER TABLE "email_logs" ADD COLUMN "digest_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "email_logs" ADD COLUMN "digest_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "email_logs" ADD COLUMN "enqueued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD COLUMN "digest_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "email_logs" ADD CONSTRAINT "email_logs_broadcast_id_broadcasts_id_fk" FOREIGN KEY ("broadcast_id") REFERENCES "public"."broadcasts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "email_logs_dedupe_idx" ON "email_logs" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "email_logs_broadcast_idx" ON "email_logs" USING btree ("broadcast_id");--> statement-breakpoint
CREATE INDEX "email_logs_provider_idx" ON "email_logs" USING btree ("provider_message_id") WHERE "email_logs"."provider_message_id" is not null;--> statement-breakpoint
CREATE INDEX "email_logs_pending_idx" ON "email_logs" USING btree ("enqueued_at") WHERE "email_logs"."status" = 'queued';--> statement-breakpoint
ALTER TABLE "email_logs" ADD CONSTRAINT "email_logs_status_check" CHECK ("email_logs"."status" in ('queued', 'sent', 'failed', 'bounced', 'suppressed'));