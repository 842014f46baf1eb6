/** Faults a technician or a test can switch on for a simulated speaker. */
export interface DeviceFaults {
  /**
   * 0..1 share of acks silently not published (the device still acts). The re-publication of the
   * latest ack for a repeated command id is never lost, so a controller retry recovers it.
   */
  ackLossRate?: number;
  /** Downloads fail → ack failed {code:'download_failed'}. */
  downloadFail?: boolean;
  /** Bytes differ from sha256 → failed {code:'checksum_mismatch'}. */
  wrongChecksum?: boolean;
  /** Telemetry amp:'fault'; a play or test → failed {code:'amp_fault'}. */
  ampFault?: boolean;
  /** Telemetry line. */
  lineFault?: 'open' | 'short';
  power?: 'mains' | 'battery' | 'solar';
  batteryPct?: number;
  /** An ota command ends failed. */
  otaFail?: boolean;
  /** Extra latency before a download starts (real ms). */
  downloadDelayMs?: number;
}
