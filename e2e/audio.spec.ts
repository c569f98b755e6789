import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { runTool } from '../lib/media/video/run';
import { badAudio, noiseAndSilence, spokenLayoutOfItsOwn, videoWithSound, type Piece } from '../tests/support/audio';
import { AudioPanel } from './pages/audio-panel';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';
import { ShareDialog, SharedLinksPage, SharedPage } from './pages/share-page';
import { resetStub, stubRequests } from './support/stub';

/** Three sentences with pauses between them, as an MP3 of this spec's own (transcripts are found by the sound's hash). */
async function spokenMp3(name: string, pieces: Piece[] = [{ silenceMs: 400 }, { sentence: 0 }, { silenceMs: 1200 }, { sentence: 1 }, { silenceMs: 900 }, { sentence: 2 }, { silenceMs: 500 }]) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-e2e-audio-'));
  const layout = await spokenLayoutOfItsOwn(dir, name, pieces);
  const mp3 = path.join(dir, `${name}.mp3`);
  await runTool('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', layout.file, '-c:a', 'libmp3lame', mp3]);
  return { buffer: await readFile(mp3), speechMs: layout.speechMs };
}

const transcriptionCalls = async () => (await stubRequests()).filter((r) => r.path === '/v1/audio/transcriptions').length;

test.beforeEach(async () => {
  await resetStub();
});

test('a recording: drop it, watch it transcribed, click a line, ask with a cited time, translate, download SRT', async ({ page }) => {
  const chat = new ChatPage(page);
  const memo = await spokenMp3('memo');
  await chat.open();
  await chat.attach({ name: 'memo.mp3', mimeType: 'audio/mpeg', buffer: memo.buffer });
  await expect(chat.recordingsWait()).toBeVisible();
  await chat.waitForTranscripts();
  await expect(chat.recordingStatus('memo.mp3')).toHaveText('Transcript ready');
  expect(await transcriptionCalls()).toBe(1);

  await chat.ask('What is said in this recording?');
  await chat.waitForAnswerDone();
  const audio = new AudioPanel(page);
  await audio.waitForTranscript();
  await expect(audio.player).toBeVisible();
  // Lines where there is sound (the stub hears loudness, so a sentence may come as several): every
  // sentence begins a line, and no line starts in a pause.
  await expect.poll(() => audio.lines.count()).toBeGreaterThanOrEqual(3);
  const starts = await audio.lineStarts();
  for (const [i, sentence] of memo.speechMs.entries()) {
    expect(Math.min(...starts.map((start) => Math.abs(start - sentence.startMs))), `sentence ${i}`).toBeLessThan(300);
  }
  for (const start of starts) expect(memo.speechMs.some((s) => start >= s.startMs - 300 && start <= s.endMs), `line at ${start} ms`).toBe(true);
  await expect(audio.language).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('recording-transcript.png') });

  // A line seeks the player to where it starts.
  const last = starts.length - 1;
  await audio.lines.nth(last).click();
  await audio.expectAt(starts[last] / 1000);
  await audio.pause();

  // The answer cites the second line's time; the citation plays the recording from there.
  const citation = chat.lastAnswer().getByTestId('timestamp-link').first();
  await expect(citation).toBeVisible();
  await citation.click();
  await audio.expectAt(Math.floor(starts[1] / 1000));
  await audio.pause();

  // Translation streams in and keeps every line's time.
  const tab = await audio.translate('French');
  await expect(tab).toHaveText(/French/);
  expect(await audio.lineStarts()).toEqual(starts);
  const texts = await audio.lineTexts();
  expect(texts.every((t) => t.startsWith('[French] '))).toBe(true);
  await page.screenshot({ path: test.info().outputPath('recording-translated.png') });

  const download = await audio.downloadSrt();
  expect(download.suggestedFilename()).toBe('memo.french.srt');
  const srt = await readFile((await download.path())!, 'utf8');
  const cues = srt.trim().split(/\n\n/);
  expect(cues).toHaveLength(starts.length);
  for (const [i, cue] of cues.entries()) {
    const [number, timing, text] = cue.split('\n');
    expect(number).toBe(String(i + 1));
    expect(timing).toMatch(/^\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}$/);
    expect(text).toBe(texts[i]);
  }
  // Asking again for the same language costs nothing: it is stored.
  const chatCalls = (await stubRequests()).filter((r) => r.path === '/v1/chat/completions').length;
  await page.reload();
  const again = new AudioPanel(page);
  await again.waitForTranscript();
  await again.translate('french');
  expect((await stubRequests()).filter((r) => r.path === '/v1/chat/completions').length).toBe(chatCalls);
});

