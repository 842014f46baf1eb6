/**
 * HTTP authentication and authorisation for an external broker (EMQX's HTTP auth and ACL,
 * mosquitto-go-auth's HTTP backend): the same registry check and access rules the embedded
 * broker applies in its hooks. Off unless LOA_BROKER_HOOK_TOKEN is set; the broker sends it as a bearer token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { deviceIdentityValid, devicePublishAllowed, deviceSubscribeAllowed } from '../../broker/acl.js';
import type { DeviceAuthenticator } from '../../broker/index.js';
import type {} from '../http/types.js';
import { commonErrors } from '../errors.js';

const AuthBody = Type.Object({ clientid: Type.String({ maxLength: 128 }), username: Type.String({ maxLength: 128 }), password: Type.String({ maxLength: 256 }) });
const AclBody = Type.Object({
  clientid: Type.String({ maxLength: 128 }),
  username: Type.String({ maxLength: 128 }),
  topic: Type.String({ maxLength: 512 }),
  action: Type.Union([Type.Literal('publish'), Type.Literal('subscribe')]),
});

const digest = (s: string) => createHash('sha256').update(s).digest();

export async function brokerHookRoutes(app: FastifyInstance, opts: { token: string; devices: DeviceAuthenticator }) {
  const expected = digest(opts.token);
  const checkToken = async (req: FastifyRequest) => {
    const given = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : '';
    if (!timingSafeEqual(digest(given), expected)) throw commonErrors.LOA_UNAUTHENTICATED();
  };
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const config = { public: true };
  const tags = ['broker'];
  r.post('/api/v1/broker/auth', { config, onRequest: checkToken, schema: { tags, summary: 'Xác thực thiết bị cho broker ngoài / Device authentication for an external broker', body: AuthBody } }, async (req) => {
    const { clientid, username, password } = req.body;
    if (!deviceIdentityValid(clientid, username)) return { result: 'deny' };
    return { result: (await opts.devices.verifyDevice(username, password)) === 'ok' ? 'allow' : 'deny', is_superuser: false };
  });
  r.post('/api/v1/broker/acl', { config, onRequest: checkToken, schema: { tags, body: AclBody } }, async (req) => {
    const { username, topic, action } = req.body;
    const allowed = action === 'subscribe' ? deviceSubscribeAllowed(username, topic) : devicePublishAllowed(username, topic, 0);
    return { result: allowed ? 'allow' : 'deny' };
  });
}
