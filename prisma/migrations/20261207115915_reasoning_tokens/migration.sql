-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "reasoningTokens" INTEGER;
