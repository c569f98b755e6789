/**
 * The chat tells the sidebar that the list changed. A router refresh would do it too, but it
 * re-renders the page and remounts a chat that is still in use.
 */
const EVENT = 'glimpse:conversations-changed';

export const announceConversationsChanged = () => window.dispatchEvent(new Event(EVENT));

export function onConversationsChanged(listener: () => void): () => void {
  window.addEventListener(EVENT, listener);
  return () => window.removeEventListener(EVENT, listener);
}
