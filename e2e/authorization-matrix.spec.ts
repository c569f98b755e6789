import fs from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type APIRequestContext, type APIResponse, type Browser } from '@playwright/test';
import { sentencesWithPauses } from '../tests/support/audio';
import { photoWithGps } from '../tests/support/images';
import { silentClip } from '../tests/support/videos';
import { AuthPage, E2E_ADMIN } from './pages/auth-page';
import { callServerAction } from './support/server-actions';
import { resetStub } from './support/stub';

/**
 * The whole surface, from the file tree: every method of every app/**\/route.ts, every page and
 * every server action, each called as the owner of the things it names, another guest, another
 * account, a client without cookies and an admin. A route, page or action without a case here fails
 * the suite, so a new one is decided on, not forgotten. Anyone who is not meant to see a thing gets
 * what a missing thing gets, and its body names nothing of the owner's.
 */
type Who = 'owner' | 'otherGuest' | 'otherAccount' | 'noSession' | 'admin';
const everyone: Who[] = ['owner', 'otherGuest', 'otherAccount', 'noSession', 'admin'];
type Statuses = Record<Who, number>;

/** The owner's, answered to the owner alone; `admin` for what the console may see too. */
const owned = (owner: number, admin = 404): Statuses => ({ owner, otherGuest: 404, otherAccount: 404, noSession: 404, admin });
const all = (status: number): Statuses => ({ owner: status, otherGuest: status, otherAccount: status, noSession: status, admin: status });
/** The console's: admins only. */
const adminOnly = (status = 200): Statuses => ({ ...all(404), admin: status });
/** Routes the proxy does not sign in as guests (uploads, media): no cookies is no session, a 401 whatever the id. */
const withoutSession = (statuses: Statuses, status = 401): Statuses => ({ ...statuses, noSession: status });

interface Fixture {
  ownerEmail: string;
  conversationId: string;
  doomedConversationId: string;
  imageId: string;
  videoId: string;
  audioId: string;
  batchId: string;
  batchImageId: string;
  shareLinkId: string;
  doomedShareLinkId: string;
  shareToken: string;
  keyId: string;
}

type Call = (c: APIRequestContext, f: Fixture) => Promise<APIResponse>;
interface Case {
  call: Call;
  expect: Statuses;
}

const json = (data: unknown) => ({ data: data as Record<string, unknown> });
const sse = { headers: { accept: 'text/event-stream' }, timeout: 15_000 };

