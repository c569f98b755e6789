/**
 * Video fixtures made on the fly with the machine's ffmpeg (nothing binary is committed): small
 * clips with known cuts, a portrait phone clip, a variable-frame-rate clip, and the broken or
 * wrong files people upload as "videos".
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { generate as ffmpeg } from '@/tests/support/ffmpeg';

const fps = 25;
const size = '320x180';


// A keyframe every 250 frames (10 s) whatever the content, so no cut sits on one: most clips have only the first.
const h264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-g', '250', '-sc_threshold', '0', '-pix_fmt', 'yuv420p'];

/** `sources` played one after another for the given number of frames each, as one H.264 stream; optionally with a tone. */
async function concatenated(file: string, sources: [source: string, frames: number][], withAudio = false) {
  const frames = sources.reduce((sum, [, count]) => sum + count, 0);
  const graph = sources
    .map(([source, count], i) => `${source},trim=end_frame=${count},format=yuv420p,setsar=1[s${i}]`)
    .concat(`${sources.map((_, i) => `[s${i}]`).join('')}concat=n=${sources.length}:v=1:a=0[v]`)
    .concat(withAudio ? [`sine=frequency=440,atrim=end=${frames / fps}[a]`] : [])
    .join(';');
  const audio = withAudio ? ['-map', '[a]', '-c:a', 'aac'] : [];
  await ffmpeg('-filter_complex', graph, '-map', '[v]', ...audio, ...h264, file);
}

const frameMs = (frames: number) => (frames * 1000) / fps;

/** 7.6 s of six unrelated moving or still scenes, cut at irregular times, with a 440 Hz tone. */
export async function clipWithCuts(dir: string, { hue = 0 }: { hue?: number } = {}): Promise<{ file: string; cutsMs: number[]; durationMs: number }> {
  // Captions are cached by picture across test files: a hue of its own gives a test frames no other file captioned.
  const tint = hue ? `,hue=h=${hue}` : '';
  const scenes: [string, number][] = [
    [`testsrc2=s=${size}:r=${fps}${tint}`, 33],
    [`smptebars=s=${size}:r=${fps}${tint}`, 31],
    [`mandelbrot=s=${size}:r=${fps}${tint}`, 37],
    [`color=c=0x2e7d32:s=${size}:r=${fps},noise=alls=30:allf=t${tint}`, 29],
    [`life=s=${size}:r=${fps}:mold=10:ratio=0.1:seed=1:life_color=#00ff00:death_color=#aa0000${tint}`, 32],
    [`testsrc2=s=${size}:r=${fps},negate,vflip${tint}`, 28],
  ];
  const file = path.join(dir, 'cuts.mp4');
  await concatenated(file, scenes, true);
  let frame = 0;
  const cutsMs = scenes.slice(0, -1).map(([, frames]) => frameMs((frame += frames)));
  return { file, cutsMs, durationMs: frameMs(frame + scenes.at(-1)![1]) };
}

/**
 * Two minutes (small, so quick to make) with cuts on both sides of the middle, where a video this
 * long is split into parts decoded side by side: at 59.52 s, and at 60.04 s just after it.
 */
export async function twoMinutesWithCuts(dir: string): Promise<{ file: string; cutsMs: number[]; durationMs: number }> {
  const small = '160x90';
  const scenes: [string, number][] = [
    [`testsrc2=s=${small}:r=${fps}`, 750],
    [`life=s=${small}:r=${fps}:mold=10:ratio=0.1:seed=2:life_color=#00ff00:death_color=#aa0000`, 738],
    [`smptebars=s=${small}:r=${fps}`, 13],
    [`gradients=s=${small}:r=${fps}:speed=0.02:seed=3`, 374],
    [`testsrc2=s=${small}:r=${fps},negate,vflip`, 560],
    [`color=c=0x2e7d32:s=${small}:r=${fps},noise=alls=30:allf=t`, 565],
  ];
  const file = path.join(dir, 'two-minutes.mp4');
  await concatenated(file, scenes);
  let frame = 0;
  const cutsMs = scenes.slice(0, -1).map(([, frames]) => frameMs((frame += frames)));
  return { file, cutsMs, durationMs: frameMs(frame + scenes.at(-1)![1]) };
}

/** Two frames, the second `seconds` in: as long as a feature film, yet a few KB. */
export async function twoFrameVideo(dir: string, seconds: number): Promise<string> {
  const file = path.join(dir, `two-frames-${seconds}s.mp4`);
  await ffmpeg('-f', 'lavfi', '-i', `color=red:s=64x64:r=1,trim=end_frame=2,setpts=N*${seconds - 1}/TB`, '-fps_mode', 'passthrough', ...h264, file);
  return file;
}

/**
 * A phone held upright: 320 × 180 stored, displayed 180 × 320. The left half is red and the right
 * blue, so upright the red half is on top. ffmpeg 5.1 turns `rotate=270` into the display matrix
 * phones write (ffprobe: rotation -90); it has no -display_rotation yet.
 */
