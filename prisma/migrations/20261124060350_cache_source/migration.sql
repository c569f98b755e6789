-- AlterTable
ALTER TABLE "CacheEntry" ADD COLUMN     "sourceConversationId" TEXT;

-- CreateIndex
CREATE INDEX "CacheEntry_sourceConversationId_idx" ON "CacheEntry"("sourceConversationId");