/** Every method of every route file, by file. `405`/`404` stand for the shared answers of the versioned API. */
const routes: Record<string, Record<string, Case | 405 | 404>> = {
  'app/admin/media/[id]/frames/[index]/route.ts': { GET: { call: (c, f) => c.get(`/admin/media/${f.videoId}/frames/0`), expect: adminOnly() } },
  'app/admin/media/[id]/route.ts': { GET: { call: (c, f) => c.get(`/admin/media/${f.imageId}`), expect: adminOnly() } },
  'app/admin/media/[id]/transcript/route.ts': { GET: { call: (c, f) => c.get(`/admin/media/${f.audioId}/transcript?format=txt`), expect: adminOnly() } },
  'app/admin/media/[id]/view/route.ts': { GET: { call: (c, f) => c.get(`/admin/media/${f.videoId}/view`), expect: adminOnly() } },
  'app/api/audio/[id]/cancel/route.ts': { POST: { call: (c, f) => c.post(`/api/audio/${f.audioId}/cancel`), expect: owned(409) } },
  'app/api/audio/[id]/events/route.ts': { GET: { call: (c, f) => c.get(`/api/audio/${f.audioId}/events`, sse), expect: owned(200) } },
  'app/api/audio/[id]/retry/route.ts': { POST: { call: (c, f) => c.post(`/api/audio/${f.audioId}/retry`), expect: owned(409) } },
  'app/api/audio/[id]/route.ts': { GET: { call: (c, f) => c.get(`/api/audio/${f.audioId}`), expect: owned(200) } },
  'app/api/auth/[...all]/route.ts': {
    // Everyone has (or is given) a session to read; nobody reaches the admin plugin's endpoints.
    GET: { call: (c) => c.get('/api/auth/get-session'), expect: all(200) },
    POST: { call: (c, f) => c.post('/api/auth/admin/set-role', json({ userId: f.ownerEmail, role: 'admin' })), expect: all(404) },
  },
  'app/api/batches/[id]/cancel/route.ts': { POST: { call: (c, f) => c.post(`/api/batches/${f.batchId}/cancel`), expect: owned(409) } },
  'app/api/batches/[id]/events/route.ts': { GET: { call: (c, f) => c.get(`/api/batches/${f.batchId}/events`, sse), expect: owned(200) } },
  'app/api/batches/[id]/export/route.ts': { GET: { call: (c, f) => c.get(`/api/batches/${f.batchId}/export?format=csv`), expect: owned(200) } },
  'app/api/batches/[id]/resume/route.ts': { POST: { call: (c, f) => c.post(`/api/batches/${f.batchId}/resume`), expect: owned(409) } },
  'app/api/batches/[id]/retry-failed/route.ts': { POST: { call: (c, f) => c.post(`/api/batches/${f.batchId}/retry-failed`), expect: owned(409) } },
  'app/api/batches/[id]/route.ts': { GET: { call: (c, f) => c.get(`/api/batches/${f.batchId}`), expect: owned(200) } },
  'app/api/batches/route.ts': {
    // Someone else's image in my batch is a missing image.
    POST: { call: (c, f) => c.post('/api/batches', json({ prompt: 'x', modelId: 'compatible:stub-vision', mediaIds: [f.batchImageId] })), expect: owned(201) },
    GET: { call: (c) => c.get('/api/batches'), expect: all(200) },
  },
  'app/api/chat/[id]/stream/route.ts': { GET: { call: (c, f) => c.get(`/api/chat/${f.conversationId}/stream`), expect: owned(204) } },
  'app/api/chat/route.ts': {
    POST: {
      call: (c, f) => c.post('/api/chat', json({ trigger: 'regenerate-message', id: f.conversationId, modelId: 'compatible:stub-vision', messageId: 'nope' })),
      expect: owned(409),
    },
  },
  'app/api/conversations/[id]/route.ts': {
    GET: { call: (c, f) => c.get(`/api/conversations/${f.conversationId}`), expect: owned(200) },
    PATCH: { call: (c, f) => c.patch(`/api/conversations/${f.conversationId}`, json({ title: 'Matrix secret' })), expect: owned(200) },
    DELETE: { call: (c, f) => c.delete(`/api/conversations/${f.doomedConversationId}`), expect: owned(204) },
  },
  'app/api/conversations/[id]/share/route.ts': { POST: { call: (c, f) => c.post(`/api/conversations/${f.conversationId}/share`, json({})), expect: owned(201) } },
  'app/api/conversations/[id]/stop/route.ts': { POST: { call: (c, f) => c.post(`/api/conversations/${f.conversationId}/stop`), expect: owned(200) } },
  'app/api/conversations/route.ts': { GET: { call: (c) => c.get('/api/conversations'), expect: all(200) } },
  'app/api/health/route.ts': { GET: { call: (c) => c.get('/api/health'), expect: all(200) } },
  'app/api/keys/[id]/route.ts': { DELETE: { call: (c, f) => c.delete(`/api/keys/${f.keyId}`), expect: owned(200) } },
  'app/api/keys/route.ts': {
    GET: { call: (c) => c.get('/api/keys'), expect: all(200) },
    // Keys belong to accounts: a guest (the proxy makes one of a cookieless client) is told to sign up.
    POST: { call: (c) => c.post('/api/keys', json({ name: 'A key from the matrix' })), expect: { owner: 201, otherGuest: 401, otherAccount: 201, noSession: 401, admin: 201 } },
  },
  'app/api/media/[id]/route.ts': {
    GET: { call: (c, f) => c.get(`/api/media/${f.imageId}?original=1`), expect: withoutSession(owned(200), 404) },
    // Sent in a conversation: the owner may not withdraw it either.
    DELETE: { call: (c, f) => c.delete(`/api/media/${f.imageId}`), expect: withoutSession(owned(409)) },
  },
  'app/api/media/[id]/share/route.ts': { POST: { call: (c, f) => c.post(`/api/media/${f.videoId}/share`, json({})), expect: withoutSession(owned(201)) } },
  'app/api/media/[id]/transcript/route.ts': { GET: { call: (c, f) => c.get(`/api/media/${f.audioId}/transcript?format=srt`), expect: withoutSession(owned(200)) } },
  'app/api/media/[id]/translations/route.ts': {
    POST: { call: (c, f) => c.post(`/api/media/${f.audioId}/translations`, json({ language: 'German' })), expect: withoutSession(owned(200)) },
  },
  'app/api/share-links/[id]/route.ts': { DELETE: { call: (c, f) => c.delete(`/api/share-links/${f.doomedShareLinkId}`), expect: owned(200) } },
  'app/api/share-links/route.ts': { GET: { call: (c) => c.get('/api/share-links'), expect: all(200) } },
  'app/api/share/[token]/copy/route.ts': {
    // The token is the capability: any account may continue in a copy, a guest is asked to sign up.
    POST: { call: (c, f) => c.post(`/api/share/${f.shareToken}/copy`), expect: { owner: 201, otherGuest: 401, otherAccount: 201, noSession: 401, admin: 201 } },
  },
  'app/api/uploads/audio/blob/route.ts': { POST: { call: (c) => c.post('/api/uploads/audio/blob', json({})), expect: withoutSession(all(400)) } },
  'app/api/uploads/audio/route.ts': {
    PUT: { call: (c) => c.put('/api/uploads/audio?filename=x.wav', { data: Buffer.from('RIFF'), headers: { 'content-type': 'audio/wav' } }), expect: withoutSession(all(415)) },
  },
  'app/api/uploads/audio/token/route.ts': {
    // Direct uploads exist with Vercel Blob only: on local storage there is no pathname to hand out.
    GET: { call: (c) => c.get('/api/uploads/audio/token'), expect: withoutSession(all(404)) },
    POST: { call: (c) => c.post('/api/uploads/audio/token', json({})), expect: withoutSession(all(400)) },
  },
  'app/api/uploads/route.ts': { POST: { call: (c) => c.post('/api/uploads', { multipart: { note: 'no file' } }), expect: withoutSession(all(400)) } },
  'app/api/uploads/video/blob/route.ts': { POST: { call: (c) => c.post('/api/uploads/video/blob', json({})), expect: withoutSession(all(400)) } },
  'app/api/uploads/video/route.ts': {
    PUT: { call: (c) => c.put('/api/uploads/video?filename=x.mp4', { data: Buffer.from('not a video'), headers: { 'content-type': 'video/mp4' } }), expect: withoutSession(all(415)) },
  },
  'app/api/uploads/video/token/route.ts': {
    GET: { call: (c) => c.get('/api/uploads/video/token'), expect: withoutSession(all(404)) },
    POST: { call: (c) => c.post('/api/uploads/video/token', json({})), expect: withoutSession(all(400)) },
  },
  // The versioned API takes API keys only: a browser session, an admin's included, is no key.
  'app/api/v1/[...path]/route.ts': { GET: 404, POST: 404, PUT: 404, PATCH: 404, DELETE: 404 },
  'app/api/v1/analyze/image/route.ts': { POST: { call: (c) => c.post('/api/v1/analyze/image', json({})), expect: all(401) }, GET: 405, PUT: 405, PATCH: 405, DELETE: 405 },
  'app/api/v1/analyze/upload/route.ts': { POST: { call: (c) => c.post('/api/v1/analyze/upload', json({})), expect: all(401) }, GET: 405, PUT: 405, PATCH: 405, DELETE: 405 },
  'app/api/v1/analyze/video/route.ts': { POST: { call: (c) => c.post('/api/v1/analyze/video', json({})), expect: all(401) }, GET: 405, PUT: 405, PATCH: 405, DELETE: 405 },
  'app/api/v1/batch/route.ts': { POST: { call: (c) => c.post('/api/v1/batch', json({})), expect: all(401) }, GET: 405, PUT: 405, PATCH: 405, DELETE: 405 },
  'app/api/v1/compare/route.ts': { POST: { call: (c) => c.post('/api/v1/compare', json({})), expect: all(401) }, GET: 405, PUT: 405, PATCH: 405, DELETE: 405 },
  'app/api/v1/jobs/[id]/events/route.ts': { GET: { call: (c, f) => c.get(`/api/v1/jobs/${f.videoId}/events`), expect: all(401) }, POST: 405, PUT: 405, PATCH: 405, DELETE: 405 },
  'app/api/v1/jobs/[id]/route.ts': { GET: { call: (c, f) => c.get(`/api/v1/jobs/${f.videoId}`), expect: all(401) }, POST: 405, PUT: 405, PATCH: 405, DELETE: 405 },
  'app/api/v1/me/route.ts': { GET: { call: (c) => c.get('/api/v1/me'), expect: all(401) }, POST: 405, PUT: 405, PATCH: 405, DELETE: 405 },
  'app/api/v1/openapi.json/route.ts': { GET: { call: (c) => c.get('/api/v1/openapi.json'), expect: all(200) }, POST: 405, PUT: 405, PATCH: 405, DELETE: 405 },
  'app/api/v1/transcribe/route.ts': { POST: { call: (c) => c.post('/api/v1/transcribe', json({})), expect: all(401) }, GET: 405, PUT: 405, PATCH: 405, DELETE: 405 },
  'app/api/videos/[id]/cancel/route.ts': { POST: { call: (c, f) => c.post(`/api/videos/${f.videoId}/cancel`), expect: owned(409) } },
  'app/api/videos/[id]/events/route.ts': { GET: { call: (c, f) => c.get(`/api/videos/${f.videoId}/events`, sse), expect: owned(200) } },
  'app/api/videos/[id]/frames/[index]/route.ts': { GET: { call: (c, f) => c.get(`/api/videos/${f.videoId}/frames/0`), expect: owned(200) } },
  'app/api/videos/[id]/retry/route.ts': { POST: { call: (c, f) => c.post(`/api/videos/${f.videoId}/retry`), expect: owned(409) } },
  'app/api/videos/[id]/route.ts': { GET: { call: (c, f) => c.get(`/api/videos/${f.videoId}`), expect: owned(200) } },
  // A share link's token is its capability: whoever holds it sees what it shares, nothing else (see the checks below).
  'app/share/[token]/audio/[mediaId]/route.ts': { GET: { call: (c, f) => c.get(`/share/${f.shareToken}/audio/${f.audioId}`), expect: all(404) } },
  'app/share/[token]/media/[mediaId]/route.ts': { GET: { call: (c, f) => c.get(`/share/${f.shareToken}/media/${f.imageId}`), expect: all(200) } },
  'app/share/[token]/media/[mediaId]/transcript/route.ts': { GET: { call: (c, f) => c.get(`/share/${f.shareToken}/media/${f.audioId}/transcript?format=txt`), expect: all(404) } },
  'app/share/[token]/videos/[mediaId]/frames/[index]/route.ts': { GET: { call: (c, f) => c.get(`/share/${f.shareToken}/videos/${f.videoId}/frames/0`), expect: all(200) } },
  'app/share/[token]/videos/[mediaId]/route.ts': { GET: { call: (c, f) => c.get(`/share/${f.shareToken}/videos/${f.videoId}`), expect: all(200) } },
};

