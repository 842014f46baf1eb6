/** The features `npm start` runs, in start order (bulletins use the services of alerts and programmes). */
import type { Feature } from './feature.js';
import { alertOptionsFromEnv, createAlertsFeature } from './alerts/feature.js';
import { createProgrammesFeature } from './programmes/feature.js';
import { reportsFeature } from './reports/routes.js';
import { fleetOpsFeature } from './fleetops/feature.js';
import { createBulletinsFeature } from './bulletins/feature.js';
import { healthFeature } from './health/feature.js';
import { createLiveFeature } from './live/feature.js';

export const FEATURES: Feature[] = [createAlertsFeature(alertOptionsFromEnv()), createProgrammesFeature(), reportsFeature, fleetOpsFeature, createBulletinsFeature(), healthFeature, createLiveFeature()];
