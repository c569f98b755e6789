/**
 * Transcript downloads from a recording transcribed and translated for real (ffmpeg, database,
 * local storage, the stub model over HTTP): TXT, SRT and VTT bodies, checked line by line and read
 * back by ffmpeg's own subtitle demuxers, a translation with the original's times, the file name
 * people get, and the refusals.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStubModel, type StubModel } from '@/e2e/stub-model/server';
import type { Caller } from '@/lib/auth/quotas';
import { db } from '@/lib/db/client';
import { translationsOf } from '@/lib/db/transcripts';
import { stopJobQueue } from '@/lib/jobs/boss';
import type { TimedText } from '@/lib/media/subtitles';
import { unguarded } from '@/tests/support/ffmpeg';
import { parseQuery } from '@/lib/http';
import { transcriptDownloadQuery, transcriptQueryMessage, transcriptDownload } from '@/lib/transcripts/download';
import { streamTranslation } from '@/lib/transcripts/translate';
import { transcriptView, type TranscriptView } from '@/lib/transcripts/view';
import { sentencesWithPausesOfItsOwn } from '@/tests/support/audio';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { rejectionWith } from '@/tests/support/errors';
import { transcribedRecording } from '@/tests/support/recordings';
import { pointAtStub } from '@/tests/support/stub-env';
import { ensureTestUser } from '@/tests/support/users';

const data = useLocalDataDir('transcript-download');
let stub: StubModel;
let dir = '';
const caller: Caller = { id: `transcript-download-${randomUUID()}`, type: 'user' };

let view: TranscriptView;
let segments: TimedText[];
let frenchId = '';

/** The query string as the transcript routes read it (the schema their sibling schema.ts exports). */
const ask = (query: string) => parseQuery(new Request(`http://localhost/api/media/x/transcript?${query}`), transcriptDownloadQuery, transcriptQueryMessage);

/** A time as both formats write it, derived independently: ISO 8601's clock part. */
const clock = (ms: number, separator: ',' | '.') => new Date(ms).toISOString().slice(11, 23).replace('.', separator);

/** What ffmpeg reads from a subtitle file: each cue's start, end and text. */
async function ffmpegReads(body: string, extension: 'srt' | 'vtt') {
  const file = path.join(dir, `read-${randomUUID()}.${extension}`);
  await writeFile(file, body);
  const stdout = await unguarded('ffprobe', ['-v', 'error', '-show_packets', '-show_data', '-print_format', 'json', file]);
  const packets = (JSON.parse(stdout) as { packets: { pts_time: string; duration_time: string; data: string }[] }).packets;
  return packets.map((p) => ({
    startMs: Math.round(Number(p.pts_time) * 1000),
    endMs: Math.round((Number(p.pts_time) + Number(p.duration_time)) * 1000),
    // ffprobe's hex dump: the text is at the end of each line, after the offset and hex columns.
    text: p.data
      .split('\n')
      .map((line) => line.slice(51))
      .join('')
      .trim(),
  }));
}

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 0 });
  pointAtStub(stub.url, { transcription: 'compatible:stub-whisper' });
  await ensureTestUser(caller.id);
  dir = path.join(data.dir, 'fixtures');
  await mkdir(dir, { recursive: true });

  const speech = await sentencesWithPausesOfItsOwn(dir, 'speech', 1300);
  const recording = await transcribedRecording(caller, speech.file, 'Interview.mp3');
  const stream = await streamTranslation(caller, recording, 'French', new AbortController().signal);
  const events = (await new Response(stream).text()).trim().split('\n').map((line) => JSON.parse(line));
  expect(events.at(-1)).toMatchObject({ type: 'done' });
  frenchId = events.at(-1).translation.id;

  // The recording's transcript and the translations its owner asked for, as the routes load them.
  const media = await db().media.findUniqueOrThrow({ where: { id: recording.id }, include: { transcript: true } });
  view = transcriptView(media.transcript!, await translationsOf(media));
  segments = view.segments;
  expect(segments.length).toBeGreaterThanOrEqual(3);
  // The first words come after a second of quiet, so the times have seconds and milliseconds to get right.
  expect(segments[0].startMs).toBeGreaterThan(1000);
  expect(view.translations.map((t) => t.id)).toEqual([frenchId]);
}, 60_000);

afterAll(async () => {
  await stopJobQueue();
  await stub?.stop();
  await db().$disconnect();
});

