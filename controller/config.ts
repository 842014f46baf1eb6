/** Configuration from environment variables; every one is listed with its default in the README. */
import fs from 'node:fs';
import path from 'node:path';

export interface Config {
  dataDir: string;
  httpHost: string;
  httpPort: number;
  mqttHost: string;
  mqttPort: number;
  /** null: no MQTT-over-WebSocket listener. */
  mqttWsPort: number | null;
  /** An external broker instead of the embedded one. */
  mqttUrl: string | null;
  mqttUsername: string | null;
  mqttPassword: string | null;
  /** Enables /api/v1/broker/auth and /acl for an external broker's HTTP auth. */
  brokerHookToken: string | null;
  /** Bearer token for /metrics; unset: /metrics answers only this machine. */
  metricsToken: string | null;
  adminPassword: string | null;
  demo: boolean;
  demoDevices: number;
  /** The base address devices use to fetch media; derived from the HTTP listener when unset. */
  publicUrl: string | null;
  retryMs: number;
  retryMaxMs: number;
  flushMs: number;
  /** After notAfter, how long before deliveries that never started are concluded expired. */
  expiryGraceMs: number;
  /** notAfter when a broadcast gives none. */
  defaultWindowMs: number;
  deviceSecretHashN: number;
  tls: { cert: Buffer; key: Buffer } | null;
  uploadMaxMb: number;
  mediaMaxMinutes: number;
  /** Storage for the media library; an upload that would pass it is refused. */
  mediaQuotaMb: number;
  /** An upload still processing after this long becomes a job the client follows (202). */
  mediaSyncMs: number;
  sessionTtlMs: number;
  logLevel: string;
}

export class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return n;
}

function str(env: NodeJS.ProcessEnv, name: string): string | null {
  const raw = env[name];
  return raw === undefined || raw === '' ? null : raw;
}

function tlsFrom(env: NodeJS.ProcessEnv): Config['tls'] {
  const cert = str(env, 'LOA_TLS_CERT');
  const key = str(env, 'LOA_TLS_KEY');
  if (!cert && !key) return null;
  if (!cert || !key) throw new ConfigError('LOA_TLS_CERT and LOA_TLS_KEY go together: give both files or neither');
  return { cert: fs.readFileSync(cert), key: fs.readFileSync(key) };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const wsPort = str(env, 'LOA_MQTT_WS_PORT');
  return {
    dataDir: path.resolve(str(env, 'LOA_DATA_DIR') ?? 'data'),
    httpHost: str(env, 'LOA_HTTP_HOST') ?? '0.0.0.0',
    httpPort: int(env, 'LOA_HTTP_PORT', 8080, 0, 65535),
    mqttHost: str(env, 'LOA_MQTT_HOST') ?? '0.0.0.0',
    mqttPort: int(env, 'LOA_MQTT_PORT', 1883, 0, 65535),
    mqttWsPort: wsPort === 'off' ? null : int(env, 'LOA_MQTT_WS_PORT', 8883, 0, 65535),
    mqttUrl: str(env, 'LOA_MQTT_URL'),
    mqttUsername: str(env, 'LOA_MQTT_USERNAME'),
    mqttPassword: str(env, 'LOA_MQTT_PASSWORD'),
    brokerHookToken: str(env, 'LOA_BROKER_HOOK_TOKEN'),
    metricsToken: str(env, 'LOA_METRICS_TOKEN'),
    adminPassword: str(env, 'LOA_ADMIN_PASSWORD'),
    demo: str(env, 'LOA_DEMO') !== '0',
    demoDevices: int(env, 'LOA_DEMO_DEVICES', 24, 1, 20_000),
    publicUrl: str(env, 'LOA_PUBLIC_URL')?.replace(/\/+$/, '') ?? null,
    retryMs: int(env, 'LOA_RETRY_MS', 5_000, 50),
    retryMaxMs: int(env, 'LOA_RETRY_MAX_MS', 120_000, 50),
    flushMs: int(env, 'LOA_FLUSH_MS', 200, 1, 10_000),
    expiryGraceMs: int(env, 'LOA_EXPIRY_GRACE_S', 30, 0, 3600) * 1000,
    defaultWindowMs: int(env, 'LOA_DEFAULT_WINDOW_MIN', 60, 1, 7 * 24 * 60) * 60_000,
    deviceSecretHashN: int(env, 'LOA_SECRET_HASH_N', 4096, 1024, 1 << 20),
    tls: tlsFrom(env),
    uploadMaxMb: int(env, 'LOA_UPLOAD_MAX_MB', 50, 1, 2048),
    mediaMaxMinutes: int(env, 'LOA_MEDIA_MAX_MINUTES', 60, 1, 24 * 60),
    mediaQuotaMb: int(env, 'LOA_MEDIA_QUOTA_MB', 4096, 1, 1024 * 1024),
    mediaSyncMs: int(env, 'LOA_MEDIA_SYNC_MS', 5000, 0, 600_000),
    sessionTtlMs: int(env, 'LOA_SESSION_HOURS', 12, 1, 24 * 30) * 3_600_000,
    logLevel: str(env, 'LOA_LOG_LEVEL') ?? 'info',
  };
}
