/**
 * Audio fixtures made on the fly (nothing binary is committed): sentences spoken by espeak-ng and
 * laid out with pauses of known length, the same speech in the formats people upload, noise,
 * silence, and the broken or wrong files that arrive as "audio".
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { generate as ffmpeg } from '@/tests/support/ffmpeg';

const rate = 16_000;
const bytesPerMs = (rate * 2) / 1000;
const pcm = ['-f', 's16le', '-ac', '1', '-ar', String(rate)];


/** One sentence as raw 16 kHz mono samples, with espeak's lead-in and trailing quiet cut off so it starts and ends with sound. */
async function spoken(dir: string, text: string, name: string): Promise<Buffer> {
  const wav = path.join(dir, `${name}.espeak.wav`);
  const raw = path.join(dir, `${name}.pcm`);
  await promisify(execFile)('espeak-ng', ['-w', wav, text]);
  const trim = 'silenceremove=start_periods=1:start_threshold=-50dB';
  await ffmpeg('-i', wav, '-af', `${trim},areverse,${trim},areverse`, ...pcm, raw);
  return readFile(raw);
}

export const sentences = [
  'The quick brown fox jumps over the lazy dog.',
  'Glimpse listens to every recording you share.',
  'Pack my box with five dozen liquor jugs.',
];

export type Piece = { sentence: number } | { silenceMs: number };

/** `pieces` one after another as a 16 kHz mono WAV; where each sentence is, exact to the sample. */
export async function spokenLayout(dir: string, name: string, pieces: Piece[]) {
  const voices = await Promise.all(sentences.map((text, i) => spoken(dir, text, `${name}-sentence-${i}`)));
  const parts: Buffer[] = [];
  const speechMs: { startMs: number; endMs: number; sentence: number }[] = [];
  let at = 0;
  for (const piece of pieces) {
    const part = 'sentence' in piece ? voices[piece.sentence] : Buffer.alloc(Math.round(piece.silenceMs * bytesPerMs));
    if ('sentence' in piece) speechMs.push({ startMs: at / bytesPerMs, endMs: (at + part.length) / bytesPerMs, sentence: piece.sentence });
    parts.push(part);
    at += part.length;
  }
  const raw = path.join(dir, `${name}.pcm`);
  const file = path.join(dir, `${name}.wav`);
  await writeFile(raw, Buffer.concat(parts));
  await ffmpeg(...pcm, '-i', raw, file);
  return { file, speechMs, durationMs: at / bytesPerMs };
}

/** `leadMs` of quiet, the three sentences with 1.2 s and 0.8 s pauses, and 0.6 s of quiet. */
function sentencesAfter(leadMs: number): Piece[] {
  return [{ silenceMs: leadMs }, { sentence: 0 }, { silenceMs: 1200 }, { sentence: 1 }, { silenceMs: 800 }, { sentence: 2 }, { silenceMs: 600 }];
}

/** Half a second of quiet, the three sentences with 1.2 s and 0.8 s pauses, and 0.6 s of quiet. */
export function sentencesWithPauses(dir: string) {
  return spokenLayout(dir, 'pauses', sentencesAfter(500));
}

/** Over three minutes: the sentences over and over, with pauses of 0.7 to 1.5 s between them. */
export function longSpeech(dir: string) {
  const pauses = [700, 1000, 1500, 900];
  const pieces: Piece[] = [];
  for (let i = 0; i < 60; i++) pieces.push({ sentence: i % 3 }, { silenceMs: pauses[i % pauses.length] });
  return spokenLayout(dir, 'long', pieces);
}

/** The same speech in the formats people upload, plus a video with it as its sound track. */
export async function speechFormats(dir: string, wav: string) {
  const at = (name: string) => path.join(dir, name);
  const files = { mp3: at('speech.mp3'), opus: at('speech.ogg'), flac: at('speech.flac'), m4a: at('speech.m4a'), video: at('speech.mp4') };
  await Promise.all([
    ffmpeg('-i', wav, '-c:a', 'libmp3lame', files.mp3),
    ffmpeg('-i', wav, '-c:a', 'libopus', files.opus),
    ffmpeg('-i', wav, '-c:a', 'flac', files.flac),
    ffmpeg('-i', wav, '-c:a', 'aac', files.m4a),
    ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=160x90:r=25', '-i', wav, '-map', '0:v', '-map', '1:a', '-shortest', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', files.video),
  ]);
  return files;
}

