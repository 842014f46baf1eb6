/** The health assessment lives in the core (controller/devices/health.ts): the device list and this feature tell the same state. */
export { assess, faultsOf, HEALTH_STATES, type Assessment, type AssessInput, type Fault, type HealthState } from '../devices/health.js';
