/** HTTP API of remote operations, firmware, rollouts and CSV provisioning. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type {} from '@fastify/multipart';
import type {} from '@fastify/static';
import type {} from '../http/types.js';
import { TargetsSchema } from '../broadcasts/routes.js';
import { commonErrors } from '../errors.js';
import type { FirmwareLibrary } from './firmware.js';
import type { OperationService } from './operations.js';
import type { ImportService } from './provisioning.js';
import type { RolloutService } from './rollout.js';

export interface FleetOpsRouteDeps {
  operations: OperationService;
  firmware: FirmwareLibrary;
  rollouts: RolloutService;
  imports: ImportService;
  uploadMaxMb: number;
}

const IdParams = Type.Object({ id: Type.String({ maxLength: 128 }) });
const OperationCommand = Type.Union([
  Type.Object({ type: Type.Literal('volume'), volume: Type.Integer({ minimum: 0, maximum: 100 }), muted: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('test'), durationMs: Type.Optional(Type.Integer({ minimum: 500, maximum: 60_000 })) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('stop') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('reboot') }, { additionalProperties: false }),
]);
const OperationBody = Type.Object({ targets: TargetsSchema, command: OperationCommand }, { additionalProperties: false });
const Share = Type.Number({ exclusiveMinimum: 0, maximum: 1 });
const RolloutBody = Type.Object(
  {
    firmwareId: Type.String({ maxLength: 128 }),
    targets: TargetsSchema,
    groupSize: Type.Integer({ minimum: 1, maximum: 20_000 }),
    successThreshold: Share,
    errorThreshold: Share,
    maxConcurrent: Type.Integer({ minimum: 1, maximum: 5_000 }),
    timeoutS: Type.Optional(Type.Integer({ minimum: 10, maximum: 24 * 3600 })),
  },
  { additionalProperties: false },
);
const LABEL = /^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$/;
/** 20,000 rows of about 100 bytes, with room to spare. */
const CSV_BODY_LIMIT = 4 * 1024 * 1024;

export function fleetOpsRoutes(deps: FleetOpsRouteDeps) {
  return async (app: FastifyInstance) => {
    operationRoutes(app, deps);
    firmwareRoutes(app, deps);
    rolloutRoutes(app, deps);
    importRoutes(app, deps);
  };
}

function operationRoutes(app: FastifyInstance, deps: FleetOpsRouteDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['operations'];
  r.post('/api/v1/operations', { config: { permission: 'devices.command' }, schema: { tags, summary: 'Lệnh cho cả thôn hoặc danh sách loa / A command to a village or a list of speakers', body: OperationBody } }, async (req, reply) => {
    reply.status(202);
    return deps.operations.send(req.actor!, req.body.targets, req.body.command);
  });
  r.get('/api/v1/operations/:id', { config: { permission: 'read' }, schema: { tags, summary: 'Kết quả từng loa / Per-speaker results', params: IdParams } }, async (req) => deps.operations.get(req.actor!, req.params.id));
}

