/** Who is signed in and what they may do; the cookie is httpOnly, so the session is asked of the server. */
import { ApiError, api, whenSignedOut } from './api.js';
import { createStore } from './store.js';
import type { Me, Permission } from './types.js';

/** undefined: not known yet; null: signed out. */
export const session = createStore<Me | null | undefined>(undefined);

whenSignedOut(() => session.set(null));

/** Asks who is signed in; a check that fails only because the server is unreachable keeps the session. */
export async function loadSession(): Promise<void> {
  try {
    session.set(await api.get<Me>('/api/v1/auth/me'));
  } catch (err) {
    if (session.get() === undefined || (err instanceof ApiError && err.status === 401)) session.set(null);
  }
}

export async function signIn(username: string, password: string): Promise<void> {
  const res = await api.post<Me>('/api/v1/auth/login', { username, password });
  session.set({ user: res.user, permissions: res.permissions });
}

export async function signOut(): Promise<void> {
  try {
    await api.post('/api/v1/auth/logout');
  } finally {
    session.set(null);
  }
}

export function can(me: Me | null | undefined, permission: Permission): boolean {
  return !!me && me.permissions.includes(permission);
}
