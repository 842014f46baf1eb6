/** `npm start`: the controller with its embedded broker, its JSON store and (unless LOA_DEMO=0) a demo commune. */
import { ConfigError, loadConfig } from './config.js';
import { startController } from './runtime.js';
import { startDemo } from './demo.js';
import { createAudioEngine } from './media/processor.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const audio = await createAudioEngine(config);
  const controller = await startController(config, { audio });
  const demo = config.demo ? await startDemo(controller, config.demoDevices) : null;

  const lines = [
    '',
    'Loa — hệ thống truyền thanh thông minh / smart loudspeaker controller',
    `  Giao diện web / Web UI:        ${controller.httpUrl}/`,
    `  Tài liệu API / API docs:       ${controller.httpUrl}/docs`,
    `  MQTT cho thiết bị / devices:    ${controller.mqttUrl}${controller.mqttWsUrl ? `  (WebSocket: ${controller.mqttWsUrl})` : ''}`,
    `  Âm thanh / audio (ffmpeg):      ${audio.description}`,
    `  Dữ liệu / data:                 ${config.dataDir}`,
    controller.admin.password
      ? `  Đăng nhập / login:             ${controller.admin.username} / ${controller.admin.password}   (mật khẩu chỉ in một lần / shown once)`
      : `  Đăng nhập / login:             ${controller.admin.username} (mật khẩu đã đặt / password already set)`,
    demo ? `  Demo: ${demo.devices} loa mô phỏng trong ${demo.zones} thôn / simulated speakers in villages (LOA_DEMO=0 to turn off)` : '  Demo: tắt / off',
    '',
  ];
  console.log(lines.join('\n'));

  const shutdown = async (signal: string) => {
    console.log(`\n${signal}: đang dừng / stopping…`);
    await demo?.stop();
    await controller.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(`Cấu hình sai / configuration error: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
