/**
 * Ownership is enforced in the query layer: every lookup by id is scoped to the caller, so another
 * user's conversation looks exactly like one that does not exist.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import {
  deleteConversation,
  getConversation,
  getConversationWithMessages,
  listConversations,
  renameConversation,
  titleFromQuestion,
} from '@/lib/db/conversations';
import { saveQuestion } from '@/lib/db/messages';
import { ensureTestUser } from '@/tests/support/users';
import { testPrisma } from '@/tests/support/db';

const prisma = testPrisma();
const alice = `alice-${randomUUID()}`;
const bob = `bob-${randomUUID()}`;

beforeAll(async () => {
  await ensureTestUser(alice);
  await ensureTestUser(bob);
});

afterAll(async () => {
  await prisma.$disconnect();
  await db().$disconnect();
});

/** A conversation with one question, through the same call the chat route uses. */
async function startConversation(userId: string, title = 'A question', question = 'What is this?') {
  const id = randomUUID();
  await saveQuestion({
    userId,
    conversationId: id,
    newConversation: { title, modelId: 'compatible:stub-vision' },
    message: { id: randomUUID(), parts: [{ type: 'text', text: question }] },
    mediaIds: [],
  });
  return id;
}

describe('conversation queries are scoped to their owner', () => {
  it('getConversation / getConversationWithMessages return the conversation to its owner only', async () => {
    const id = await startConversation(alice, 'Alice asks', 'Is this a cat?');

    expect(await getConversation(alice, id)).toMatchObject({ id, userId: alice, title: 'Alice asks' });
    const full = await getConversationWithMessages(alice, id);
    expect(full?.messages).toHaveLength(1);
    expect(full?.messages[0]).toMatchObject({ role: 'user', parts: [{ type: 'text', text: 'Is this a cat?' }] });

    expect(await getConversation(bob, id)).toBeNull();
    expect(await getConversationWithMessages(bob, id)).toBeNull();
    // Indistinguishable from an id that does not exist at all.
    expect(await getConversation(alice, randomUUID())).toBeNull();
  });

  it('returns messages in the order they were written', async () => {
    const id = await startConversation(alice, 'Ordered', 'first');
    for (const text of ['second', 'third']) {
      await saveQuestion({ userId: alice, conversationId: id, newConversation: null, message: { id: randomUUID(), parts: [{ type: 'text', text }] }, mediaIds: [] });
    }
    const full = await getConversationWithMessages(alice, id);
    expect(full?.messages.map((m) => (m.parts as { text: string }[])[0].text)).toEqual(['first', 'second', 'third']);
  });

  it('renameConversation changes only the owner’s conversation', async () => {
    const id = await startConversation(alice, 'Original title');

    expect(await renameConversation(bob, id, 'Hijacked')).toBe(false);
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id } })).title).toBe('Original title');

    const before = await prisma.conversation.findUniqueOrThrow({ where: { id } });
    expect(await renameConversation(alice, id, 'Renamed')).toBe(true);
    const after = await prisma.conversation.findUniqueOrThrow({ where: { id } });
    expect(after.title).toBe('Renamed');
    // Not activity: the sidebar order stays as it was.
    expect(after.updatedAt).toEqual(before.updatedAt);

    expect(await renameConversation(alice, randomUUID(), 'Nothing')).toBe(false);
  });

  it('deleteConversation deletes only the owner’s conversation, with its messages', async () => {
    const id = await startConversation(alice);

    expect(await deleteConversation(bob, id)).toBe(false);
    expect(await prisma.conversation.count({ where: { id } })).toBe(1);
    expect(await prisma.message.count({ where: { conversationId: id } })).toBe(1);

    expect(await deleteConversation(alice, id)).toBe(true);
    expect(await prisma.conversation.count({ where: { id } })).toBe(0);
    expect(await prisma.message.count({ where: { conversationId: id } })).toBe(0);

    expect(await deleteConversation(alice, id)).toBe(false);
  });

  it('deleteConversation removes the cached answers that conversation produced, and only those', async () => {
    const id = await startConversation(alice);
    const other = await startConversation(alice);
    const entry = (key: string, sourceConversationId: string) => ({ key, sourceConversationId, modelId: 'x', text: 'answer' });
    const mine = `cache-${randomUUID()}`;
    const theirs = `cache-${randomUUID()}`;
    await prisma.cacheEntry.createMany({ data: [entry(mine, id), entry(theirs, other)] });

    expect(await deleteConversation(bob, id)).toBe(false);
    expect(await prisma.cacheEntry.count({ where: { key: mine } })).toBe(1);

    expect(await deleteConversation(alice, id)).toBe(true);
    expect(await prisma.cacheEntry.count({ where: { key: mine } })).toBe(0);
    expect(await prisma.cacheEntry.count({ where: { key: theirs } })).toBe(1);
  });
});

