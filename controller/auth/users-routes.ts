/** User accounts: admins only. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type {} from '../http/types.js';
import { commonErrors } from '../errors.js';
import type { AuthService } from './service.js';

const NewUserBody = Type.Object({
  username: Type.String({ pattern: '^[a-zA-Z0-9._-]{3,64}$' }),
  password: Type.String({ minLength: 8, maxLength: 256 }),
  role: Type.Union([Type.Literal('admin'), Type.Literal('officer'), Type.Literal('technician'), Type.Literal('viewer')]),
  commune: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]),
  displayName: Type.Optional(Type.String({ maxLength: 128 })),
});

export async function usersRoutes(app: FastifyInstance, opts: { auth: AuthService }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get('/api/v1/users', { config: { permission: 'users.manage' }, schema: { tags: ['users'] } }, async () => ({ items: opts.auth.listUsers() }));
  r.post('/api/v1/users', { config: { permission: 'users.manage' }, schema: { tags: ['users'], body: NewUserBody } }, async (request, reply) => {
    const actor = request.actor!;
    if (actor.commune !== null && request.body.commune !== actor.commune) throw commonErrors.LOA_FORBIDDEN();
    const { passwordHash: _h, ...user } = await opts.auth.createUser(request.body);
    reply.status(201);
    return user;
  });
}
