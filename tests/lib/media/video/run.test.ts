import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedArgs, runTool, ToolError } from '@/lib/media/video/run';
import { playlistsReadingLocalFiles } from '@/tests/support/videos';

let dir = '';
let files: Awaited<ReturnType<typeof playlistsReadingLocalFiles>>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-run-'));
  files = await playlistsReadingLocalFiles(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('every ffmpeg and ffprobe input is held to our containers and to local files', () => {
  it('puts the guard before ffprobe’s input and before each of ffmpeg’s', () => {
    expect(guardedArgs('ffprobe', ['-v', 'error', 'in.mp4']).slice(0, 4)).toEqual(['-protocol_whitelist', 'file,pipe', '-format_whitelist', expect.stringContaining('mov')]);
    const args = guardedArgs('ffmpeg', ['-ss', '1', '-i', 'a.mp4', '-i', 'b.wav', 'out.mp4']);
    expect(args.filter((a) => a === '-format_whitelist')).toHaveLength(2);
    expect(args.indexOf('-format_whitelist')).toBeLessThan(args.indexOf('-i'));
    expect(args.slice(0, 2)).toEqual(['-ss', '1']);
  });

  it('the server’s own file is what a playlist would read', async () => {
    const { stdout } = await runTool('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', files.secret]);
    expect(stdout).toContain('h264');
  });

  it.each(['hls', 'concat', 'nested'] as const)('a %s playlist is refused by ffprobe and ffmpeg alike, reading nothing', async (name) => {
    const file = files.playlists[name];
    const probe = runTool('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', file]);
    await expect(probe).rejects.toBeInstanceOf(ToolError);
    const decode = runTool('ffmpeg', ['-nostdin', '-v', 'error', '-i', file, '-frames:v', '1', '-f', 'framecrc', '-']);
    await expect(decode).rejects.toBeInstanceOf(ToolError);
  });
});