test('many recordings at once: each uploads and is transcribed with its own progress; bad ones say why and leave the rest alone', async ({ page }) => {
  const chat = new ChatPage(page);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-e2e-audio-batch-'));
  const first = await spokenMp3('batch-one');
  const second = await spokenMp3('batch-two', [{ silenceMs: 300 }, { sentence: 2 }, { silenceMs: 700 }]);
  const { silence } = await noiseAndSilence(dir);
  const bad = await badAudio(dir, (await spokenLayoutOfItsOwn(dir, 'bad-source', [{ sentence: 0 }, { silenceMs: 300 }])).file);
  await chat.open();
  await chat.attach(
    { name: 'one.mp3', mimeType: 'audio/mpeg', buffer: first.buffer },
    { name: 'two.mp3', mimeType: 'audio/mpeg', buffer: second.buffer },
    { name: 'quiet.wav', mimeType: 'audio/wav', buffer: await readFile(silence) },
    { name: 'page.mp3', mimeType: 'audio/mpeg', buffer: await readFile(bad.html) },
    { name: 'cut.mp3', mimeType: 'audio/mpeg', buffer: await readFile(bad.truncatedMp3) },
  );
  await expect(chat.recordings()).toHaveCount(5);
  await expect(chat.recordingError('page.mp3')).toHaveText('This file is not audio (it looks like text or HTML).');
  await expect(chat.recordingError('cut.mp3')).toHaveText(/truncated or corrupt/);
  await chat.removeAttachment('page.mp3');
  await chat.removeAttachment('cut.mp3');
  await chat.waitForTranscripts();
  await expect(chat.recordings()).toHaveCount(3);
  await page.screenshot({ path: test.info().outputPath('recordings-batch.png') });

  await chat.ask('Summarise these recordings.');
  await chat.waitForAnswerDone();
  const cards = page.getByTestId('audio-attachment');
  await expect(cards).toHaveCount(3);
  // Silence is a plain note, not an error.
  const quiet = new AudioPanel(page, cards.filter({ hasText: 'quiet.wav' }));
  await quiet.waitForTranscript();
  await expect(quiet.empty).toHaveText(/No speech/);
  await expect(new AudioPanel(page, cards.filter({ hasText: 'two.mp3' })).lines.first()).toBeVisible();
});

