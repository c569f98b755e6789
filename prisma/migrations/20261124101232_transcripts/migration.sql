-- AlterTable
ALTER TABLE "Media" ADD COLUMN     "transcriptId" TEXT,
ADD COLUMN     "translationIds" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "Transcript" (
    "id" TEXT NOT NULL,
    "audioSha256" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "language" TEXT,
    "durationMs" INTEGER NOT NULL,
    "segments" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Transcript_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TranscriptTranslation" (
    "id" TEXT NOT NULL,
    "transcriptId" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "languageKey" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "texts" JSONB NOT NULL,
    "inputTokens" INTEGER,
    "outputTokens" INTEGER,
    "costUsd" DOUBLE PRECISION,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TranscriptTranslation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Transcript_audioSha256_modelId_key" ON "Transcript"("audioSha256", "modelId");

-- CreateIndex
CREATE UNIQUE INDEX "TranscriptTranslation_transcriptId_languageKey_modelId_key" ON "TranscriptTranslation"("transcriptId", "languageKey", "modelId");

-- AddForeignKey
ALTER TABLE "Media" ADD CONSTRAINT "Media_transcriptId_fkey" FOREIGN KEY ("transcriptId") REFERENCES "Transcript"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TranscriptTranslation" ADD CONSTRAINT "TranscriptTranslation_transcriptId_fkey" FOREIGN KEY ("transcriptId") REFERENCES "Transcript"("id") ON DELETE CASCADE ON UPDATE CASCADE;
