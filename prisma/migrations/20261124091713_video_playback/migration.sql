-- AlterTable
ALTER TABLE "Media" ADD COLUMN     "playbackKey" TEXT;