test('a recording’s analysis shared on its own: a stranger listens to the metadata-free copy and reads the transcript, nothing else; revoking stops it; an admin reads it in the console', async ({ page, browser }) => {
  const chat = new ChatPage(page);
  const interview = await spokenMp3('interview');
  await chat.open();
  await chat.attach({ name: 'interview.mp3', mimeType: 'audio/mpeg', buffer: interview.buffer });
  await chat.waitForTranscripts();
  await chat.ask('A private question about the interview');
  await chat.waitForAnswerDone();
  const conversationId = chat.conversationId();
  const owner = new AudioPanel(page);
  await owner.waitForTranscript();
  await owner.translate('German');

  const share = new ShareDialog(page, owner.card.getByTestId('share-media-button'));
  await share.open();
  await expect(share.dialog.getByRole('heading', { level: 2 })).toHaveText('Share this recording');
  const link = await share.createLink();
  await share.close();

  const stranger = await (await browser.newContext()).newPage();
  const shared = new SharedPage(stranger);
  await stranger.goto(link);
  await expect(shared.title).toHaveText('interview.mp3');
  const listener = new AudioPanel(stranger);
  await listener.waitForTranscript();
  await owner.show('original');
  const ownerLines = await owner.lineTexts();
  expect(await listener.lineTexts()).toEqual(ownerLines);
  // Read-only, the translation made by the owner included; no question, no answer, no copy.
  await expect(listener.translateInput).toHaveCount(0);
  await expect(listener.translationTabs).toHaveText(['German']);
  await expect(stranger.getByText('A private question about the interview')).toHaveCount(0);
  await expect(stranger.getByTestId('message-assistant')).toHaveCount(0);
  await expect(stranger.getByTestId('share-continue')).toHaveCount(0);
  const src = await listener.player.getAttribute('src');
  expect(src).toMatch(/^\/share\/[A-Za-z0-9_-]{43}\/media\/[0-9a-f-]{36}\?stream=1$/);
  const stream = await stranger.request.get(src!);
  expect(stream.status()).toBe(200);
  expect(stream.headers()['content-type']).toBe('audio/mp4');
  const srt = await (await listener.downloadSrt()).path();
  expect(await readFile(srt!, 'utf8')).toMatch(/^1\n00:00:0\d,\d{3} --> /);
  await stranger.screenshot({ path: test.info().outputPath('shared-recording.png') });

  // Revoked: page, stream and transcript stop at once.
  const links = new SharedLinksPage(page);
  await links.openFromSidebar();
  await expect(links.link(link).getByTestId('share-link-shares')).toHaveText('recording only');
  await links.revoke(link);
  await stranger.reload();
  await expect(shared.unavailable).toBeVisible();
  expect((await stranger.request.get(src!)).status()).toBe(404);
  expect((await stranger.request.get(src!.replace('?stream=1', '/transcript?format=srt'))).status()).toBe(404);

  // The admin console shows the recording read-only, with its transcript, through admin routes.
  const adminPage = await (await browser.newContext()).newPage();
  await new AuthPage(adminPage).signInAsAdmin();
  await adminPage.goto(`/admin/conversations/${conversationId}`);
  const admin = new AudioPanel(adminPage);
  await admin.waitForTranscript();
  expect(await admin.lineTexts()).toEqual(ownerLines);
  await expect(admin.translateInput).toHaveCount(0);
  expect(await admin.player.getAttribute('src')).toMatch(/^\/admin\/media\/[0-9a-f-]{36}\?stream=1$/);
  await adminPage.screenshot({ path: test.info().outputPath('admin-recording.png') });
});

test('a video with speech: its transcript sits under the timeline, each scene says what is said in it, and answers know it', async ({ page }) => {
  const chat = new ChatPage(page);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-e2e-video-speech-'));
  const speech = await spokenLayoutOfItsOwn(dir, 'talk', [{ silenceMs: 500 }, { sentence: 1 }, { silenceMs: 1500 }, { sentence: 2 }, { silenceMs: 500 }]);
  const video = await videoWithSound(dir, speech.file, 'talk');
  await chat.open();
  await chat.attach({ name: 'talk.mp4', mimeType: 'video/mp4', buffer: await readFile(video) });
  await chat.waitForUploads();
  await expect(page.getByTestId('composer-video-wait')).toHaveCount(0, { timeout: 90_000 });
  expect(await transcriptionCalls()).toBe(1);

  await chat.ask('What does the speaker say?');
  await chat.waitForAnswerDone();
  // The model was given what is said in each scene.
  const asked = (await stubRequests()).filter((r) => r.path === '/v1/chat/completions').at(-1)!;
  expect(JSON.stringify(asked.body)).toContain('Said: \\"Stub words 1');
  await expect(page.getByTestId('video-scene-speech').first()).toContainText('Stub words 1');

  const transcript = await AudioPanel.ofVideo(page);
  await expect.poll(() => transcript.lines.count()).toBeGreaterThanOrEqual(2);
  const starts = await transcript.lineStarts();
  await transcript.lines.last().click();
  await transcript.expectAt(starts.at(-1)! / 1000);
  await page.screenshot({ path: test.info().outputPath('video-transcript.png') });
});
