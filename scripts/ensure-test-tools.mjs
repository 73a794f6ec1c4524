#!/usr/bin/env node
// Runs before `npm test`: the dashboard's end-to-end test drives Debian's Chromium through playwright-core.
// When it is missing and this user may install packages, install it (once, a few minutes); otherwise say how.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  const root = process.getuid?.() === 0;
  const apt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (root && apt) {
    console.error("pretest: installing Debian's chromium for the dashboard test (one time, a few minutes)");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  } else {
    console.error(
      `pretest: ${CHROMIUM} is missing, so the dashboard test will fail: install it with "sudo apt-get install chromium"`,
    );
  }
}
