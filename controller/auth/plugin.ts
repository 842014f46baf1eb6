/** Sign-in (bearer token or the web UI's cookie) and the role check every route declares. */
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type {} from '../http/types.js';
import { commonErrors } from '../errors.js';
import { can, permissionsOf } from './permissions.js';
import type { AuthService } from './service.js';

export const SESSION_COOKIE = 'loa_session';

function tokenOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return request.cookies?.[SESSION_COOKIE] ?? null;
}

const Credentials = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
});

export const authPlugin = fp(
  async (app: FastifyInstance, opts: { auth: AuthService; secureCookie: boolean }) => {
    const { auth } = opts;
    app.decorateRequest('actor', null);

    app.addHook('onRequest', async (request) => {
      const token = tokenOf(request);
      request.actor = token ? auth.authenticate(token) : null;
      const config = request.routeOptions.config;
      if (config.public || !request.routeOptions.url) return;
      if (!request.actor) throw commonErrors.LOA_UNAUTHENTICATED();
      if (!can(request.actor.role, config.permission ?? 'read')) throw commonErrors.LOA_FORBIDDEN();
    });

    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    r.post(
      '/api/v1/auth/login',
      {
        config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: { tags: ['auth'], summary: 'Đăng nhập / Log in', body: Credentials },
      },
      async (request, reply) => {
        const { token, expiresAt, actor } = await auth.login(request.body.username, request.body.password);
        reply.setCookie(SESSION_COOKIE, token, {
          path: '/',
          httpOnly: true,
          sameSite: 'strict',
          secure: opts.secureCookie,
          expires: new Date(expiresAt),
        });
        return { token, expiresAt, user: actor, permissions: permissionsOf(actor.role) };
      },
    );
    r.post('/api/v1/auth/logout', { schema: { tags: ['auth'], summary: 'Đăng xuất / Log out' } }, async (request, reply) => {
      const token = tokenOf(request);
      if (token) auth.logout(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    });
    r.get('/api/v1/auth/me', { schema: { tags: ['auth'], summary: 'Tài khoản đang đăng nhập / The signed-in account' } }, async (request) => ({
      user: request.actor,
      permissions: permissionsOf(request.actor!.role),
    }));
  },
  { name: 'loa-auth', dependencies: ['@fastify/cookie'] },
);
