import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Where the browser tests' screenshots and PDFs go (gitignored). */
export const BROWSER_OUTPUT_DIR = join(import.meta.dirname, '..', '..', 'test-output', 'browser');

/** The Chromium the browser tests drive: `CHROMIUM_PATH`, default Debian's `/usr/bin/chromium`. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
}

/**
 * Headless Chromium through playwright-core (which downloads no browser).
 * A machine without it fails with how to install it: CI installs it in
 * `.ci/run`, and a browser test never skips silently.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(
      `The browser tests need Chromium at ${executablePath}: install it with ` +
        '`apt-get install -y --no-install-recommends chromium` (Debian; .ci/run does this), ' +
        'or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
}

/** The output directory, created if missing; a file name inside it. */
export function browserOutput(name: string): string {
  mkdirSync(BROWSER_OUTPUT_DIR, { recursive: true });
  return join(BROWSER_OUTPUT_DIR, name);
}
