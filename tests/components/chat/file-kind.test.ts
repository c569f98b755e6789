import { describe, expect, it } from 'vitest';
import { acceptedFiles, fileKind, mayBeSoundOnly, noTranscriptionNotice, sizeError } from '@/components/chat/file-kind';

const file = (name: string, type = '') => ({ name, type });

describe('fileKind', () => {
  it('goes by the MIME type when the browser gives one', () => {
    expect(fileKind(file('talk.mp3', 'audio/mpeg'))).toBe('audio');
    expect(fileKind(file('memo.m4a', 'audio/x-m4a'))).toBe('audio');
    expect(fileKind(file('voice.opus', 'audio/ogg'))).toBe('audio');
    expect(fileKind(file('take.flac', 'audio/flac'))).toBe('audio');
    expect(fileKind(file('raw.wav', 'audio/wav'))).toBe('audio');
    expect(fileKind(file('chrome.weba', 'audio/webm'))).toBe('audio');
    expect(fileKind(file('old.ogg', 'application/ogg'))).toBe('audio');
    expect(fileKind(file('clip.mp4', 'video/mp4'))).toBe('video');
    expect(fileKind(file('photo.jpg', 'image/jpeg'))).toBe('image');
    // The type wins over a misleading name.
    expect(fileKind(file('song.mp3', 'image/png'))).toBe('image');
  });

  it('goes by the extension, in any case, when there is no type or only application/octet-stream', () => {
    for (const name of ['a.MP3', 'a.m4a', 'a.aac', 'a.wav', 'a.ogg', 'a.oga', 'a.opus', 'a.flac', 'a.weba', 'a.aiff']) expect(fileKind(file(name))).toBe('audio');
    for (const name of ['a.mp4', 'a.MOV', 'a.webm', 'a.mkv', 'a.avi', 'a.m4v']) expect(fileKind(file(name))).toBe('video');
    expect(fileKind(file('a.opus', 'application/octet-stream'))).toBe('audio');
    expect(fileKind(file('a.heic'))).toBe('image');
    expect(fileKind(file('notes.txt', 'text/plain'))).toBe('image');
  });
});

describe('mayBeSoundOnly', () => {
  it('picks the containers browsers call video whatever they hold', () => {
    expect(mayBeSoundOnly(file('recording.webm', 'video/webm'))).toBe(true);
    expect(mayBeSoundOnly(file('recording.webm'))).toBe(true);
    expect(mayBeSoundOnly(file('old.ogg', 'video/ogg'))).toBe(true);
    expect(mayBeSoundOnly(file('clip.mp4', 'video/mp4'))).toBe(false);
    expect(mayBeSoundOnly(file('voice.weba', 'audio/webm'))).toBe(false);
    expect(mayBeSoundOnly(file('film.mkv'))).toBe(false);
  });
});

describe('sizeError', () => {
  const limits = { maxBytes: 20 * 1024 * 1024, maxVideoBytes: 2_000_000_000, maxAudioBytes: 500_000_000 };

  it('states the size and the limit of the file’s kind', () => {
    expect(sizeError({ name: 'long.wav', size: 600_000_000 }, 'audio', limits)).toBe('long.wav is 572.2 MB; the limit is 476.8 MB per recording.');
    expect(sizeError({ name: 'big.png', size: 21 * 1024 * 1024 }, 'image', limits)).toBe('big.png is 21.0 MB; the limit is 20.0 MB per image.');
    expect(sizeError({ name: 'ok.wav', size: 500_000_000 }, 'audio', limits)).toBeNull();
    // A recording may be larger than an image.
    expect(sizeError({ name: 'ok.mp3', size: 30 * 1024 * 1024 }, 'audio', limits)).toBeNull();
  });
});

describe('noTranscriptionNotice', () => {
  it('names one file, counts several', () => {
    expect(noTranscriptionNotice(['talk.mp3'])).toMatch(/^talk\.mp3 not added: transcription is not set up on this server/);
    expect(noTranscriptionNotice(['a.mp3', 'b.wav'])).toMatch(/^2 recordings not added: .*TRANSCRIPTION_MODEL\.$/);
  });
});

describe('acceptedFiles', () => {
  it('offers recordings in the picker, with extensions for systems that have no audio type for them', () => {
    const accepted = acceptedFiles.split(',');
    expect(accepted).toEqual(expect.arrayContaining(['audio/*', 'video/*', 'image/jpeg', '.opus', '.m4a', '.flac']));
  });
});