function firmwareRoutes(app: FastifyInstance, deps: FleetOpsRouteDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['firmware'];
  const limitBytes = deps.uploadMaxMb * 1024 * 1024;
  r.post('/api/v1/firmware', { config: { permission: 'devices.write' }, schema: { tags, summary: 'Tải lên phần mềm (multipart: "version", "model", rồi "file") / Upload firmware (fields before the file)' } }, async (req, reply) => {
    const upload = await req.file({ limits: { fileSize: limitBytes, files: 1, fields: 5 } });
    if (!upload) throw commonErrors.LOA_BAD_REQUEST({ reason: 'thiếu tệp "file" / missing file field "file"' });
    const field = (name: string) => {
      const f = upload.fields[name];
      const value = f && !Array.isArray(f) && 'value' in f && typeof f.value === 'string' ? f.value.trim() : '';
      if (!LABEL.test(value)) throw commonErrors.LOA_BAD_REQUEST({ reason: `"${name}" (trước tệp; chữ, số, . _ + -) / "${name}" (before the file; letters, digits, . _ + -)` });
      return value;
    };
    let meta: { version: string; model: string };
    try {
      meta = { version: field('version'), model: field('model') };
    } catch (err) {
      upload.file.resume();
      throw err;
    }
    const { record, created } = await deps.firmware.add(req.actor!, upload.file, meta, () => upload.file.truncated);
    reply.status(created ? 201 : 200);
    return record;
  });
  r.get('/api/v1/firmware', { config: { permission: 'read' }, schema: { tags } }, async () => ({ items: deps.firmware.list() }));
  r.get('/api/v1/firmware/:id', { config: { permission: 'read' }, schema: { tags, params: IdParams } }, async (req) => deps.firmware.get(req.params.id));
  // Devices fetch images here with the signed token of their ota command; Range requests resume downloads.
  r.get(
    '/firmware/:file',
    {
      config: { public: true },
      schema: { hide: true, params: Type.Object({ file: Type.String({ maxLength: 80 }) }), querystring: Type.Object({ exp: Type.Integer(), sig: Type.String({ maxLength: 64 }) }) },
    },
    async (req, reply) => {
      if (!deps.firmware.canServe(req.params.file, req.query.exp, req.query.sig)) throw commonErrors.LOA_FORBIDDEN();
      return reply.sendFile(req.params.file, deps.firmware.dir, { cacheControl: false });
    },
  );
}

function rolloutRoutes(app: FastifyInstance, deps: FleetOpsRouteDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['rollouts'];
  const command = { permission: 'devices.command' as const };
  r.post('/api/v1/rollouts', { config: command, schema: { tags, summary: 'Cập nhật phần mềm theo nhóm / Firmware rollout in groups', body: RolloutBody } }, async (req, reply) => {
    reply.status(201);
    return deps.rollouts.create(req.actor!, req.body);
  });
  r.get('/api/v1/rollouts', { config: { permission: 'read' }, schema: { tags } }, async (req) => ({ items: deps.rollouts.list(req.actor!) }));
  r.get('/api/v1/rollouts/:id', { config: { permission: 'read' }, schema: { tags, params: IdParams } }, async (req) => deps.rollouts.get(req.actor!, req.params.id));
  r.post('/api/v1/rollouts/:id/pause', { config: command, schema: { tags, params: IdParams } }, async (req) => deps.rollouts.pause(req.actor!, req.params.id));
  r.post('/api/v1/rollouts/:id/resume', { config: command, schema: { tags, params: IdParams } }, async (req) => deps.rollouts.resume(req.actor!, req.params.id));
  r.post('/api/v1/rollouts/:id/abort', { config: command, schema: { tags, params: IdParams } }, async (req) => deps.rollouts.abort(req.actor!, req.params.id));
}

function importRoutes(app: FastifyInstance, deps: FleetOpsRouteDeps): void {
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit: CSV_BODY_LIMIT }, (_req, body, done) => done(null, body));
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['devices'];
  r.post(
    '/api/v1/devices/import',
    { config: { permission: 'devices.write' }, bodyLimit: CSV_BODY_LIMIT, schema: { tags, summary: 'Đăng ký loa từ tệp CSV (tất cả hoặc không) / Register speakers from CSV (all or nothing)', body: Type.String() } },
    async (req, reply) => {
      reply.status(201);
      return deps.imports.import(req.actor!, req.body);
    },
  );
  r.get('/api/v1/devices/import/:id/provisioning.csv', { config: { permission: 'devices.write' }, schema: { tags, summary: 'Tệp cấp phát (tải một lần) / Provisioning file (once)', params: IdParams } }, async (req, reply) => {
    const csv = await deps.imports.provisioningFile(req.actor!, req.params.id);
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="provisioning-${req.params.id}.csv"`).header('cache-control', 'no-store');
    return csv;
  });
}
