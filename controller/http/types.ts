/** What the HTTP layer adds to Fastify's types: the acting account and per-route permission. */
import type { Actor, Permission } from '../auth/permissions.js';
import type {} from '@fastify/cookie';
import type {} from '@fastify/swagger';
import type {} from '@fastify/rate-limit';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Needed to call the route; absent: any signed-in account. */
    permission?: Permission;
    /** No sign-in needed (login, health, media fetched by devices with a signed URL). */
    public?: boolean;
  }
}

export {};
