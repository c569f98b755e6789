-- CreateEnum
CREATE TYPE "VideoJobStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'canceled');

-- AlterTable
ALTER TABLE "Media" ADD COLUMN     "durationMs" INTEGER,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'image';

-- CreateTable
CREATE TABLE "VideoJob" (
    "mediaId" TEXT NOT NULL,
    "status" "VideoJobStatus" NOT NULL DEFAULT 'queued',
    "stage" TEXT NOT NULL DEFAULT 'probe',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "queueJobId" TEXT,
    "modelId" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "framesDone" BOOLEAN NOT NULL DEFAULT false,
    "summary" TEXT,
    "modelCalls" INTEGER NOT NULL DEFAULT 0,
    "cachedCalls" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VideoJob_pkey" PRIMARY KEY ("mediaId")
);

-- CreateTable
CREATE TABLE "VideoFrame" (
    "mediaId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "timeMs" INTEGER NOT NULL,
    "endMs" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "thumbKey" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "caption" TEXT,

    CONSTRAINT "VideoFrame_pkey" PRIMARY KEY ("mediaId","index")
);

-- CreateIndex
CREATE INDEX "VideoJob_status_updatedAt_idx" ON "VideoJob"("status", "updatedAt");

-- AddForeignKey
ALTER TABLE "VideoJob" ADD CONSTRAINT "VideoJob_mediaId_fkey" FOREIGN KEY ("mediaId") REFERENCES "Media"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VideoFrame" ADD CONSTRAINT "VideoFrame_mediaId_fkey" FOREIGN KEY ("mediaId") REFERENCES "Media"("id") ON DELETE CASCADE ON UPDATE CASCADE;
