-- CreateIndex
CREATE INDEX "Media_transcriptId_idx" ON "Media"("transcriptId");

-- CreateIndex
CREATE INDEX "ShareLink_mediaId_idx" ON "ShareLink"("mediaId");
