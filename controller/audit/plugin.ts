/** Every change is written to the audit log: who, what, when, from where. */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type {} from '../http/types.js';
import type { Clock } from '../clock.js';
import type { Store } from '../store/store.js';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const auditPlugin = fp(
  async (app: FastifyInstance, opts: { store: Store; clock: Clock }) => {
    app.addHook('onResponse', async (req, reply) => {
      if (!CHANGES.has(req.method) || !req.routeOptions.url) return;
      const isLogin = req.routeOptions.url === '/api/v1/auth/login';
      const attempted = isLogin ? String((req.body as { username?: unknown } | undefined)?.username ?? '') : null;
      const params = req.params as Record<string, string> | undefined;
      opts.store.audit.append({
        ts: opts.clock.now(),
        userId: req.actor?.id ?? null,
        username: req.actor?.username ?? attempted,
        action: `${req.method} ${req.routeOptions.url}`,
        target: params?.id ?? null,
        ip: req.ip,
        details: { status: reply.statusCode },
      });
    });

    app.withTypeProvider<TypeBoxTypeProvider>().get(
      '/api/v1/audit',
      {
        config: { permission: 'audit.read' },
        schema: {
          tags: ['audit'],
          summary: 'Nhật ký thao tác / Audit log',
          querystring: Type.Object({ from: Type.Optional(Type.Integer()), to: Type.Optional(Type.Integer()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) }),
        },
      },
      async (req) => ({ items: await opts.store.audit.query({ from: req.query.from, to: req.query.to, limit: req.query.limit ?? 500 }) }),
    );
  },
  { name: 'loa-audit' },
);
