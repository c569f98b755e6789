-- CreateTable
CREATE TABLE "UsageEvent" (
    "id" BIGSERIAL NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsageEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UsageEvent_userId_kind_createdAt_idx" ON "UsageEvent"("userId", "kind", "createdAt");

-- Today's usage so far, so the switch does not reset anyone's quota.
INSERT INTO "UsageEvent" ("userId", "kind", "amount", "createdAt")
SELECT c."userId", 'message', 1, m."createdAt"
FROM "Message" m JOIN "Conversation" c ON c."id" = m."conversationId"
WHERE m."role" = 'user' AND m."createdAt" > now() - interval '1 day';

INSERT INTO "UsageEvent" ("userId", "kind", "amount", "createdAt")
SELECT "userId", 'upload_bytes', "bytes", "createdAt" FROM "Media" WHERE "createdAt" > now() - interval '1 day';
