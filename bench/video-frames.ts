import { stat } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { openaiModels } from '@/lib/ai/catalog';
import { estimateImageTokens } from '@/lib/ai/image-tokens';
import { frameSelectionSettings, selectFrames, type SelectedFrame } from '@/lib/media/video/frames';
import { composeFrameGrid } from '@/lib/media/video/grid';
import { probeVideo } from '@/lib/media/video/probe';
import { naiveFrames } from './naive-frames';
import { type BenchVideo, highMotionBenchVideo, steadyBenchVideo } from './support/videos';

const selectionRuns = 3;
const targets = { recall: 0.98, speedup: 8, tokensPerHour: 100_000 };
const limits = { maxBytes: 4 * 1024 ** 3, maxDurationMs: 4 * 3600_000, minDurationMs: 1000, minSide: 16, maxPixels: 3840 * 2160 };
const highDetail = { kind: 'openai-tiles', detail: 'high' } as const;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percent = (fraction: number) => `${(fraction * 100).toFixed(1)} %`;
const thousands = (tokens: number) => `${(tokens / 1000).toFixed(1)} k`;
const clock = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}`;
const verdict = (met: boolean) => (met ? '**met**' : '**NOT met**');

/** Cuts with no frame within 1 s after them (a frame's time is whole milliseconds, a cut's may not be). */
const missedCuts = (cutsMs: number[], times: number[]) => cutsMs.filter((cut) => !times.some((t) => t >= Math.floor(cut) && t - cut < 1000));

function longestGap(times: number[], durationMs: number): number {
  const all = [...times, durationMs];
  return Math.max(...all.map((t, i) => t - (i === 0 ? 0 : all[i - 1])));
}

/** gpt-4o image tokens per video-hour for the frames sent as 2 × 2 grids, as captions send them. */
async function tokensPerHour(frames: SelectedFrame[], durationMs: number): Promise<number> {
  const gpt4o = openaiModels().find((model) => model.name === 'gpt-4o')!;
  let tokens = 0;
  for (let i = 0; i < frames.length; i += 4) {
    const grid = await composeFrameGrid(frames.slice(i, i + 4));
    tokens += estimateImageTokens(grid.width, grid.height, gpt4o.imageTokens, highDetail);
  }
  return (tokens * 3_600_000) / durationMs;
}

/** One video: Glimpse's selection (median of runs) and the naive pipeline, one after the other in this run. */
async function measure(video: BenchVideo) {
  const info = await probeVideo(video.file, limits);
  const settings = frameSelectionSettings();
  const [loadBefore] = loadavg();
  const seconds: number[] = [];
  let frames: SelectedFrame[] = [];
  for (let run = 0; run < selectionRuns; run++) {
    const started = performance.now();
    frames = [];
    for await (const frame of selectFrames(video.file, info, settings)) frames.push(frame);
    seconds.push((performance.now() - started) / 1000);
  }
  const naiveStarted = performance.now();
  const naive = await naiveFrames(video.file);
  const naiveSeconds = (performance.now() - naiveStarted) / 1000;
  const times = frames.map((f) => f.timeMs);
  return {
    info,
    size: (await stat(video.file)).size,
    loadBefore,
    seconds,
    frames,
    missed: missedCuts(video.cutsMs, times),
    missedNearMotion: missedCuts(video.highMotionCutsMs, times),
    gap: longestGap(times, info.durationMs),
    tokens: await tokensPerHour(frames, info.durationMs),
    naiveSeconds,
    naiveFrames: naive.length,
    naiveMissed: missedCuts(video.cutsMs, naive.map((f) => f.timeMs)),
  };
}

/**
 * Frame selection on two hours of 720p with known cuts (bench/support/videos.ts), against the naive
 * pipeline (bench/naive-frames.ts) on the same file in the same run: wall time, frames, recall
 * overall and next to high-motion scenes, the longest gap, and image tokens per video-hour.
 */
export async function benchVideoFrames(): Promise<{ title: string; markdown: string }> {
  const videos = [await highMotionBenchVideo(), await steadyBenchVideo()];
  const settings = frameSelectionSettings();
  const rows: string[] = [];
  const notes: string[] = [];
  for (const video of videos) {
    const m = await measure(video);
    const selection = median(m.seconds);
    const speedup = m.naiveSeconds / selection;
    const recall = 1 - m.missed.length / video.cutsMs.length;
    const nearMotion = video.highMotionCutsMs.length === 0 ? '—' : percent(1 - m.missedNearMotion.length / video.highMotionCutsMs.length);
    const reasons = (['first', 'scene', 'floor'] as const).map((reason) => `${m.frames.filter((f) => f.reason === reason).length} ${reason}`).join(', ');
    rows.push(
      `| ${video.description}; ${(m.size / 1e6).toFixed(0)} MB | ${m.seconds.map((s) => s.toFixed(1)).join(', ')} → **${selection.toFixed(1)} s** | ` +
        `${m.naiveSeconds.toFixed(1)} s | **${speedup.toFixed(1)}×** ${verdict(speedup >= targets.speedup)} | ${m.frames.length} (${reasons}) | ` +
        `${percent(recall)} ${verdict(recall >= targets.recall)} | ${nearMotion} | ${(m.gap / 1000).toFixed(1)} s ${verdict(m.gap <= settings.floorSeconds * 1000)} | ` +
        `${thousands(m.tokens)} ${verdict(m.tokens <= targets.tokensPerHour)} | ${m.naiveFrames}, ${percent(1 - m.naiveMissed.length / video.cutsMs.length)} | ${m.loadBefore.toFixed(1)} |`,
    );
    notes.push(`${video.description}: missed cuts (m:ss) ${m.missed.length === 0 ? 'none' : m.missed.map(clock).join(', ')}.`);
  }
  const markdown = [
    `Both videos are made once by the bench and kept in \`.bench-cache/\` (x264 veryfast, CRF 23, B-frames, a fixed keyframe ` +
      `interval, so no keyframe at the cuts). Settings: the defaults (cut difference ${settings.cutDifference}, contrast ` +
      `${settings.cutContrast}, floor ${settings.floorSeconds} s, minimum gap ${settings.minGapSeconds} s, ${settings.maxFramesPerMinute} frames a minute, ` +
      `${settings.frameLongSide} px frames); ${availableParallelism()} cores. The naive pipeline (\`bench/naive-frames.ts\`) decodes every ` +
      'frame with default threads, keeps one a second (`fps=1`), writes each as JPEG, hashes it (pHash) and keeps it when 10 bits or more ' +
      `differ from the last kept one; it runs right after Glimpse's ${selectionRuns} runs on the same file.`,
    '',
    '| Video | Glimpse, wall (runs → median) | Naive, wall | Speed-up (≥ 8×) | Frames | Cut recall (≥ 98 %) | Recall next to high motion | Longest gap (≤ floor) | gpt-4o image tokens per hour, 2 × 2 grids (≤ 100 k) | Naive: frames, recall | Load before |',
    '| --- | --- | ---: | --- | --- | --- | ---: | --- | --- | --- | ---: |',
    ...rows,
    '',
    ...notes,
    '',
    'Recall: a selected frame within 1 s after the cut. Tokens: the catalog’s gpt-4o rule at detail high for the grids ' +
      '`composeFrameGrid` makes of four consecutive frames; prompt text not counted.',
  ].join('\n');
  return { title: 'Video frame selection', markdown };
}
