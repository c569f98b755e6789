import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newTempFile, sweepTempFiles } from '@/lib/storage/temp';
import { useLocalDataDir } from '@/tests/support/data-dir';

const data = useLocalDataDir('temp-sweep');
const sleeper = spawn('sleep', ['60']);
afterAll(() => {
  sleeper.kill();
});

async function folder(name: string, ageMs = 0) {
  const dir = path.join(data.dir, 'tmp', name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'upload-x'), Buffer.alloc(1024));
  if (ageMs) {
    const at = new Date(Date.now() - ageMs);
    await utimes(dir, at, at);
  }
  return name;
}

describe('temporary files', () => {
  it('lives in a folder of this process’s own', async () => {
    const file = await newTempFile('upload');
    expect(path.relative(path.join(data.dir, 'tmp'), file)).toMatch(new RegExp(`^${process.pid}-[0-9a-f]{8}/upload-`));
  });

  it('goes with its process when that exits', async () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'tests/support/temp-file-then-exit.ts'], { env: { ...process.env, DATA_DIR: data.dir }, encoding: 'utf8' });
    const file = run.stdout.trim();
    expect(file.startsWith(path.join(data.dir, 'tmp'))).toBe(true);
    await expect(stat(path.dirname(file))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a sweep removes what crashed processes left and spares the living', async () => {
    const mine = path.basename(path.dirname(await newTempFile('upload')));
    await writeFile(path.join(data.dir, 'tmp', mine, 'in-use'), 'x');
    // A process that has exited: its pid is free.
    const dead = spawnSync('true').pid;
    const crashed = await folder(`${dead}-deadbeef`);
    const earlierRunOfMyPid = await folder(`${process.pid}-0badf00d`);
    const living = await folder(`${sleeper.pid}-cafecafe`);
    const livingButAncient = await folder(`${sleeper.pid}-0ld0ld00`, 25 * 3600_000);
    const looseFromBefore = path.join(data.dir, 'tmp', 'upload-1234');
    await writeFile(looseFromBefore, Buffer.alloc(1024));
    const hourAgo = new Date(Date.now() - 2 * 3600_000);
    await utimes(looseFromBefore, hourAgo, hourAgo);
    const looseFresh = path.join(data.dir, 'tmp', 'upload-5678');
    await writeFile(looseFresh, 'x');

    expect(await sweepTempFiles()).toBe(4);
    const left = (await readdir(path.join(data.dir, 'tmp'))).sort();
    expect(left).toEqual([mine, living, 'upload-5678'].sort());
    expect(left).not.toContain(crashed);
    expect(left).not.toContain(earlierRunOfMyPid);
    expect(left).not.toContain(livingButAncient);
  });
});