export async function portraitClip(dir: string): Promise<string> {
  const landscape = path.join(dir, 'portrait-stored.mp4');
  const file = path.join(dir, 'portrait.mp4');
  await ffmpeg('-f', 'lavfi', '-i', `color=red:s=160x180:r=${fps},pad=320:180:0:0:blue`, '-t', '2', ...h264, landscape);
  await ffmpeg('-i', landscape, '-c', 'copy', '-metadata:s:v:0', 'rotate=270', file);
  return file;
}

/**
 * Variable frame rate: frames 20–44 (0.8–1.8 s) of the first scene are missing, so frame numbers
 * no longer tell the time; the cut to the second scene is at 2.0 s by timestamp, frame 25 by count.
 */
export async function variableFrameRateClip(dir: string): Promise<{ file: string; cutMs: number }> {
  const file = path.join(dir, 'vfr.mp4');
  const graph =
    `testsrc2=s=${size}:r=${fps},trim=end_frame=50[a];smptebars=s=${size}:r=${fps},trim=end_frame=50[b];` +
    `[a][b]concat=n=2:v=1:a=0,select='not(between(n,20,44))',format=yuv420p[v]`;
  await ffmpeg('-filter_complex', graph, '-map', '[v]', '-fps_mode', 'vfr', ...h264, file);
  return { file, cutMs: 2000 };
}

/** 6 s of a slow pan (no cut, the picture keeps changing), then a cut to 4 s of one still picture. */
export async function panThenStillClip(dir: string): Promise<{ file: string; stillFromMs: number }> {
  const file = path.join(dir, 'pan-then-still.mp4');
  await concatenated(file, [
    [`mandelbrot=s=640x360:r=${fps},scroll=h=0.01,crop=320:180:0:0`, 150],
    [`smptebars=s=${size}:r=${fps}`, 100],
  ]);
  return { file, stillFromMs: 6000 };
}

/** Scenes that change nearly every pixel every frame, as TV static or confetti do (see bench/support/videos.ts). */
const staticNoise = (seed: number) => `color=c=0x406080:s=${size}:r=${fps},noise=alls=70:allf=t+u:all_seed=${seed}`;

/**
 * 40 s: a steady scene, 24 s of TV static, then two short scenes (4 s and 5 s) to the end; the case
 * where frame selection used to spend the rest of the budget on the static and give the end nothing.
 */
export async function highMotionThenShortScenes(dir: string): Promise<{ file: string; cutsMs: number[]; durationMs: number }> {
  const file = path.join(dir, 'high-motion-ending.mp4');
  const scenes: [string, number][] = [
    [`testsrc2=s=${size}:r=${fps}`, 175],
    [staticNoise(1), 600],
    [`smptebars=s=${size}:r=${fps}`, 100],
    [`testsrc=s=${size}:r=${fps},hue=h=120`, 125],
  ];
  await concatenated(file, scenes);
  return { file, cutsMs: [7000, 31000, 35000], durationMs: 40_000 };
}

/** 20 s: steady scenes with TV static between them, cut at irregular times. */
export async function staticNoiseBetweenCuts(dir: string): Promise<{ file: string; cutsMs: number[]; noiseMs: [number, number][] }> {
  const file = path.join(dir, 'static-between-cuts.mp4');
  await concatenated(file, [
    [`testsrc2=s=${size}:r=${fps}`, 90],
    [staticNoise(2), 160],
    [`smptebars=s=${size}:r=${fps}`, 70],
    [staticNoise(3), 130],
    [`life=s=${size}:r=${fps}:mold=10:ratio=0.1:seed=1:life_color=#00ff00:death_color=#aa0000`, 50],
  ]);
  return { file, cutsMs: [3600, 10000, 12800, 18000], noiseMs: [[3600, 10000], [12800, 18000]] };
}

/** 8 s of one moving scene with a two-frame white flash at 4 s. */
export async function flashClip(dir: string): Promise<{ file: string; flashMs: number }> {
  const file = path.join(dir, 'flash.mp4');
  const graph = `testsrc2=s=${size}:r=${fps},trim=end_frame=200,drawbox=c=white:t=fill:enable='between(n,100,101)',format=yuv420p[v]`;
  await ffmpeg('-filter_complex', graph, '-map', '[v]', ...h264, file);
  return { file, flashMs: 4000 };
}

/** 5 s of one picture, a 2 s dissolve into another, then 5 s of that one. */
export async function dissolveClip(dir: string): Promise<{ file: string; dissolvedMs: number }> {
  const file = path.join(dir, 'dissolve.mp4');
  const graph =
    `smptebars=s=${size}:r=${fps},trim=end_frame=175,format=yuv420p[a];` +
    `testsrc2=s=${size}:r=${fps},hue=h=200,trim=end_frame=175,format=yuv420p[b];` +
    `[a][b]xfade=transition=dissolve:duration=2:offset=5,format=yuv420p[v]`;
  await ffmpeg('-filter_complex', graph, '-map', '[v]', ...h264, file);
  return { file, dissolvedMs: 7000 };
}