/** Three seconds each of white noise and of digital silence, as WAV. */
export async function noiseAndSilence(dir: string) {
  const noise = path.join(dir, 'noise.wav');
  const silence = path.join(dir, 'silence.wav');
  await ffmpeg('-f', 'lavfi', '-i', 'anoisesrc=color=white:amplitude=0.3:duration=3:seed=1', noise);
  await ffmpeg('-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=stereo', '-t', '3', silence);
  return { noise, silence };
}

/** Files that are not usable recordings, each named as they arrive. `speech` is a WAV to damage. */
export async function badAudio(dir: string, speech: string) {
  const at = (name: string) => path.join(dir, name);
  const html = at('page.mp3');
  await writeFile(html, '<!doctype html><html><head><title>Song</title></head><body><audio src="x.mp3"></audio></body></html>\n');
  const empty = at('empty.mp3');
  await writeFile(empty, '');
  const short = at('short.mp3');
  await ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:duration=0.2', '-c:a', 'libmp3lame', short);
  const silentVideo = at('silent.mp4');
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=160x90:r=25', '-t', '2', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', silentVideo);

  // libmp3lame writes the frame count up front (Xing header): cut the end and the header still promises it.
  const mp3 = at('whole.mp3');
  await ffmpeg('-i', speech, '-c:a', 'libmp3lame', mp3);
  const truncatedMp3 = at('truncated.mp3');
  const mp3Bytes = await readFile(mp3);
  await writeFile(truncatedMp3, mp3Bytes.subarray(0, Math.floor(mp3Bytes.length * 0.6)));
  // ffmpeg writes an M4A's index (moov) after the data: cut the end and it is gone.
  const m4a = at('whole.m4a');
  await ffmpeg('-i', speech, '-c:a', 'aac', m4a);
  const truncatedM4a = at('truncated.m4a');
  const whole = await readFile(m4a);
  await writeFile(truncatedM4a, whole.subarray(0, Math.floor(whole.length * 0.8)));
  return { html, empty, short, silentVideo, truncatedMp3, truncatedM4a };
}

/** What music apps and phones write into a recording, every piece of it something a shared copy must not show. */
export const recordingTags = {
  title: 'Secret meeting',
  artist: 'Jane Doe',
  comment: 'Recorded at 12 Rue de Rivoli',
  chapter: 'Jane confesses',
  cover: 'Jane at home',
};

/**
 * The same speech as an MP3 with ID3 tags and cover art, and as an M4A with tags, cover art,
 * chapters and a named sound track: the metadata `recordingTags` lists, at every level it can sit.
 */
export async function taggedRecordings(dir: string, wav: string) {
  const at = (name: string) => path.join(dir, name);
  const cover = at('cover.png');
  const chapters = at('chapters.txt');
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=300x300', '-frames:v', '1', cover);
  await writeFile(chapters, `;FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1000\ntitle=${recordingTags.chapter}\n`);
  const { title, artist, comment } = recordingTags;
  const tags = ['-metadata', `title=${title}`, '-metadata', `artist=${artist}`, '-metadata', `comment=${comment}`];
  const withCover = ['-c:v', 'png', '-disposition:v', 'attached_pic', '-metadata:s:v', `title=${recordingTags.cover}`];
  const files = { mp3: at('tagged.mp3'), m4a: at('tagged.m4a') };
  await Promise.all([
    ffmpeg('-i', wav, '-i', cover, '-map', '0:a', '-map', '1:v', '-c:a', 'libmp3lame', ...withCover, '-id3v2_version', '3', ...tags, files.mp3),
    ffmpeg(
      '-i', wav, '-i', cover, '-i', chapters, '-map', '0:a', '-map', '1:v', '-map_chapters', '2', '-c:a', 'aac', ...withCover, ...tags,
      '-metadata:s:a:0', `handler_name=${artist}’s phone`, files.m4a,
    ),
  ]);
  return files;
}

/** A steady tone `seconds` long as FLAC: a small file, quick to make, that takes seconds to encode to AAC. */
export async function longTone(dir: string, seconds: number) {
  const file = path.join(dir, `tone-${seconds}s.flac`);
  await ffmpeg('-f', 'lavfi', '-i', `sine=frequency=220:sample_rate=16000:duration=${seconds}`, '-c:a', 'flac', file);
  return file;
}