/** An admin page as a click in the console fetches it: the RSC payload of the page alone, the layout taken as rendered. */
const rscHeaders = (segment: string) => ({
  RSC: '1',
  'Next-Router-State-Tree': encodeURIComponent(JSON.stringify(['', { children: ['admin', { children: [segment, { children: ['__PAGE__', {}] }] }] }])),
});

/** Every page, by file: what each caller gets. The admin pages also as client navigations (RSC). */
const pages: Record<string, { path: (f: Fixture) => string; expect: Statuses }> = {
  'app/(auth)/sign-in/page.tsx': { path: () => '/sign-in', expect: all(200) },
  'app/(auth)/sign-up/page.tsx': { path: () => '/sign-up', expect: all(200) },
  'app/(chat)/batch/[id]/page.tsx': { path: (f) => `/batch/${f.batchId}`, expect: all(200) },
  'app/(chat)/batch/page.tsx': { path: () => '/batch', expect: all(200) },
  'app/(chat)/c/[id]/page.tsx': { path: (f) => `/c/${f.conversationId}`, expect: owned(200) },
  'app/(chat)/page.tsx': { path: () => '/', expect: all(200) },
  'app/(chat)/settings/page.tsx': { path: () => '/settings', expect: all(200) },
  'app/(chat)/shared/page.tsx': { path: () => '/shared', expect: all(200) },
  'app/admin/api-keys/page.tsx': { path: () => '/admin/api-keys', expect: adminOnly() },
  'app/admin/audit/page.tsx': { path: () => '/admin/audit', expect: adminOnly() },
  'app/admin/conversations/[id]/page.tsx': { path: (f) => `/admin/conversations/${f.conversationId}`, expect: adminOnly() },
  'app/admin/conversations/page.tsx': { path: () => '/admin/conversations', expect: adminOnly() },
  'app/admin/jobs/page.tsx': { path: () => '/admin/jobs', expect: adminOnly() },
  'app/admin/models/page.tsx': { path: () => '/admin/models', expect: adminOnly() },
  'app/admin/page.tsx': { path: () => '/admin', expect: adminOnly() },
  'app/admin/shared/page.tsx': { path: () => '/admin/shared', expect: adminOnly() },
  'app/admin/users/page.tsx': { path: () => '/admin/users', expect: adminOnly() },
  'app/api-docs/page.tsx': { path: () => '/api-docs', expect: all(200) },
  'app/share/[token]/page.tsx': { path: (f) => `/share/${f.shareToken}`, expect: all(200) },
};