/** Three hours, tiny and at 2 fps so it is quick to make: slowly drifting colour with a cut every 10 minutes. */
export async function threeHourClip(dir: string): Promise<{ file: string; durationMs: number }> {
  const file = path.join(dir, 'three-hours.mp4');
  const scenes = Array.from({ length: 18 }, (_, i) => `gradients=s=64x36:r=2:speed=0.002:seed=${i}:c0=0x${(i * 0x0e0b07).toString(16).slice(-6).padStart(6, '0')},trim=end_frame=1200,format=yuv420p[s${i}]`);
  const graph = `${scenes.join(';')};${scenes.map((_, i) => `[s${i}]`).join('')}concat=n=18:v=1:a=0[v]`;
  await ffmpeg('-filter_complex', graph, '-map', '[v]', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '20', '-pix_fmt', 'yuv420p', file);
  return { file, durationMs: 3 * 3600_000 };
}

export async function silentClip(dir: string): Promise<string> {
  const file = path.join(dir, 'silent.mp4');
  await ffmpeg('-f', 'lavfi', '-i', `testsrc2=s=${size}:r=${fps}`, '-t', '2', ...h264, file);
  return file;
}

/** Like a browser recording (MediaRecorder): WebM written as a live stream, with no duration anywhere in it. */
export async function liveWebm(dir: string): Promise<string> {
  const file = path.join(dir, 'recording.webm');
  await ffmpeg('-f', 'lavfi', '-i', `testsrc2=s=160x90:r=${fps}`, '-t', '2.5', '-c:v', 'libvpx', '-live', '1', '-f', 'webm', file);
  return file;
}

/** Files that are not usable videos, each named .mp4 as they arrive. */
export async function badVideos(dir: string) {
  const at = (name: string) => path.join(dir, name);
  const html = at('page.mp4');
  await writeFile(html, '<!doctype html><html><head><title>Video</title></head><body><video src="x.mp4"></video></body></html>\n');
  const empty = at('empty.mp4');
  await writeFile(empty, '');
  const png = at('picture.mp4');
  await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7bd5' } }).png().toFile(png);
  const audioOnly = at('song.mp4');
  await ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:duration=2', '-c:a', 'libmp3lame', '-f', 'mp3', audioOnly);
  const short = at('short.mp4');
  await ffmpeg('-f', 'lavfi', '-i', `testsrc2=s=${size}:r=${fps}`, '-t', '0.4', ...h264, short);
  const tiny = at('tiny.mp4');
  await ffmpeg('-f', 'lavfi', '-i', `color=red:s=16x16:r=${fps},format=rgb24,scale=1:1`, '-t', '2', '-c:v', 'png', '-f', 'mov', tiny);

  // ffmpeg writes the index (moov) after the data unless told otherwise: cut the end and it is gone.
  const complete = at('complete.mp4');
  await ffmpeg('-f', 'lavfi', '-i', `testsrc2=s=${size}:r=${fps}`, '-t', '2', ...h264, complete);
  const truncated = at('truncated.mp4');
  const whole = await readFile(complete);
  await writeFile(truncated, whole.subarray(0, Math.floor(whole.length * 0.8)));

  // An intact index in front of video data overwritten with noise: only decoding can tell.
  const indexed = at('indexed.mp4');
  await ffmpeg('-f', 'lavfi', '-i', `testsrc2=s=${size}:r=${fps}`, '-t', '2', ...h264, '-movflags', '+faststart', indexed);
  const garbled = at('garbled.mp4');
  const bytes = await readFile(indexed);
  let seed = 7;
  for (let i = bytes.indexOf('mdat') + 4; i < bytes.length; i++) bytes[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  await writeFile(garbled, bytes);
  return { html, empty, png, audioOnly, short, tiny, truncated, garbled };
}

/**
 * Files ffmpeg would read as playlists naming a file of the server's (`secret`, a real MPEG-TS
 * clip): an HLS playlist whose control byte defeats a text sniff, a concat script, and an HLS
 * playlist behind a nested `subfile:` URL. Whatever the name they are uploaded under.
 */
export async function playlistsReadingLocalFiles(dir: string) {
  const secret = path.join(dir, 'server-secret.ts');
  await ffmpeg('-f', 'lavfi', '-i', `testsrc2=s=${size}:r=${fps}`, '-t', '1', ...h264, '-f', 'mpegts', secret);
  const at = (name: string) => path.join(dir, name);
  const hls = at('playlist.mp4');
  await writeFile(hls, `#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\x01\nfile:${secret}\n#EXT-X-ENDLIST\n`);
  const concat = at('concat.mp4');
  await writeFile(concat, `ffconcat version 1.0\n#\x01\nfile '${secret}'\n`);
  const nested = at('nested.m4a');
  await writeFile(nested, `#EXTM3U\n#\x02\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nsubfile,,start,0,end,0,,:${secret}\n#EXT-X-ENDLIST\n`);
  return { secret, playlists: { hls, concat, nested } };
}
