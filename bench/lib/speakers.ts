/**
 * The baseline's speakers: plain mqtt.js clients, each subscribed to its own `cmd` topic and
 * answering every command with QoS 1 acks on its own `ack` topic (`received`, or the whole play
 * sequence as a Loa speaker sends it). Used in the
 * broker's process (bench/lib/baseline.ts) and in a child process (bench/lib/baseline-clients.ts).
 */
import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic } from '../../protocol/index.js';
import { playAcks } from './payloads.js';

/** Told of what goes wrong on a connection after it was up, for the timeout message. */
export type OnTrouble = (kind: 'errors' | 'closed', what: string) => void;

export const speakerId = (i: number) => `bench-${i}`;

/** Connected or rejected; tracked in `opened` from the start so a failed run can still close it. */
export function connectClient(url: string, clientId: string, opened: MqttClient[], onTrouble: OnTrouble): Promise<MqttClient> {
  const client = mqtt.connect(url, { clientId, protocolVersion: 4, clean: true, reconnectPeriod: 0 });
  opened.push(client);
  return new Promise((resolve, reject) => {
    client.once('error', reject);
    client.once('connect', () => {
      client.off('error', reject);
      client.on('error', (err) => onTrouble('errors', `${clientId}: ${err.message}`));
      client.once('close', () => onTrouble('closed', `${clientId}: closed`));
      resolve(client);
    });
  });
}

export async function connectSpeaker(url: string, id: string, acksPerCommand: number, opened: MqttClient[], onTrouble: OnTrouble): Promise<void> {
  const client = await connectClient(url, id, opened, onTrouble);
  const ackTopic = deviceTopic(id, 'ack');
  const acks = playAcks(acksPerCommand);
  client.on('message', () => {
    for (const ack of acks) client.publish(ackTopic, ack, { qos: 1 });
  });
  await client.subscribeAsync(deviceTopic(id, 'cmd'), { qos: 1 });
}
