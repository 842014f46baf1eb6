export { startBroker, type BrokerOptions, type RunningBroker, type DeviceAuthenticator } from './server.js';
export { CONTROLLER_USERNAME } from './acl.js';