describe('transcriptDownload', () => {
  it('writes SRT: numbered cues, comma milliseconds, a blank line between cues', async () => {
    const response = transcriptDownload(ask('format=srt'), 'Interview.mp3', view);
    expect(response.headers.get('content-type')).toBe('application/x-subrip; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="Interview.srt"; filename*=UTF-8''Interview.srt`);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const text = await response.text();

    const expected = segments.map((s, i) => `${i + 1}\n${clock(s.startMs, ',')} --> ${clock(s.endMs, ',')}\n${s.text}\n`).join('\n');
    expect(text).toBe(expected);
    expect(text).toMatch(/^1\n00:00:0\d,\d{3} --> 00:00:0\d,\d{3}\nStub words 1\n\n2\n/);
    expect(await ffmpegReads(text, 'srt')).toEqual(segments.map(({ startMs, endMs, text }) => ({ startMs, endMs, text })));
  });

  it('writes WebVTT: the header, then cues with dot milliseconds', async () => {
    const response = transcriptDownload(ask('format=vtt'), 'Interview.mp3', view);
    expect(response.headers.get('content-type')).toBe('text/vtt; charset=utf-8');
    expect(response.headers.get('content-disposition')).toContain('filename="Interview.vtt"');
    const text = await response.text();

    expect(text.startsWith('WEBVTT\n\n')).toBe(true);
    expect(text).toBe(`WEBVTT\n\n${segments.map((s) => `${clock(s.startMs, '.')} --> ${clock(s.endMs, '.')}\n${s.text}\n`).join('\n')}`);
    expect(await ffmpegReads(text, 'vtt')).toEqual(segments.map(({ startMs, endMs, text }) => ({ startMs, endMs, text })));
  });

  it('writes plain text, one line per segment', async () => {
    const response = transcriptDownload(ask('format=txt'), 'Interview.mp3', view);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('content-disposition')).toContain('filename="Interview.txt"');
    expect(await response.text()).toBe(segments.map((s) => `${s.text}\n`).join(''));
  });

  it('writes a translation with the original’s times, named after its language', async () => {
    const response = transcriptDownload(ask(`format=srt&translation=${frenchId}`), 'Interview.mp3', view);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="Interview.french.srt"; filename*=UTF-8''Interview.french.srt`);
    const cues = await ffmpegReads(await response.text(), 'srt');
    expect(cues).toEqual(segments.map(({ startMs, endMs, text }) => ({ startMs, endMs, text: `[French] ${text}` })));

    const vtt = transcriptDownload(ask(`format=vtt&translation=${frenchId}`), 'Interview.mp3', view);
    expect(vtt.headers.get('content-disposition')).toContain('filename="Interview.french.vtt"');
    expect(await vtt.text()).toContain(`${clock(segments[0].startMs, '.')} --> ${clock(segments[0].endMs, '.')}\n[French] ${segments[0].text}\n`);
    const txt = transcriptDownload(ask(`translation=${frenchId}&format=txt`), 'Interview.mp3', view);
    expect(await txt.text()).toBe(segments.map((s) => `[French] ${s.text}\n`).join(''));
  });

  it('names the file from the upload’s name and the language as people wrote them', async () => {
    const named = (filename: string, language: string | null, format = 'srt') => {
      const withLanguage: TranscriptView = language ? { ...view, translations: [{ id: frenchId, language, texts: segments.map((s) => s.text) }] } : view;
      const query = language ? `format=${format}&translation=${frenchId}` : `format=${format}`;
      return transcriptDownload(ask(query), filename, withLanguage).headers.get('content-disposition');
    };
    expect(named('notes', null, 'txt')).toContain('filename="notes.txt"');
    expect(named('meeting.final.m4a', null)).toContain('filename="meeting.final.srt"');
    expect(named('Interview.mp3', 'Simplified Chinese', 'vtt')).toContain('filename="Interview.simplified-chinese.vtt"');
    expect(named('Interview.mp3', 'pt-BR')).toContain('filename="Interview.pt-br.srt"');
    // Not ASCII: a plain fallback, and the exact name for browsers that read filename*.
    expect(named('Entretien été.m4a', 'Français')).toBe(
      `attachment; filename="Entretien _t_.fran_ais.srt"; filename*=UTF-8''${encodeURIComponent('Entretien été.français.srt')}`,
    );
  });

  it('refuses an unknown translation, a bad format, and a recording not transcribed yet', async () => {
    const unknown = await rejectionWith(Promise.resolve().then(() => transcriptDownload(ask(`format=srt&translation=${randomUUID()}`), 'a.mp3', view)), 'not_found');
    expect(unknown.message).toBe('This translation does not exist.');
    // Another upload's translation of the same transcript is not this one's to give.
    const withoutFrench: TranscriptView = { ...view, translations: [] };
    await rejectionWith(Promise.resolve().then(() => transcriptDownload(ask(`format=srt&translation=${frenchId}`), 'a.mp3', withoutFrench)), 'not_found');

    for (const query of ['format=docx', 'format=SRT', '', `format=srt&translation=not-an-id`]) {
      const bad = await rejectionWith(Promise.resolve().then(() => transcriptDownload(ask(query), 'a.mp3', view)), 'bad_request');
      expect(bad.message).toBe('Ask for ?format=txt, srt or vtt.');
    }
    const none = await rejectionWith(Promise.resolve().then(() => transcriptDownload(ask('format=srt'), 'a.mp3', null)), 'not_found');
    expect(none.message).toBe('There is no transcript yet.');
  });
});