/** Every server action, by file and name: called by id as a browser would; only an admin changes anything. */
const actions: Record<string, Record<string, { page: string; args: (f: Fixture, ownerId: string) => unknown[] }>> = {
  'app/admin/actions.ts': {
    changeRole: { page: '/admin/users', args: (_f, ownerId) => [ownerId, 'admin'] },
    changeBan: { page: '/admin/users', args: (_f, ownerId) => [ownerId, true] },
    revokeShare: { page: '/admin/shared', args: (f) => [f.shareLinkId] },
    revokeKey: { page: '/admin/api-keys', args: (f) => [f.keyId] },
    cancelJob: { page: '/admin/jobs', args: (f) => [f.videoId] },
    retryJob: { page: '/admin/jobs', args: (f) => [f.videoId] },
    testConnection: { page: '/admin/models', args: () => ['compatible:stub-vision'] },
  },
};

function filesUnder(dir: string, match: (name: string) => boolean): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && match(e.name)).map((e) => path.join(e.parentPath, e.name)).sort();
}

/** The HTTP methods a route file exports, however it exports them. */
function exportedMethods(file: string): string[] {
  const source = fs.readFileSync(file, 'utf8');
  const direct = [...source.matchAll(/^export (?:const|(?:async )?function) (GET|POST|PUT|PATCH|DELETE)\b/gm)].map((m) => m[1]);
  const renamed = [...source.matchAll(/^export \{([^}]*)\}/gm)].flatMap((m) => [...m[1].matchAll(/\bas (GET|POST|PUT|PATCH|DELETE)\b/g)].map((r) => r[1]));
  return [...new Set([...direct, ...renamed])].sort();
}