/**
 * `pieces` laid out as spokenLayout does, with every pause made 1–40 ms longer at random: a sound
 * no other call makes. Test files share one database, where a transcript (and each chunk's answer)
 * is found by the hash of the sound, so speech of its own keeps another file's identical speech
 * from answering for it. The layout needs at least one pause to vary.
 */
export function spokenLayoutOfItsOwn(dir: string, name: string, pieces: Piece[]) {
  if (!pieces.some((piece) => 'silenceMs' in piece)) throw new Error('spokenLayoutOfItsOwn needs a pause to vary');
  return spokenLayout(
    dir,
    name,
    pieces.map((piece) => ('silenceMs' in piece ? { silenceMs: piece.silenceMs + 1 + Math.floor(Math.random() * 40) } : piece)),
  );
}

/** `count` sentences in turn with pauses of 0.7 to 1.5 s after each, as a sound of its own (see spokenLayoutOfItsOwn). */
export function longSpeechOfItsOwn(dir: string, name: string, count: number) {
  const pauses = [700, 1000, 1500, 900];
  const pieces: Piece[] = [{ silenceMs: 400 }];
  for (let i = 0; i < count; i++) pieces.push({ sentence: i % sentences.length }, { silenceMs: pauses[i % pauses.length] });
  return spokenLayoutOfItsOwn(dir, name, pieces);
}

/** `wav` as the sound track of a test-pattern video as long as it (H.264 and AAC in MP4). */
export async function videoWithSound(dir: string, wav: string, name: string) {
  const file = path.join(dir, `${name}.mp4`);
  await ffmpeg(
    '-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=25', '-i', wav, '-map', '0:v', '-map', '1:a', '-shortest',
    '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', file,
  );
  return file;
}

/** `wav` as audio-only WebM with Opus sound, as a browser's MediaRecorder writes a voice note. */
export async function webmAudio(dir: string, wav: string) {
  const file = path.join(dir, 'voice-note.webm');
  await ffmpeg('-i', wav, '-c:a', 'libopus', '-f', 'webm', file);
  return file;
}

/** Not audio, named as if it were: a PNG picture called .wav, and random bytes called .mp3. */
export async function notAudio(dir: string) {
  const png = path.join(dir, 'picture.wav');
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=64x48', '-frames:v', '1', '-f', 'image2', '-c:v', 'png', png);
  const garbage = path.join(dir, 'garbage.mp3');
  let seed = 11;
  await writeFile(garbage, Buffer.from(Array.from({ length: 64 * 1024 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24)));
  return { png, garbage };
}

/**
 * `wav` as a variable-bitrate MP3 without the Xing header that tells readers its frame count, as
 * some recorders and stream rippers write it: ffprobe then guesses its length from the first
 * frames' bitrate, and after loud speech followed by quiet it guesses far too short.
 */
export async function mp3WithoutLengthHeader(dir: string, wav: string, name: string) {
  const file = path.join(dir, `${name}.mp3`);
  await ffmpeg('-i', wav, '-c:a', 'libmp3lame', '-q:a', '9', '-write_xing', '0', file);
  return file;
}

/**
 * About `seconds` of digital silence as a 16 kHz mono WAV that is a sound of its own (see
 * spokenLayoutOfItsOwn): a random number of samples, one of them a step of one (−90 dB, inaudible).
 */
export async function silenceOfItsOwn(dir: string, name: string, seconds = 3) {
  const samples = Math.round(seconds * rate) + Math.floor(Math.random() * rate);
  const raw = Buffer.alloc(samples * 2);
  raw.writeInt16LE(1, 2 * Math.floor(Math.random() * samples));
  const rawFile = path.join(dir, `${name}.pcm`);
  const file = path.join(dir, `${name}.wav`);
  await writeFile(rawFile, raw);
  await ffmpeg(...pcm, '-i', rawFile, file);
  return { file, durationMs: samples / (rate / 1000) };
}

/**
 * The three sentences laid out as sentencesWithPauses does, after `leadMs` of quiet, as a sound of
 * its own (see spokenLayoutOfItsOwn).
 */
export function sentencesWithPausesOfItsOwn(dir: string, name: string, leadMs = 500) {
  return spokenLayoutOfItsOwn(dir, name, sentencesAfter(leadMs));
}
