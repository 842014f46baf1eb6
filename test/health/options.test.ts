/** Settings from the environment, each with its default. */
import { describe, expect, it } from 'vitest';
import { HEALTH_DEFAULTS, healthOptionsFromEnv } from '../../controller/health/feature.js';

describe('health options from the environment', () => {
  it('falls back to the defaults: offline alarm after 3 heartbeats, no webhook, raw 1 day, summaries 90 days', () => {
    expect(healthOptionsFromEnv({})).toEqual({});
    expect(HEALTH_DEFAULTS).toMatchObject({ offlineHeartbeats: 3, webhookUrl: null, rawRetentionMs: 86_400_000, summaryRetentionMs: 90 * 86_400_000, bucketMs: 300_000 });
  });

  it('reads LOA_ALARM_OFFLINE_HEARTBEATS, LOA_ALARM_WEBHOOK_URL, LOA_ALARM_RENOTIFY_MIN and the retention windows', () => {
    const env = { LOA_ALARM_OFFLINE_HEARTBEATS: '5', LOA_ALARM_WEBHOOK_URL: 'http://127.0.0.1:9/hook', LOA_ALARM_RENOTIFY_MIN: '0', LOA_TELEMETRY_RAW_HOURS: '48', LOA_TELEMETRY_SUMMARY_DAYS: '30' };
    expect(healthOptionsFromEnv(env)).toEqual({ offlineHeartbeats: 5, webhookUrl: 'http://127.0.0.1:9/hook', renotifyMs: 0, rawRetentionMs: 48 * 3_600_000, summaryRetentionMs: 30 * 86_400_000 });
    expect(() => healthOptionsFromEnv({ LOA_ALARM_OFFLINE_HEARTBEATS: 'three' })).toThrow(/LOA_ALARM_OFFLINE_HEARTBEATS/);
  });
});