function exportedActions(file: string): string[] {
  return [...fs.readFileSync(file, 'utf8').matchAll(/^export async function (\w+)/gm)].map((m) => m[1]).sort();
}

test('the case list covers every route, page and server action in the tree', () => {
  const routeFiles = filesUnder('app', (name) => name === 'route.ts');
  expect(Object.keys(routes).sort(), 'a route file without a case, or a case without its file').toEqual(routeFiles);
  for (const file of routeFiles) expect(Object.keys(routes[file]).sort(), `${file}: methods`).toEqual(exportedMethods(file));
  expect(Object.keys(pages).sort(), 'a page without a case').toEqual(filesUnder('app', (name) => name === 'page.tsx'));
  const actionFiles = filesUnder('app', (name) => /\.tsx?$/.test(name)).filter((file) => /^['"]use server['"]/m.test(fs.readFileSync(file, 'utf8')));
  expect(Object.keys(actions).sort(), 'a server action file without cases').toEqual(actionFiles);
  for (const file of actionFiles) expect(Object.keys(actions[file]).sort(), `${file}: actions`).toEqual(exportedActions(file));
});

async function signedIn(browser: Browser, email?: string): Promise<APIRequestContext> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const auth = new AuthPage(page);
  if (email === E2E_ADMIN.email) await auth.signInAsAdmin();
  else if (email) await auth.signUpOrSignIn(email, 'a long enough password');
  else await page.goto('/');
  return context.request;
}

async function waitForJob(client: APIRequestContext, path: string) {
  await expect.poll(async () => ((await (await client.get(path)).json()) as { job: { status: string } }).job.status, { timeout: 90_000 }).toBe('succeeded');
}

async function setUp(owner: APIRequestContext, ownerEmail: string): Promise<Fixture> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'glimpse-matrix-'));
  const upload = async (name: string, colour: string, query = '') => {
    const file = { name, mimeType: 'image/jpeg', buffer: await photoWithGps(320, 240, colour) };
    const response = await owner.post(`/api/uploads${query}`, { multipart: { file } });
    expect(response.status()).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const put = async (kind: 'video' | 'audio', file: string, name: string, type: string) => {
    const response = await owner.put(`/api/uploads/${kind}?filename=${name}`, { data: await readFile(file), headers: { 'content-type': type } });
    expect(response.status()).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const imageId = await upload('matrix-private.jpg', '#a61e4d');
  const videoId = await put('video', await silentClip(dir), 'matrix-private.mp4', 'video/mp4');
  const audioId = await put('audio', (await sentencesWithPauses(dir)).file, 'matrix-private.wav', 'audio/wav');
  await waitForJob(owner, `/api/videos/${videoId}`);
  await waitForJob(owner, `/api/audio/${audioId}`);

  // One conversation holds the image and the video (the recording stays unsent).
  const conversationId = crypto.randomUUID();
  const ask = await owner.post('/api/chat', {
    data: {
      trigger: 'submit-message',
      id: conversationId,
      modelId: 'compatible:stub-vision',
      message: {
        id: crypto.randomUUID(),
        role: 'user',
        parts: [
          { type: 'file', mediaType: 'image/jpeg', url: `/api/media/${imageId}`, filename: 'matrix-private.jpg' },
          { type: 'file', mediaType: 'video/mp4', url: `/api/media/${videoId}`, filename: 'matrix-private.mp4' },
          { type: 'text', text: 'Matrix secret question' },
        ],
      },
    },
  });
  expect(ask.status()).toBe(200);
  await ask.body();
  const doomedConversationId = crypto.randomUUID();
  await (
    await owner.post('/api/chat', {
      data: { trigger: 'submit-message', id: doomedConversationId, modelId: 'compatible:stub-vision', message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'Doomed' }] } },
    })
  ).body();

  const share = async () => (await (await owner.post(`/api/conversations/${conversationId}/share`, json({}))).json()) as { id: string; url: string };
  const link = await share();
  const doomedLink = await share();

  const batchImageId = await upload('matrix-batch.jpg', '#0b7285', '?for=batch');
  const batch = await owner.post('/api/batches', json({ prompt: 'Matrix batch prompt', modelId: 'compatible:stub-vision', mediaIds: [batchImageId] }));
  expect(batch.status()).toBe(201);
  const batchId = ((await batch.json()) as { id: string }).id;
  await expect.poll(async () => ((await (await owner.get(`/api/batches/${batchId}`)).json()) as { batch: { status: string } }).batch.status, { timeout: 60_000 }).toBe('completed');

  const key = await owner.post('/api/keys', json({ name: 'Matrix owner key' }));
  expect(key.status()).toBe(201);
  return {
    ownerEmail,
    conversationId,
    doomedConversationId,
    imageId,
    videoId,
    audioId,
    batchId,
    batchImageId,
    shareLinkId: link.id,
    doomedShareLinkId: doomedLink.id,
    shareToken: link.url.split('/').at(-1)!,
    keyId: ((await key.json()) as { apiKey: { id: string } }).apiKey.id,
  };
}

