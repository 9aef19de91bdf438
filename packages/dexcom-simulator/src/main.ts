import { banner, cliOptions } from './cli-config.ts';
import { startDexcomSimulator } from './dexcom-simulator.ts';

/*
 * `npm run dexcom-simulator`: the Dexcom-shaped server on a fixed port, with
 * the `demo` user, until SIGINT/SIGTERM. Settings come from the environment
 * (see cli-config.ts).
 */
try {
  const options = cliOptions(process.env);
  const simulator = await startDexcomSimulator(options);
  console.log(banner(simulator, options));
  const stop = (signal: string) => {
    console.log(`${signal}: stopping the Dexcom simulator`);
    simulator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error instanceof Error ? error.message : String(error));
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  const { code, port, address } = error as NodeJS.ErrnoException & { port?: number; address?: string };
  if (code === 'EADDRINUSE') {
    console.error(`dexcom-simulator: port ${port} is in use on ${address}: set DEXCOM_SIMULATOR_PORT to a free port`);
  } else {
    console.error(`dexcom-simulator: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
}
