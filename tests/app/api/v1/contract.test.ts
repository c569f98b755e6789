/**
 * The HTTP API against its own OpenAPI document (GET /api/v1/openapi.json): every endpoint is
 * called for real (database, blob storage, sharp, ffmpeg, the stub model), and each answer —
 * successes, errors and event streams — is validated against what the document says of that
 * endpoint and status. The document itself must describe every route under app/api/v1, and its
 * request schemas must accept the examples it gives, as the routes' zod schemas do.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStubModel, type StubModel } from '@/e2e/stub-model/server';
import { GET as health } from '@/app/api/health/route';
import { POST as analyzeImage } from '@/app/api/v1/analyze/image/route';
import { analyzeImageSchema } from '@/app/api/v1/analyze/image/schema';
import { POST as analyzeUpload } from '@/app/api/v1/analyze/upload/route';
import { POST as analyzeVideo } from '@/app/api/v1/analyze/video/route';
import { POST as batch } from '@/app/api/v1/batch/route';
import { batchSchema } from '@/app/api/v1/batch/schema';
import { POST as compare } from '@/app/api/v1/compare/route';
import { compareSchema } from '@/app/api/v1/compare/schema';
import { GET as jobEvents } from '@/app/api/v1/jobs/[id]/events/route';
import { GET as getJob } from '@/app/api/v1/jobs/[id]/route';
import { GET as me } from '@/app/api/v1/me/route';
import { GET as openapi } from '@/app/api/v1/openapi.json/route';
import { POST as unknownPath } from '@/app/api/v1/[...path]/route';
import { POST as transcribe } from '@/app/api/v1/transcribe/route';
import * as compareRoute from '@/app/api/v1/compare/route';
import * as jobRoute from '@/app/api/v1/jobs/[id]/route';
import * as meRoute from '@/app/api/v1/me/route';
import { methodNotAllowed } from '@/lib/api/methods';
import { db } from '@/lib/db/client';
import { runBatch } from '@/lib/jobs/batch/run';
import { processAudio } from '@/lib/jobs/audio/process';
import { stopJobQueue } from '@/lib/jobs/boss';
import { apiKeyFor } from '@/tests/support/api';
import { sentencesWithPauses } from '@/tests/support/audio';
import { withdrawnBatchJob } from '@/tests/support/batches';
import { checked, conforms, document, schemaErrors } from '@/tests/support/contract';
import { useLocalDataDir } from '@/tests/support/data-dir';
import { withdrawnJob } from '@/tests/support/recordings';
import { pointAtStub } from '@/tests/support/stub-env';
import { clipWithCuts } from '@/tests/support/videos';

const pending: Promise<unknown>[] = [];
vi.mock('next/server', async (importOriginal) => ({ ...(await importOriginal<object>()), after: (work: Promise<unknown>) => pending.push(work) }));

const data = useLocalDataDir('api-contract');
let stub: StubModel;
let key: string;
let photo: string;

beforeAll(async () => {
  stub = await startStubModel({ deltaDelayMs: 0 });
  pointAtStub(stub.url, { transcription: 'compatible:stub-whisper' });
  vi.stubEnv('COMPATIBLE_PRICE', '0.2/0.6');
  ({ key } = await apiKeyFor('contract'));
  photo = (await sharp({ create: { width: 120, height: 90, channels: 3, background: '#8ecae6' } }).png().toBuffer()).toString('base64');
});

afterAll(async () => {
  await Promise.allSettled(pending);
  await stopJobQueue();
  await stub?.stop();
  await db().$disconnect();
});

const headers = (more: Record<string, string> = {}, withKey = key) => ({ authorization: `Bearer ${withKey}`, ...more });
const json = (url: string, body: unknown, withKey = key) =>
  new Request(`http://glimpse.test${url}`, { method: 'POST', headers: headers({ 'content-type': 'application/json' }, withKey), body: JSON.stringify(body) });
const get = (url: string, withKey = key) => new Request(`http://glimpse.test${url}`, { headers: headers({}, withKey) });
const params = (id: string) => ({ params: Promise.resolve({ id }) });

describe('every endpoint answers as documented', () => {
  it('POST /api/v1/analyze/image: JSON, events, and its errors', async () => {
    await conforms('POST /api/v1/analyze/image', await analyzeImage(json('/api/v1/analyze/image', { image_base64: photo, prompt: 'Contract: what is it?' })));
    await conforms('POST /api/v1/analyze/image', await analyzeImage(json('/api/v1/analyze/image', { image_base64: photo, prompt: 'Contract: stream it', stream: true })));
    await conforms('POST /api/v1/analyze/image', await analyzeImage(json('/api/v1/analyze/image', { image_base64: photo, prompt: 'Contract: fail [fail:500]', stream: true })));
    await conforms('POST /api/v1/analyze/image', await analyzeImage(json('/api/v1/analyze/image', { image_base64: photo, prompt: 'Contract: fail [fail:500]' })));
    await conforms('POST /api/v1/analyze/image', await analyzeImage(json('/api/v1/analyze/image', { prompt: 'no image' })));
    await conforms('POST /api/v1/analyze/image', await analyzeImage(json('/api/v1/analyze/image', { image_base64: Buffer.from('plain text').toString('base64'), prompt: 'x' })));
    await conforms('POST /api/v1/analyze/image', await analyzeImage(json('/api/v1/analyze/image', { image_base64: photo, prompt: 'x' }, 'glk_wrong')));
    const corrupt = Buffer.from(photo, 'base64').subarray(0, 200).toString('base64');
    await conforms('POST /api/v1/analyze/image', await analyzeImage(json('/api/v1/analyze/image', { image_base64: corrupt, prompt: 'x' })));
  });

  it('POST /api/v1/analyze/upload', async () => {
    const form = new FormData();
    form.append('file', new File([Buffer.from(photo, 'base64')], 'photo.png'));
    form.append('prompt', 'Contract: the upload');
    await conforms('POST /api/v1/analyze/upload', await analyzeUpload(new Request('http://glimpse.test/api/v1/analyze/upload', { method: 'POST', headers: headers(), body: form })));
    await conforms('POST /api/v1/analyze/upload', await analyzeUpload(new Request('http://glimpse.test/api/v1/analyze/upload', { method: 'POST', headers: headers(), body: new FormData() })));
  });

  it('POST /api/v1/compare, and a comparison’s job and events', async () => {
    const other = (await sharp({ create: { width: 120, height: 90, channels: 3, background: '#fb8500' } }).png().toBuffer()).toString('base64');
    const images = [{ image_base64: photo }, { image_base64: other }];
    const started = (await conforms('POST /api/v1/compare', await compare(json('/api/v1/compare', { images, prompt: 'Contract: which to pick?' })))) as { id: string };
    await conforms('GET /api/v1/jobs/{id}', await getJob(get(`/api/v1/jobs/${started.id}`), params(started.id)));
    await conforms('GET /api/v1/jobs/{id}/events', await jobEvents(get(`/api/v1/jobs/${started.id}/events`), params(started.id)));
    const done = (await conforms('GET /api/v1/jobs/{id}', await getJob(get(`/api/v1/jobs/${started.id}`), params(started.id)))) as { status: string; result: unknown };
    expect(done.status).toBe('succeeded');
    expect(done.result).not.toBeNull();
    await conforms('POST /api/v1/compare', await compare(json('/api/v1/compare', { images, prompt: 'Contract: stream [json:brokenx1]', stream: true })));
    await conforms('POST /api/v1/compare', await compare(json('/api/v1/compare', { images: images.slice(1) })));
  });

  it('POST /api/v1/analyze/video', async () => {
    const clip = await clipWithCuts(data.dir);
    const request = (body: BodyInit) => new Request('http://glimpse.test/api/v1/analyze/video?filename=clip.mp4', { method: 'POST', headers: headers(), body });
    const started = (await conforms('POST /api/v1/analyze/video', await analyzeVideo(request(await readFile(clip.file))))) as { id: string };
    await conforms('GET /api/v1/jobs/{id}', await getJob(get(`/api/v1/jobs/${started.id}`), params(started.id)));
    await conforms('POST /api/v1/analyze/video', await analyzeVideo(request('not a video at all')));
  });

  it('POST /api/v1/transcribe, and a recording’s job and events', async () => {
    const speech = await sentencesWithPauses(data.dir);
    const request = () => new Request('http://glimpse.test/api/v1/transcribe?filename=speech.wav', { method: 'POST', headers: headers() });
    const started = (await conforms('POST /api/v1/transcribe', await transcribe(new Request(request(), { body: await readFile(speech.file) })))) as { id: string };
    await processAudio(await withdrawnJob(started.id, true));
    await conforms('GET /api/v1/jobs/{id}', await getJob(get(`/api/v1/jobs/${started.id}`), params(started.id)));
    await conforms('GET /api/v1/jobs/{id}/events', await jobEvents(get(`/api/v1/jobs/${started.id}/events`), params(started.id)));
    await conforms('POST /api/v1/transcribe', await transcribe(new Request(request(), { body: new Uint8Array() })));
  });

  it('POST /api/v1/batch, and a batch’s job and events', async () => {
    const body = { prompt: 'Contract: is it blue?', columns: [{ name: 'blue', type: 'boolean' }], images: [{ image_base64: photo }] };
    const started = (await conforms('POST /api/v1/batch', await batch(json('/api/v1/batch', body)))) as { id: string };
    await runBatch(await withdrawnBatchJob(started.id));
    await conforms('GET /api/v1/jobs/{id}', await getJob(get(`/api/v1/jobs/${started.id}`), params(started.id)));
    await conforms('GET /api/v1/jobs/{id}/events', await jobEvents(get(`/api/v1/jobs/${started.id}/events`), params(started.id)));
    await conforms('POST /api/v1/batch', await batch(json('/api/v1/batch', { ...body, images: [] })));
  });

  it('GET /api/v1/jobs/{id} and its events for a job that is not yours', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    await conforms('GET /api/v1/jobs/{id}', await getJob(get(`/api/v1/jobs/${missing}`), params(missing)));
    await conforms('GET /api/v1/jobs/{id}/events', await jobEvents(get(`/api/v1/jobs/${missing}/events`), params(missing)));
  });

  it('GET /api/v1/me and GET /api/health', async () => {
    await conforms('GET /api/v1/me', await me(get('/api/v1/me')));
    await conforms('GET /api/v1/me', await me(new Request('http://glimpse.test/api/v1/me')));
    await conforms('GET /api/health', await health());
  });

  it('a rate-limited key', async () => {
    const limited = await apiKeyFor('contract limited');
    await db().apiKey.update({ where: { id: limited.keyId }, data: { requestsPerMinute: 1 } });
    await me(get('/api/v1/me', limited.key));
    await conforms('GET /api/v1/me', await me(get('/api/v1/me', limited.key)));
  });

  it('checked every documented operation: its success and at least one error', () => {
    for (const [route, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const key = `${method.toUpperCase()} ${route}`;
        const statuses = Object.keys(operation.responses as object).filter((s) => [...checked].includes(`${key} ${s}`));
        expect(statuses.filter((s) => Number(s) < 300), `${key}: a success checked`).not.toEqual([]);
        if (route !== '/api/health') expect(statuses.filter((s) => Number(s) >= 400), `${key}: an error checked`).not.toEqual([]);
      }
    }
  });
});

describe('the document', () => {
  it('fails what breaks it: a wrong shape, an undocumented status, an undocumented event', async () => {
    expect(schemaErrors({ $ref: '#/components/schemas/AnalysisResult' }, { id: 'not-a-uuid', result: 1 })).toMatch(/must match format "uuid"|must be string|must have required property/);
    await expect(conforms('GET /api/v1/me', Response.json({}, { status: 418 }))).rejects.toThrow(/documents status 418/);
    const stray = new Response('event: surprise\ndata: {}\n\n', { headers: { 'content-type': 'text/event-stream' } });
    await expect(conforms('POST /api/v1/analyze/image', stray)).rejects.toThrow(/documents the event "surprise"/);
  });


  it('is served as JSON at /api/v1/openapi.json, as OpenAPI 3.1 with bearer keys', async () => {
    const response = openapi();
    expect(response.status).toBe(200);
    const served = await response.json();
    expect(served).toEqual(JSON.parse(JSON.stringify(document)));
    expect(served).toMatchObject({ openapi: '3.1.0', components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } }, security: [{ apiKey: [] }] });
  });

  it('describes every route under app/api/v1 and every method it exports', async () => {
    const root = path.join(process.cwd(), 'app/api/v1');
    const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('route.ts'));
    const routes: string[] = [];
    for (const file of files) {
      const route = `/api/v1/${path.dirname(file)}`.replace(/\[(\w+)\]/g, '{$1}');
      // The document itself, and the 404 for paths that are not endpoints.
      if (route === '/api/v1/openapi.json' || route === '/api/v1/[...path]') continue;
      const exported = (await import(path.join(root, file))) as Record<string, unknown>;
      // The 405 handler stands under the methods a route does not take: those are no endpoints.
      const methods = Object.keys(exported).filter((name) => /^(GET|POST|PUT|PATCH|DELETE)$/.test(name) && exported[name] !== methodNotAllowed);
      for (const method of methods) routes.push(`${method} ${route}`);
    }
    const documented = Object.entries(document.paths).flatMap(([route, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${route}`));
    expect(documented.filter((r) => r !== 'GET /api/health').sort()).toEqual(routes.sort());
  });

  it('answers a method an endpoint does not take with a 405 in the error shape, naming the ones it does', async () => {
    const cases = [
      { call: compareRoute.GET, url: '/api/v1/compare', method: 'GET', allow: 'POST' },
      { call: jobRoute.POST, url: '/api/v1/jobs/00000000-0000-4000-8000-000000000000', method: 'POST', allow: 'GET' },
      { call: meRoute.DELETE, url: '/api/v1/me', method: 'DELETE', allow: 'GET' },
    ];
    for (const { call, url, method, allow } of cases) {
      const response = call(new Request(`http://glimpse.test${url}`, { method, headers: headers() }));
      expect(response.status, url).toBe(405);
      expect(response.headers.get('allow'), url).toBe(allow);
      const body = await response.json();
      expect(schemaErrors({ $ref: '#/components/schemas/Error' }, body)).toBeNull();
      expect(body.error).toEqual({ code: 'method_not_allowed', message: `${url} does not take ${method}; it takes ${allow}.` });
    }
  });

  it('answers a path that is no endpoint with a 404 in the error shape', async () => {
    const response = unknownPath(new Request('http://glimpse.test/api/v1/analyse/image', { method: 'POST' }));
    expect(response.status).toBe(404);
    const body = await response.json();
    expect(schemaErrors({ $ref: '#/components/schemas/Error' }, body)).toBeNull();
    expect(body.error).toEqual({ code: 'not_found', message: 'There is no endpoint POST /api/v1/analyse/image. The endpoints are listed at /api/v1/openapi.json and /api-docs.' });
  });

  it('gives examples its own request schemas accept, as the routes’ zod schemas do; and they refuse alike', () => {
    const samples = { '/api/v1/analyze/image': analyzeImageSchema, '/api/v1/compare': compareSchema, '/api/v1/batch': batchSchema };
    for (const [route, zod] of Object.entries(samples)) {
      const operation = document.paths[route].post as { requestBody: { content: { 'application/json': { schema: Record<string, unknown> } } }; 'x-codeSamples': { source: string }[] };
      const example = JSON.parse(/-d '(.*)'$/s.exec(operation['x-codeSamples'][0].source)![1]);
      const schema = operation.requestBody.content['application/json'].schema;
      expect(schemaErrors(schema, example), route).toBeNull();
      expect(zod.safeParse(example).success, route).toBe(true);
      for (const broken of [{ ...example, prompt: 42 }, { ...example, unknownImages: true, images: 'none', image_url: undefined, image_base64: undefined }]) {
        expect(schemaErrors(schema, broken), route).not.toBeNull();
        expect(zod.safeParse(broken).success, route).toBe(false);
      }
    }
  });
});
