/** Accounts and sessions: passwords as slow hashes, bearer tokens stored only as their sha256. */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { commonErrors, defineErrors } from '../errors.js';
import type { Role, User } from '../store/records.js';
import type { Store } from '../store/store.js';
import { hashSecret, newSecret, verifySecret } from './hash.js';
import { actorOf, type Actor } from './permissions.js';

export const authErrors = defineErrors({
  LOA_LOGIN_FAILED: {
    status: 401,
    vi: 'Sai tên đăng nhập hoặc mật khẩu.',
    en: 'Wrong username or password.',
  },
  LOA_SESSION_EXPIRED: {
    status: 401,
    vi: 'Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.',
    en: 'Your session has expired; please log in again.',
  },
});

const tokenId = (token: string) => createHash('sha256').update(token).digest('hex');

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  commune: string | null;
  displayName?: string;
}

export class AuthService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly sessionTtlMs: number,
  ) {}

  /** The first admin: its password from the environment, or generated and returned once to be printed. */
  async ensureFirstAdmin(password: string | null): Promise<{ username: string; password: string | null }> {
    const existing = this.store.users.all().find((u) => u.role === 'admin');
    if (existing) return { username: existing.username, password: null };
    const chosen = password ?? newSecret(12);
    await this.createUser({ username: 'admin', password: chosen, role: 'admin', commune: null, displayName: 'Quản trị viên' });
    return { username: 'admin', password: password ? null : chosen };
  }

  async createUser(input: NewUser): Promise<User> {
    if (this.findByUsername(input.username)) throw commonErrors.LOA_CONFLICT({ what: 'Tài khoản / account', id: input.username });
    const user: User = {
      id: `u-${randomBytes(6).toString('hex')}`,
      username: input.username,
      passwordHash: await hashSecret(input.password),
      role: input.role,
      commune: input.commune,
      displayName: input.displayName ?? input.username,
      disabled: false,
      createdAt: this.clock.now(),
    };
    this.store.users.put(user);
    await this.store.users.flush();
    return user;
  }

  async login(username: string, password: string): Promise<{ token: string; expiresAt: number; actor: Actor }> {
    const user = this.findByUsername(username);
    // Verify against a dummy hash when the user is unknown, so timing does not reveal which usernames exist.
    const ok = await verifySecret(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabled) throw authErrors.LOA_LOGIN_FAILED();
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = now + this.sessionTtlMs;
    this.store.sessions.put({ id: tokenId(token), userId: user.id, createdAt: now, expiresAt });
    await this.store.sessions.flush();
    return { token, expiresAt, actor: actorOf(user) };
  }

  authenticate(token: string): Actor | null {
    const session = this.store.sessions.get(tokenId(token));
    if (!session) return null;
    if (session.expiresAt <= this.clock.now()) {
      this.store.sessions.delete(session.id);
      return null;
    }
    const user = this.store.users.get(session.userId);
    return user && !user.disabled ? actorOf(user) : null;
  }

  logout(token: string): void {
    this.store.sessions.delete(tokenId(token));
  }

  findByUsername(username: string): User | undefined {
    return this.store.users.all().find((u) => u.username === username);
  }

  listUsers(): Omit<User, 'passwordHash'>[] {
    return this.store.users.all().map(({ passwordHash: _h, ...u }) => u);
  }
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