describe('listConversations', () => {
  it('lists only the caller’s conversations, most recently updated first', async () => {
    const carol = `carol-${randomUUID()}`;
    const dave = `dave-${randomUUID()}`;
    await ensureTestUser(carol);
    await ensureTestUser(dave);
    const base = Date.parse('2030-01-01T00:00:00Z');
    const at = (minutes: number) => new Date(base + minutes * 60_000);
    // Created in an order different from their update order, so creation order cannot pass for it.
    const rows = [
      { id: randomUUID(), title: 'middle', updatedAt: at(2), createdAt: at(0) },
      { id: randomUUID(), title: 'oldest', updatedAt: at(1), createdAt: at(1) },
      { id: randomUUID(), title: 'newest', updatedAt: at(3), createdAt: at(-5) },
    ];
    for (const row of rows) {
      await prisma.conversation.create({ data: { ...row, userId: carol, modelId: 'compatible:stub-vision' } });
    }
    // Someone else's, newer than all of carol's.
    await prisma.conversation.create({ data: { id: randomUUID(), userId: dave, title: 'not carol’s', modelId: 'x', updatedAt: at(10) } });

    const listed = await listConversations(carol);
    expect(listed.map((c) => c.title)).toEqual(['newest', 'middle', 'oldest']);
    expect(listed[0]).toEqual({ id: rows[2].id, title: 'newest', updatedAt: at(3).toISOString() });
    expect((await listConversations(carol, 2)).map((c) => c.title)).toEqual(['newest', 'middle']);
    expect((await listConversations(dave)).map((c) => c.title)).toEqual(['not carol’s']);
    expect(await listConversations(`nobody-${randomUUID()}`)).toEqual([]);
  });

  it('moves a conversation to the top when a new question is asked in it', async () => {
    const erin = `erin-${randomUUID()}`;
    await ensureTestUser(erin);
    const first = await startConversation(erin, 'first');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await startConversation(erin, 'second');
    expect((await listConversations(erin)).map((c) => c.title)).toEqual(['second', 'first']);

    await new Promise((resolve) => setTimeout(resolve, 5));
    await saveQuestion({ userId: erin, conversationId: first, newConversation: null, message: { id: randomUUID(), parts: [{ type: 'text', text: 'again' }] }, mediaIds: [] });
    expect((await listConversations(erin)).map((c) => c.title)).toEqual(['first', 'second']);
  });
});

describe('titleFromQuestion', () => {
  it('keeps a short question as it is, trimmed', () => {
    expect(titleFromQuestion('  What breed is this dog?  ', true)).toBe('What breed is this dog?');
  });

  it('keeps a question of exactly 60 characters whole', () => {
    const sixty = 'x'.repeat(60);
    expect(titleFromQuestion(sixty, false)).toBe(sixty);
  });

  it('cuts a long question at a word boundary and adds an ellipsis', () => {
    // The 60th character falls inside "the": that word goes whole, not half of it.
    const text = 'Could you please tell me which kind of bird is perched on the old fence in this picture?';
    const title = titleFromQuestion(text, true);
    expect(title).toBe('Could you please tell me which kind of bird is perched on…');
    expect(title.length).toBeLessThanOrEqual(61);
    expect(text.startsWith(title.slice(0, -1))).toBe(true);
    // The cut falls between words.
    expect(text[title.length - 1]).toBe(' ');
  });

  it('cuts a long word-less line at 60 characters', () => {
    const text = 'a'.repeat(100);
    expect(titleFromQuestion(text, false)).toBe(`${'a'.repeat(60)}…`);
  });

  it('names an image-only question "Image question" and an empty one "New conversation"', () => {
    expect(titleFromQuestion('', true)).toBe('Image question');
    expect(titleFromQuestion('   \n  ', true)).toBe('Image question');
    expect(titleFromQuestion('', false)).toBe('New conversation');
  });

  it('uses only the first line of a multi-line question', () => {
    expect(titleFromQuestion('What is this?\nIt was taken in Lisbon.\nThanks!', true)).toBe('What is this?');
    expect(titleFromQuestion('\n\n  Second try  \nmore', false)).toBe('Second try');
  });
});