/** What only the owner (and, in the console, an admin) may ever read. */
const secrets = (f: Fixture) => [f.ownerEmail, 'Matrix secret', 'matrix-private', 'Matrix batch prompt', 'Matrix owner key'];

test('every route, page and action answers as its case says, and tells nobody else anything', async ({ browser, playwright }) => {
  test.setTimeout(600_000);
  await resetStub();
  const ownerEmail = `matrix-owner-${Date.now()}@example.com`;
  const sessions = {
    owner: await signedIn(browser, ownerEmail),
    otherGuest: await signedIn(browser),
    otherAccount: await signedIn(browser, `matrix-other-${Date.now()}@example.com`),
    admin: await signedIn(browser, E2E_ADMIN.email),
  };
  // A client without cookies, every time: the proxy would make a guest of a reused one.
  const cookieless = async () => playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
  const client = async (who: Who) => (who === 'noSession' ? await cookieless() : sessions[who]);
  const clients = { ...sessions, noSession: await cookieless() };
  const f = await setUp(sessions.owner, ownerEmail);
  const ownerId = ((await (await clients.owner.get('/api/auth/get-session')).json()) as { user: { id: string } }).user.id;
  const failures: string[] = [];
  const check = async (name: string, who: Who, response: APIResponse, expected: number, { shared = false } = {}) => {
    if (response.status() !== expected) failures.push(`${who} → ${name}: ${response.status()}, expected ${expected}`);
    // The owner sees their own; an admin sees people's data in the console; a share link shows what it shares.
    if (who === 'owner' || (who === 'admin' && expected === 200) || shared) return;
    const body = await response.text().catch(() => '');
    for (const secret of secrets(f)) if (body.includes(secret)) failures.push(`${who} → ${name}: the body names "${secret}"`);
  };

  // Pages first: the copy route below legitimately gives other accounts a conversation of that title.
  for (const [file, page] of Object.entries(pages)) {
    for (const who of everyone) {
      await check(`page ${file}`, who, await (await client(who)).get(page.path(f)), page.expect[who], { shared: file.startsWith('app/share/') });
      if (!file.startsWith('app/admin/')) continue;
      // A client navigation within the console: the page must check on its own, the layout is not asked.
      const segment = page.path(f).split('/')[2] ?? 'users';
      const rsc = await (await client(who)).get(page.path(f), { headers: rscHeaders(segment === 'users' ? 'audit' : 'users') });
      const body = await rsc.text();
      const refused = rsc.status() === 404 || body.includes('NEXT_HTTP_ERROR_FALLBACK;404');
      if ((who === 'admin') === refused) failures.push(`${who} → RSC ${file}: ${rsc.status()}, ${refused ? 'refused' : 'rendered'}`);
      if (who !== 'admin') for (const secret of secrets(f)) if (body.includes(secret)) failures.push(`${who} → RSC ${file}: names "${secret}"`);
    }
  }
  for (const [file, methods] of Object.entries(routes)) {
    for (const [method, route] of Object.entries(methods)) {
      for (const who of everyone) {
        const name = `${method} ${file}`;
        if (route === 405 || route === 404) {
          const url = file.replace(/^app|\/route\.ts$/g, '').replace('[...path]', 'no/such/thing').replace(/\[id\]/, f.videoId);
          await check(name, who, await (await client(who)).fetch(url, { method }), route);
          continue;
        }
        // The owner's destructive calls run last, below, so the others still find something to refuse.
        if (who === 'owner' && method === 'DELETE') continue;
        await check(name, who, await route.call(await client(who), f), route.expect[who], { shared: file.startsWith('app/share/') });
      }
    }
  }
  for (const [file, named] of Object.entries(actions)) {
    for (const [name, action] of Object.entries(named)) {
      for (const who of ['owner', 'otherGuest', 'otherAccount', 'noSession'] as const) {
        const response = await callServerAction(await client(who), action.page, name, action.args(f, ownerId), file);
        if (response.status() === 200) failures.push(`${who} → server action ${name}: 200`);
      }
    }
  }
  // Nothing the refused calls asked for happened.
  const session = (await (await clients.owner.get('/api/auth/get-session')).json()) as { user: { role: string; banned: boolean | null } };
  expect(session.user).toMatchObject({ role: 'user' });
  expect(session.user.banned).not.toBe(true);
  expect((await clients.owner.get(`/api/conversations/${f.conversationId}`)).status()).toBe(200);
  expect((await clients.owner.get(`/share/${f.shareToken}`)).status(), 'the link is still live').toBe(200);
  expect((await clients.owner.get(`/api/conversations/${f.doomedConversationId}`)).status()).toBe(200);

  // The owner's own destructive calls, and the admin's actions, work: the refusals above were the check.
  for (const [file, methods] of Object.entries(routes)) {
    const route = methods.DELETE;
    if (typeof route === 'object') await check(`DELETE ${file}`, 'owner', await route.call(clients.owner, f), route.expect.owner);
  }
  expect((await callServerAction(clients.admin, '/admin/shared', 'revokeShare', [f.shareLinkId], 'app/admin/actions.ts')).status()).toBe(200);
  expect((await clients.noSession.get(`/share/${f.shareToken}`)).status(), 'revoked by the admin').toBe(404);
  expect(failures).toEqual([]);
});
