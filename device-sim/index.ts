/** Loa's fleet simulator: simulated loudspeaker receivers that follow the device rules of docs/protocol.md. */
export { SimDevice, type SimDeviceOptions, type SimAck } from './device.js';
export type { DeviceFaults } from './faults.js';
export { Fleet, FleetStartError, type FleetDevice, type FleetOptions, type FleetStats } from './fleet.js';
export type { PlayRecord } from './player.js';
export { DownloadCache, DownloadError, fetchWithResume, sha256 } from './download.js';
export { skewedClock, systemClock, type Clock } from './clock.js';
export type { Ack, Command } from '../protocol/index.js';
